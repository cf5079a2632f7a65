// ssecheck events: print every dispatched event (and optionally comments and
// diagnostics) as JSON lines.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "commands.h"
#include "json_lines.h"
#include "ssecheck/event_stream_parser.h"

namespace ssecheck::cli {
namespace {

constexpr size_t kBlockSize = size_t{64} << 10;
constexpr uint64_t kMaxChunk = uint64_t{64} << 20;
constexpr uint64_t kMaxLimit = uint64_t{1} << 30;

struct Args {
  size_t chunk = 0;  // 0: feed blocks as read
  std::string last_event_id;
  conformance::LogOptions log;
  bool raw_utf8 = false;
  size_t max_line_bytes = ParserOptions{}.max_line_bytes;
  size_t max_event_bytes = ParserOptions{}.max_event_bytes;
  std::string on_limit = "stop";
  std::string file = "-";
};

// Writes the JSON lines and counts what was printed and what a limit dropped, for the
// note on stderr when nothing came out.
class CountingSink final : public EventSink {
 public:
  CountingSink(std::string& out, conformance::LogOptions options) : lines_(out, options) {}
  void on_event(const Event& event) override {
    ++events;
    lines_.on_event(event);
  }
  void on_retry(uint64_t ms) override {
    ++retries;
    lines_.on_retry(ms);
  }
  void on_comment(std::string_view text, uint64_t offset) override {
    ++comments;
    lines_.on_comment(text, offset);
  }
  void on_diagnostic(DiagCode code, uint64_t offset) override {
    if (info(code).severity == Severity::fatal) ++limits[std::string(name(code))];
    lines_.on_diagnostic(code, offset);
  }
  uint64_t events = 0, retries = 0, comments = 0;
  std::map<std::string, uint64_t> limits;  // fatal (limit) diagnostics by code

 private:
  conformance::JsonLinesSink lines_;
};

bool write_all(std::string& out) {
  const bool ok = std::fwrite(out.data(), 1, out.size(), stdout) == out.size();
  out.clear();
  return ok;
}

// Reads `fd` to the end, feeding the parser as data arrives (or `chunk` bytes at a time).
// Returns false on a read error.
bool feed_all(int fd, size_t chunk, EventStreamParser& parser, std::string& out, ParseStatus& status,
              bool& write_ok, uint64_t& bytes_read) {
  std::vector<char> block(kBlockSize);
  std::string pending;  // with --chunk: bytes not yet fed
  while (status == ParseStatus::ok && write_ok) {
    const ssize_t n = ::read(fd, block.data(), block.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) break;
    bytes_read += static_cast<uint64_t>(n);
    const std::string_view bytes(block.data(), static_cast<size_t>(n));
    if (chunk == 0) {
      status = parser.feed(bytes);
    } else {
      pending.append(bytes);
      size_t pos = 0;
      for (; pending.size() - pos >= chunk && status == ParseStatus::ok; pos += chunk)
        status = parser.feed(std::string_view(pending).substr(pos, chunk));
      pending.erase(0, pos);
    }
    write_ok = write_all(out);
  }
  if (status == ParseStatus::ok && !pending.empty()) status = parser.feed(pending);
  return true;
}

int run(const Args& args) {
  ParserOptions options;
  options.utf8 = args.raw_utf8 ? Utf8Mode::raw : options.utf8;
  options.max_line_bytes = args.max_line_bytes;
  options.max_event_bytes = args.max_event_bytes;
  options.on_limit = args.on_limit == "skip" ? LimitPolicy::skip : LimitPolicy::stop;
  options.initial_last_event_id = args.last_event_id;

  const bool from_stdin = args.file == "-";
  const char* shown = from_stdin ? "standard input" : args.file.c_str();
  const int fd = from_stdin ? STDIN_FILENO : ::open(args.file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    std::fprintf(stderr, "ssecheck events: cannot open %s: %s\n", shown, std::strerror(errno));
    return kExitError;
  }

  std::string out;
  CountingSink sink(out, args.log);
  EventStreamParser parser(sink, options);
  ParseStatus status = ParseStatus::ok;
  bool write_ok = true;
  uint64_t bytes_read = 0;
  const bool read_ok = feed_all(fd, args.chunk, parser, out, status, write_ok, bytes_read);
  const int read_errno = errno;
  if (!from_stdin) ::close(fd);
  if (!read_ok) {
    write_all(out);
    std::fprintf(stderr, "ssecheck events: cannot read %s: %s\n", shown, std::strerror(read_errno));
    return kExitError;
  }
  if (status == ParseStatus::ok) status = parser.finish();
  if (status != ParseStatus::ok) conformance::append_error_line(out, status);
  write_ok = write_all(out) && write_ok;
  if (std::fflush(stdout) != 0 || !write_ok) {
    std::fprintf(stderr, "ssecheck events: cannot write standard output: %s\n", std::strerror(errno));
    return kExitError;
  }
  if (status != ParseStatus::ok) {
    const std::string_view name = status_name(status), message = status_message(status);
    std::fprintf(stderr, "ssecheck events: %.*s: %.*s\n", static_cast<int>(name.size()), name.data(),
                 static_cast<int>(message.size()), message.data());
    return kExitCheckFailed;
  }
  // Nothing happened, or less than the input held: say so (the exit code stays 0).
  if (!sink.limits.empty()) {
    std::string codes;
    for (const auto& [code, count] : sink.limits)
      codes += (codes.empty() ? "" : ", ") + code + " \xC3\x97" + std::to_string(count);
    std::fprintf(stderr, "ssecheck events: note: --on-limit skip dropped input over a limit (%s)\n", codes.c_str());
  }
  if (sink.events == 0) {
    if (bytes_read == 0)
      std::fprintf(stderr, "ssecheck events: note: %s is empty: no events\n", shown);
    else
      std::fprintf(stderr,
                   "ssecheck events: note: no events in %llu bytes of %s (%llu comment(s), %llu retry field(s));"
                   " an event needs a data: line and a blank line after it\n",
                   static_cast<unsigned long long>(bytes_read), shown,
                   static_cast<unsigned long long>(sink.comments), static_cast<unsigned long long>(sink.retries));
  }
  return kExitPass;
}

}  // namespace

Command add_events_command(CLI::App& parent) {
  auto args = std::make_shared<Args>();
  CLI::App* sub = parent.add_subcommand("events", "print each dispatched event as a JSON line");
  sub->description(sub->get_description() + "\n\n" +
      "Parses a text/event-stream (WHATWG HTML) and prints one JSON line per dispatched event:\n"
      "{\"event\":TYPE,\"data\":DATA,\"id\":LAST_EVENT_ID}; accepted retry fields print {\"retry\":N}.\n"
      "Reads standard input when FILE is '-' or absent. A note on stderr says when no event came\n"
      "out, or when --on-limit skip dropped input.");
  sub->add_option("FILE", args->file, "the event stream; - for standard input (default)")->type_name("");
  add_count(*sub, "--chunk", args->chunk, 1, kMaxChunk, "feed N bytes at a time (default: as read, 64 KiB blocks)");
  sub->add_option("--last-event-id", args->last_event_id, "seed the last event ID")->type_name("ID");
  sub->add_flag("--comments", args->log.comments, "also print {\"comment\":TEXT} (the text after the ':')");
  sub->add_flag("--diagnostics", args->log.diagnostics, "also print {\"diagnostic\":CODE}");
  sub->add_flag("--raw-utf8", args->raw_utf8, "keep invalid UTF-8 in the parser (the output still shows U+FFFD)");
  add_count(*sub, "--max-line-bytes", args->max_line_bytes, 1, kMaxLimit, "longest line (default 8 MiB)");
  add_count(*sub, "--max-event-bytes", args->max_event_bytes, 1, kMaxLimit, "largest event data (default 64 MiB)");
  sub->add_option("--on-limit", args->on_limit, "on a limit: stop with an error (default) or skip the event")
      ->type_name("stop|skip")
      ->check(one_of({"stop", "skip"}));
  sub->footer(exit_footer("the stream was read (a note on stderr when it held no event)",
                          "a limit was exceeded (--on-limit stop)"));
  return {sub, [args] { return run(*args); }};
}

}  // namespace ssecheck::cli
