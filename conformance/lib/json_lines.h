// JSON output for parser results: one JSON object per line (the `ssecheck events` log).
//
// Invariants:
//  - Output is always valid JSON, whatever the bytes: `"`, `\` and control characters
//    (U+0000..U+001F, U+007F) are escaped; invalid UTF-8 becomes U+FFFD, one per
//    maximal subpart, as the WHATWG UTF-8 decoder does.
//  - Log line shapes: {"event":T,"data":D,"id":I}, {"retry":N}, {"comment":C},
//    {"diagnostic":"code"}, {"error":"status"}.
#pragma once

#include <string>
#include <string_view>

#include "ssecheck/event_stream_parser.h"

namespace ssecheck::conformance {

// Appends `bytes` as a quoted JSON string literal.
void append_json_string(std::string& out, std::string_view bytes);

struct LogOptions {
  bool comments = false;
  bool diagnostics = false;
};

// Appends one log line per parser callback to `out`.
class JsonLinesSink final : public EventSink {
 public:
  JsonLinesSink(std::string& out, LogOptions options) : out_(out), options_(options) {}

  void on_event(const Event& event) override;
  void on_retry(uint64_t milliseconds) override;
  void on_comment(std::string_view text, uint64_t offset) override;
  void on_diagnostic(DiagCode code, uint64_t offset) override;

 private:
  std::string& out_;
  LogOptions options_;
};

// The final {"error":"..."} line for a non-ok ParseStatus.
void append_error_line(std::string& out, ParseStatus status);

}  // namespace ssecheck::conformance
