// ssecheck events: print every dispatched event (and optionally comments and
// diagnostics) as JSON lines.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "commands.h"
#include "json_lines.h"
#include "ssecheck/event_stream_parser.h"

namespace ssecheck::cli {
namespace {

constexpr const char* kEventsUsage =
    "usage: ssecheck events [options] [FILE|-]\n"
    "\n"
    "Parse a text/event-stream (WHATWG HTML) and print one JSON line per dispatched\n"
    "event: {\"event\":TYPE,\"data\":DATA,\"id\":LAST_EVENT_ID}; accepted retry fields\n"
    "print {\"retry\":N}. Reads standard input when FILE is '-' or absent.\n"
    "\n"
    "options:\n"
    "  --chunk N             feed N bytes at a time (default: as read, 64 KiB blocks)\n"
    "  --last-event-id ID    seed the last event ID\n"
    "  --comments            also print {\"comment\":TEXT} (text after the ':')\n"
    "  --diagnostics         also print {\"diagnostic\":CODE}\n"
    "  --raw-utf8            keep invalid UTF-8 in the parser (output still shows U+FFFD)\n"
    "  --max-line-bytes N    longest line (default 8 MiB)\n"
    "  --max-event-bytes N   largest event data (default 64 MiB)\n"
    "  --on-limit stop|skip  on a limit: stop with an error (default) or skip the event\n"
    "\n"
    "exit: 0 ok, 1 a limit was exceeded (stop policy), 2 usage or I/O error\n";

constexpr size_t kBlockSize = size_t{64} << 10;

int usage_error(const std::string& message) {
  std::fprintf(stderr, "ssecheck events: %s\n%s", message.c_str(), kEventsUsage);
  return 2;
}

bool parse_count(std::string_view text, size_t& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && !text.empty() && out > 0;
}

bool write_all(std::string& out) {
  const bool ok = std::fwrite(out.data(), 1, out.size(), stdout) == out.size();
  out.clear();
  return ok;
}

struct Args {
  size_t chunk = 0;  // 0: feed blocks as read
  std::string last_event_id;
  conformance::LogOptions log;
  ParserOptions parser;
  std::string file = "-";
};

// Returns -1 when parsing should continue, else the exit code.
int parse_args(int argc, char** argv, Args& args) {
  bool have_file = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&](std::string_view& out) {
      if (i + 1 >= argc) return false;
      out = argv[++i];
      return true;
    };
    std::string_view v;
    if (arg == "--help" || arg == "-h") {
      std::fputs(kEventsUsage, stdout);
      return 0;
    } else if (arg == "--comments") {
      args.log.comments = true;
    } else if (arg == "--diagnostics") {
      args.log.diagnostics = true;
    } else if (arg == "--raw-utf8") {
      args.parser.utf8 = Utf8Mode::raw;
    } else if (arg == "--chunk") {
      if (!value(v) || !parse_count(v, args.chunk)) return usage_error("--chunk needs N > 0");
    } else if (arg == "--max-line-bytes") {
      if (!value(v) || !parse_count(v, args.parser.max_line_bytes))
        return usage_error("--max-line-bytes needs N > 0");
    } else if (arg == "--max-event-bytes") {
      if (!value(v) || !parse_count(v, args.parser.max_event_bytes))
        return usage_error("--max-event-bytes needs N > 0");
    } else if (arg == "--last-event-id") {
      if (!value(v)) return usage_error("--last-event-id needs a value");
      args.last_event_id = v;
    } else if (arg == "--on-limit") {
      if (!value(v) || (v != "stop" && v != "skip"))
        return usage_error("--on-limit needs stop or skip");
      args.parser.on_limit = v == "stop" ? LimitPolicy::stop : LimitPolicy::skip;
    } else if (arg.size() > 1 && arg[0] == '-') {
      return usage_error("unknown option '" + std::string(arg) + "'");
    } else if (have_file) {
      return usage_error("more than one input file");
    } else {
      args.file = arg;
      have_file = true;
    }
  }
  return -1;
}

// Reads `fd` to the end, feeding the parser as data arrives (or `chunk` bytes at a time).
// Returns false on a read error.
bool feed_all(int fd, size_t chunk, EventStreamParser& parser, std::string& out,
              ParseStatus& status, bool& write_ok) {
  std::vector<char> block(kBlockSize);
  std::string pending;  // with --chunk: bytes not yet fed
  while (status == ParseStatus::ok && write_ok) {
    const ssize_t n = ::read(fd, block.data(), block.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) break;
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

}  // namespace

int run_events(int argc, char** argv) {
  Args args;
  if (const int code = parse_args(argc, argv, args); code >= 0) return code;
  args.parser.initial_last_event_id = args.last_event_id;

  const bool from_stdin = args.file == "-";
  const int fd = from_stdin ? STDIN_FILENO : ::open(args.file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    std::fprintf(stderr, "ssecheck events: cannot open '%s': %s\n", args.file.c_str(),
                 std::strerror(errno));
    return 2;
  }

  std::string out;
  conformance::JsonLinesSink sink(out, args.log);
  EventStreamParser parser(sink, args.parser);
  ParseStatus status = ParseStatus::ok;
  bool write_ok = true;
  const bool read_ok = feed_all(fd, args.chunk, parser, out, status, write_ok);
  const int read_errno = errno;
  if (!from_stdin) ::close(fd);
  if (!read_ok) {
    write_all(out);
    std::fprintf(stderr, "ssecheck events: cannot read '%s': %s\n", args.file.c_str(),
                 std::strerror(read_errno));
    return 2;
  }
  if (status == ParseStatus::ok) status = parser.finish();
  if (status != ParseStatus::ok) conformance::append_error_line(out, status);
  write_ok = write_all(out) && write_ok && std::fflush(stdout) == 0;
  if (!write_ok) {
    std::fputs("ssecheck events: write error on standard output\n", stderr);
    return 2;
  }
  if (status != ParseStatus::ok) {
    const std::string_view name = status_name(status), message = status_message(status);
    std::fprintf(stderr, "ssecheck events: %.*s: %.*s\n", static_cast<int>(name.size()),
                 name.data(), static_cast<int>(message.size()), message.data());
    return 1;
  }
  return 0;
}

}  // namespace ssecheck::cli
