// The dialect seam: a state machine that turns SSE events into one AssemblyReport.
//
// Invariants:
//  - Every dialect takes the same inputs (events, comments, forwarded SSE diagnostics,
//    end of stream) and produces the same report shape, so drivers stay dialect-blind.
//  - Inputs after finish() are ignored; report() is complete only after finish().
//  - Dialects are found by name; "openai-chat" (chat.completion.chunk) is the first.
//    Anthropic Messages, OpenAI Responses or Gemini plug in beside it.
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "ssecheck/completion.h"
#include "ssecheck/delta_accumulator.h"
#include "ssecheck/event_stream_parser.h"

namespace ssecheck {

class StreamDialect {
 public:
  virtual ~StreamDialect() = default;
  virtual std::string_view name() const = 0;
  virtual void on_event(const Event& event) = 0;
  virtual void on_comment(std::string_view text, uint64_t offset) = 0;
  // A diagnostic from a lower layer (the SSE parser), filed into the same report.
  virtual void on_lower_diagnostic(DiagCode code, uint64_t event_index, uint64_t offset) = 0;
  // End of stream; end_offset is the total input size.
  virtual void finish(uint64_t end_offset) = 0;
  virtual const AssemblyReport& report() const = 0;
  virtual AssemblyReport& mutable_report() = 0;  // for drivers to fill stats.bytes
};

// Options shared by all dialects (each reads what applies to it).
using DialectOptions = AccumulatorOptions;

// nullptr when no dialect has that name.
std::unique_ptr<StreamDialect> make_dialect(std::string_view name, const DialectOptions& options = {});
std::span<const std::string_view> dialect_names();

}  // namespace ssecheck
