// sse_split_fuzzer: differential test of EventStreamParser.
// The same bytes go in (1) whole, (2) cut at fuzzer-chosen offsets (empty and
// 1-byte feeds included), and (3) through the independent WHATWG reference parser
// in fuzz/reference/. (1) and (2) must make identical callbacks, offsets and
// diagnostics included; (1) and (3) must agree on events, retries and comments
// whenever the reference applies (no limit hit; replace mode, or valid UTF-8).
//
// Input: [stream...][cuts: 2 bytes each][cut count:1][flags:1], trailer read from
// the end with FuzzedDataProvider. flags bit0 utf8 raw, bit1 skip policy, bit2 small
// limits, bit3 initial last event ID, bit4 also feed one byte at a time.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "reference/reference_event_stream_parser.h"
#include "ssecheck/event_stream_parser.h"

namespace {

using ssecheck_fuzz::escape;
using ssecheck_fuzz::ReferenceOutput;

// Every callback as one printable line.
struct RecordingSink : ssecheck::EventSink {
  std::vector<std::string> calls;        // everything, for whole vs split
  std::vector<ReferenceOutput> outputs;  // events, retries, comments, for the reference
  bool limit_hit = false;

  void on_event(const ssecheck::Event& e) override {
    calls.push_back("event #" + std::to_string(e.index) + " @" + std::to_string(e.offset) + " type=\"" +
                    escape(e.type) + "\" id=\"" + escape(e.id) + "\" data=\"" + escape(e.data) + "\"");
    outputs.push_back({ReferenceOutput::Kind::event, std::string(e.type), std::string(e.data), std::string(e.id), 0});
  }
  void on_retry(uint64_t ms) override {
    calls.push_back("retry " + std::to_string(ms));
    outputs.push_back({ReferenceOutput::Kind::retry, {}, {}, {}, ms});
  }
  void on_comment(std::string_view text, uint64_t offset) override {
    calls.push_back("comment @" + std::to_string(offset) + " \"" + escape(text) + "\"");
    outputs.push_back({ReferenceOutput::Kind::comment, {}, std::string(text), {}, 0});
  }
  void on_diagnostic(ssecheck::DiagCode code, uint64_t offset) override {
    std::string_view name = ssecheck::name(code);
    calls.push_back("diagnostic " + std::string(name) + " @" + std::to_string(offset));
    if (code == ssecheck::DiagCode::line_too_long || code == ssecheck::DiagCode::event_too_long) limit_hit = true;
  }
};

std::string describe(const ReferenceOutput& o) {
  switch (o.kind) {
    case ReferenceOutput::Kind::event:
      return "event type=\"" + escape(o.type) + "\" id=\"" + escape(o.id) + "\" data=\"" + escape(o.data) + "\"";
    case ReferenceOutput::Kind::retry: return "retry " + std::to_string(o.retry);
    case ReferenceOutput::Kind::comment: return "comment \"" + escape(o.data) + "\"";
  }
  return "?";
}

bool same(const ReferenceOutput& a, const ReferenceOutput& b) {
  return a.kind == b.kind && a.type == b.type && a.data == b.data && a.id == b.id && a.retry == b.retry;
}

std::string dump_lines(const std::vector<std::string>& lines, size_t mark) {
  std::string out;
  for (size_t i = 0; i < lines.size() && i < mark + 8; ++i)
    out += (i == mark ? "  > " : "    ") + lines[i] + "\n";
  if (lines.size() > mark + 8) out += "    ... " + std::to_string(lines.size()) + " in all\n";
  return out;
}

[[noreturn]] void report(const char* what, const std::string& input, const std::string& cuts,
                         const std::vector<std::string>& a, const char* a_name,
                         const std::vector<std::string>& b, const char* b_name) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  ssecheck_fuzz::fuzz_fail("%s\ninput (%zu bytes): \"%s\"\nfeeds: %s\nfirst difference at callback %zu\n%s:\n%s%s:\n%s",
                           what, input.size(), escape(input).c_str(), cuts.c_str(), i, a_name,
                           dump_lines(a, i).c_str(), b_name, dump_lines(b, i).c_str());
}

struct Run {
  RecordingSink sink;
  std::vector<std::string> statuses;
};

void feed_all(Run& run, const ssecheck::ParserOptions& options, const std::string& stream,
              const std::vector<size_t>& cuts) {
  ssecheck::EventStreamParser parser(run.sink, options);
  size_t pos = 0;
  ssecheck::ParseStatus last = ssecheck::ParseStatus::ok;
  for (size_t cut : cuts) {
    last = parser.feed(std::string_view(stream).substr(pos, cut - pos));
    pos = cut;
  }
  last = parser.feed(std::string_view(stream).substr(pos));
  run.statuses.push_back("last feed: " + std::string(ssecheck::status_name(last)));
  run.statuses.push_back("finish: " + std::string(ssecheck::status_name(parser.finish())));
  run.sink.calls.insert(run.sink.calls.end(), run.statuses.begin(), run.statuses.end());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  const uint8_t flags = fdp.ConsumeIntegral<uint8_t>();
  const size_t n_cuts = fdp.ConsumeIntegralInRange<uint8_t>(0, 31);
  std::vector<uint16_t> raw_cuts;
  for (size_t i = 0; i < n_cuts && fdp.remaining_bytes() >= 2; ++i) raw_cuts.push_back(fdp.ConsumeIntegral<uint16_t>());
  const std::string stream = fdp.ConsumeRemainingBytesAsString();

  ssecheck::ParserOptions options;
  options.utf8 = (flags & 1) ? ssecheck::Utf8Mode::raw : ssecheck::Utf8Mode::replace;
  options.on_limit = (flags & 2) ? ssecheck::LimitPolicy::skip : ssecheck::LimitPolicy::stop;
  if (flags & 4) {
    options.max_line_bytes = 1 + (flags >> 5) * 3;
    options.max_event_bytes = 1 + (flags >> 5) * 5;
  }
  const std::string initial_id = (flags & 8) ? "seed-\xC3\xA9" : "";
  options.initial_last_event_id = initial_id;

  // Sorted cut offsets; repeats make empty feeds.
  std::vector<size_t> cuts;
  for (uint16_t c : raw_cuts) cuts.push_back(c % (stream.size() + 1));
  std::sort(cuts.begin(), cuts.end());
  std::string cut_text;
  for (size_t c : cuts) cut_text += std::to_string(c) + " ";

  Run whole, split;
  feed_all(whole, options, stream, {});
  feed_all(split, options, stream, cuts);
  if (whole.sink.calls != split.sink.calls)
    report("whole and split feeds differ", stream, cut_text, whole.sink.calls, "whole", split.sink.calls, "split");

  if ((flags & 16) && stream.size() <= 4096) {
    std::vector<size_t> every;
    for (size_t i = 1; i < stream.size(); ++i) every.push_back(i);
    Run bytewise;
    feed_all(bytewise, options, stream, every);
    if (whole.sink.calls != bytewise.sink.calls)
      report("whole and byte-at-a-time feeds differ", stream, "every byte", whole.sink.calls, "whole",
             bytewise.sink.calls, "bytewise");
  }

  const bool reference_applies = !whole.sink.limit_hit &&
                                 (options.utf8 == ssecheck::Utf8Mode::replace || ssecheck_fuzz::is_valid_utf8(stream));
  if (!reference_applies) return 0;
  std::vector<ReferenceOutput> expected = ssecheck_fuzz::reference_parse_event_stream(stream, initial_id);
  const auto& actual = whole.sink.outputs;
  bool equal = expected.size() == actual.size();
  for (size_t i = 0; equal && i < expected.size(); ++i) equal = same(expected[i], actual[i]);
  if (!equal) {
    std::vector<std::string> e, a;
    for (const auto& o : expected) e.push_back(describe(o));
    for (const auto& o : actual) a.push_back(describe(o));
    report("parser and WHATWG reference differ", stream, "whole", e, "reference", a, "parser");
  }
  return 0;
}
