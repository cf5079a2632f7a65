// sse_parser_fuzzer: arbitrary bytes into EventStreamParser, checking its
// documented invariants on every callback.
//
// Input: [stream bytes...][chunk:1][limits:2][flags:1] (trailer read from the end
// with FuzzedDataProvider; short inputs get zeros).
//   flags bit0 utf8 raw, bit1 limit policy skip, bit2 small limits, bit3 seed an
//   initial last event ID. chunk: feed size (0 = all at once).
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "ssecheck/event_stream_parser.h"

namespace {

using ssecheck_fuzz::escape;
using ssecheck_fuzz::fuzz_fail;
using ssecheck_fuzz::is_valid_utf8;

// Retry values the stream can legitimately produce: "retry:" lines whose value is
// all ASCII digits, found by a scan independent of the parser.
std::set<uint64_t> possible_retries(std::string_view s) {
  std::set<uint64_t> values;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t end = s.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) break;  // unterminated lines are never processed
    std::string_view line = s.substr(pos, end - pos);
    pos = end + 1;
    if (line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    if (line.substr(0, 6) != "retry:") continue;
    line.remove_prefix(6);
    if (!line.empty() && line[0] == ' ') line.remove_prefix(1);
    if (line.empty()) continue;
    if (line.find_first_not_of("0123456789") != std::string_view::npos) continue;
    uint64_t n = 0;
    bool overflow = false;
    for (char c : line) {
      uint64_t d = static_cast<uint64_t>(c - '0');
      if (n > (UINT64_MAX - d) / 10) overflow = true;
      n = n * 10 + d;
    }
    if (!overflow) values.insert(n);
  }
  return values;
}

size_t count_line_endings(std::string_view s) {
  return static_cast<size_t>(std::count(s.begin(), s.end(), '\n') + std::count(s.begin(), s.end(), '\r'));
}

struct CheckingSink : ssecheck::EventSink {
  std::string_view input;
  bool replace = true;
  bool input_is_utf8 = false;
  std::set<uint64_t> retries_allowed;
  size_t line_endings = 0;
  uint64_t events = 0;
  uint64_t retries = 0;
  uint64_t comments = 0;
  uint64_t fatal_diagnostics = 0;

  // In raw mode, or when the input is valid UTF-8, outputs are made of input bytes.
  void check_text(std::string_view what, std::string_view text) const {
    if (replace && !is_valid_utf8(text))
      fuzz_fail("%.*s is not valid UTF-8 in replace mode: \"%s\"", int(what.size()), what.data(),
                escape(text).c_str());
    if ((!replace || input_is_utf8) && input.find(text) == std::string_view::npos)
      fuzz_fail("%.*s \"%s\" does not occur in the input", int(what.size()), what.data(),
                escape(text).c_str());
  }

  void on_event(const ssecheck::Event& e) override {
    if (e.index != events) fuzz_fail("event index %llu, expected %llu", (unsigned long long)e.index,
                                      (unsigned long long)events);
    ++events;
    if (e.type.empty()) fuzz_fail("event %llu has an empty type", (unsigned long long)e.index);
    if (input.find("data") == std::string_view::npos)
      fuzz_fail("event dispatched but the input has no data field");
    if (static_cast<size_t>(std::count(e.data.begin(), e.data.end(), '\n')) >= line_endings)
      fuzz_fail("event data has more LFs than the input has lines");
    if (e.offset > input.size()) fuzz_fail("event offset past the end of input");
    if (e.type != "message") check_text("type", e.type);
    size_t start = 0;
    while (true) {
      size_t lf = e.data.find('\n', start);
      check_text("data line", e.data.substr(start, lf == std::string_view::npos ? lf : lf - start));
      if (lf == std::string_view::npos) break;
      start = lf + 1;
    }
    if (e.id.find('\0') != std::string_view::npos) fuzz_fail("event id contains NUL");
    if (replace && !is_valid_utf8(e.id)) fuzz_fail("id is not valid UTF-8: \"%s\"", escape(e.id).c_str());
  }
  void on_retry(uint64_t ms) override {
    ++retries;
    if (!retries_allowed.count(ms)) fuzz_fail("retry %llu has no all-digit retry line", (unsigned long long)ms);
  }
  void on_comment(std::string_view text, uint64_t offset) override {
    ++comments;
    if (offset > input.size()) fuzz_fail("comment offset past the end of input");
    check_text("comment", text);
  }
  void on_diagnostic(ssecheck::DiagCode code, uint64_t offset) override {
    const auto& d = ssecheck::info(code);
    if (d.layer != "sse") fuzz_fail("parser reported non-sse diagnostic %.*s", int(d.name.size()), d.name.data());
    if (offset > input.size()) fuzz_fail("diagnostic offset past the end of input");
    if (d.severity == ssecheck::Severity::fatal) ++fatal_diagnostics;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  const uint8_t flags = fdp.ConsumeIntegral<uint8_t>();
  const uint16_t limits = fdp.ConsumeIntegral<uint16_t>();
  const size_t chunk = fdp.ConsumeIntegral<uint8_t>();
  const std::string stream = fdp.ConsumeRemainingBytesAsString();

  ssecheck::ParserOptions options;
  options.utf8 = (flags & 1) ? ssecheck::Utf8Mode::raw : ssecheck::Utf8Mode::replace;
  options.on_limit = (flags & 2) ? ssecheck::LimitPolicy::skip : ssecheck::LimitPolicy::stop;
  const bool small_limits = flags & 4;
  if (small_limits) {
    options.max_line_bytes = 1 + (limits & 0x3F);
    options.max_event_bytes = 1 + (limits >> 6);
  }
  const std::string initial_id = (flags & 8) ? "seed-id" : "";
  options.initial_last_event_id = initial_id;

  CheckingSink sink;
  sink.input = stream;
  sink.replace = options.utf8 == ssecheck::Utf8Mode::replace;
  sink.input_is_utf8 = is_valid_utf8(stream);
  sink.retries_allowed = possible_retries(stream);
  sink.line_endings = count_line_endings(stream);

  // Buffered bytes: partial line (x3 after repair) + scratch + data; capacity allows doubling.
  const size_t L = options.max_line_bytes, E = options.max_event_bytes;
  const size_t buffered_bound = 4 * L + E + 64;
  const size_t capacity_bound = 2 * (buffered_bound + 3 * 3 * L) + 512;

  ssecheck::EventStreamParser parser(sink, options);
  ssecheck::ParseStatus status = ssecheck::ParseStatus::ok;
  std::string_view rest = stream;
  while (true) {
    size_t n = chunk == 0 ? rest.size() : std::min(chunk, rest.size());
    ssecheck::ParseStatus s = parser.feed(rest.substr(0, n));
    if (status != ssecheck::ParseStatus::ok && options.on_limit == ssecheck::LimitPolicy::stop && s != status)
      fuzz_fail("status changed from %d to %d after a stop", int(status), int(s));
    status = s;
    if (parser.buffered_bytes() > buffered_bound || parser.buffer_capacity() > capacity_bound)
      fuzz_fail("memory bound: buffered %zu (bound %zu), capacity %zu (bound %zu), L=%zu E=%zu",
                parser.buffered_bytes(), buffered_bound, parser.buffer_capacity(), capacity_bound, L, E);
    rest.remove_prefix(n);
    if (rest.empty()) break;
  }
  const uint64_t events_before_finish = sink.events;
  ssecheck::ParseStatus fin = parser.finish();
  if (sink.events != events_before_finish) fuzz_fail("finish() dispatched an event");
  if (parser.events_dispatched() != sink.events) fuzz_fail("events_dispatched() disagrees with callbacks");
  if (parser.bytes_consumed() > stream.size()) fuzz_fail("bytes_consumed() past the input");
  if (status == ssecheck::ParseStatus::ok && parser.bytes_consumed() != stream.size())
    fuzz_fail("bytes_consumed() %llu != %zu", (unsigned long long)parser.bytes_consumed(), stream.size());
  if (!small_limits && sink.fatal_diagnostics != 0) fuzz_fail("limit hit with default limits");
  if (parser.feed("data: x\n\n") != ssecheck::ParseStatus::finished) fuzz_fail("feed() after finish() not refused");
  (void)fin;

  // reset() must give a fresh parser: a second whole-input pass agrees on the counts
  // when the first was not chunked differently (chunking independence is sse_split's job).
  if (chunk == 0) {
    CheckingSink again = sink;
    again.events = again.retries = again.comments = again.fatal_diagnostics = 0;
    ssecheck::EventStreamParser fresh(again, options);
    fresh.feed(stream);
    fresh.finish();
    parser.reset();
    CheckingSink& first = sink;
    uint64_t e = first.events, r = first.retries, c = first.comments;
    first.events = first.retries = first.comments = first.fatal_diagnostics = 0;
    parser.feed(stream);
    parser.finish();
    if (first.events != e || first.retries != r || first.comments != c)
      fuzz_fail("after reset(): %llu/%llu/%llu events/retries/comments, first pass %llu/%llu/%llu",
                (unsigned long long)first.events, (unsigned long long)first.retries,
                (unsigned long long)first.comments, (unsigned long long)e, (unsigned long long)r,
                (unsigned long long)c);
    if (again.events != e) fuzz_fail("fresh parser disagrees with the first pass");
  }
  return 0;
}
