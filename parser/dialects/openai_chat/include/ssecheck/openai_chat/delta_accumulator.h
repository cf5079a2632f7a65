// DeltaAccumulator: folds OpenAI chat.completion.chunk events into one chat.completion.
//
// Invariants:
//  - Never throws, never crashes: bad input becomes a diagnostic (diagnostics.h, layer
//    "chunk") carrying the event index and byte offset of the event that caused it.
//  - Bounded: every index is checked against AccumulatorLimits before anything is
//    allocated for it; JSON depth, assembled bytes and stored diagnostics are capped.
//  - Hot path: each event's data is copied into one reused buffer and parsed into a
//    DOM whose buffers are reused, so a warm accumulator allocates only when assembled
//    strings grow. A DOM, not pure SAX, because keys arrive in any order (grok sends a
//    tool call's index after function). simdjson parses when the build has it
//    (SSECHECK_HAVE_SIMDJSON); RapidJSON (in situ, iterative, depth-limited) takes what
//    simdjson refuses and every event when it is absent. Reports are byte-identical
//    either way: numbers convert exactly in both, and RapidJSON words every error.
//  - Tolerant by default; with strict, any deviation makes failed() true.
//
// States and transitions (state x input -> next state / action):
//
//   state     | chunk                | [DONE]       | error         | end of stream
//   ----------+----------------------+--------------+---------------+------------------------
//   start     | streaming / merge    | done         | errored       | truncated (fatal)
//   streaming | streaming / merge;   | done         | errored       | truncated (fatal)
//             | finished on a        |              |               |
//             | finish_reason        |              |               |
//   finished  | finished / merge     | done         | errored       | finished (done_missing)
//   done      | done / data_after_done (ignored)                    | done
//   errored   | errored / ignored (a [DONE] is noted)               | errored (+ truncated
//             |                                                     | unless a finish_reason
//             |                                                     | or [DONE] came)
//   truncated | (terminal: reached only at end of stream)
//
//   chunk = a "message" event whose data is a JSON object (its object field, when
//   present and non-empty, must be "chat.completion.chunk"); error = an "error" event or
//   an object with a non-null "error" member (fatal provider_error). Comments never
//   change state. invalid_json / json_too_deep / json_too_large / not_a_chunk (non-object)
//   skip the event
//   without changing state; other event types are ignored (unexpected_event_type).
//   At end of stream (done or finished): each seen choice without finish_reason gets
//   finish_reason_missing, no choice at all gives no_choices, and every tool call's
//   arguments are checked (empty -> tool_arguments_empty, not JSON ->
//   tool_arguments_invalid_json, not an object -> tool_arguments_not_object).
//
// Merging: content, refusal and reasoning (reasoning_content, else reasoning) are
// concatenated; tool calls are keyed by index (missing: by id, else the latest call,
// else a new one); id/type/name are set once; arguments concatenated; reasoning_details
// merged by index; top-level id/model/created/system_fingerprint: first non-empty wins;
// usage: last wins; logprobs content/refusal arrays concatenated. A key repeated inside
// a chunk, choice, delta, tool call, function or logprobs object: its last value is
// used, as JSON.parse does (duplicate_key); usage and other pass-through objects are
// copied as sent.
//
// Observer callbacks run during on_event()/finish() in delta order: role is silent, then
// content, reasoning, refusal, tool calls (started, then arguments), then finish_reason
// (each of the choice's tool calls finished, then the choice finished).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "ssecheck/dialect.h"
#include "ssecheck/event_stream_parser.h"
#include "ssecheck/openai_chat/completion.h"

namespace ssecheck {

// Limits and options are the dialect-wide ones (dialect.h); max_outputs bounds choices.
using AccumulatorLimits = DialectLimits;
using AccumulatorOptions = DialectOptions;

// StreamObserver plus chat's own callbacks; pass one as DialectOptions::observer.
class AccumulatorObserver : public StreamObserver {
 public:
  // At the choice's finish_reason, or at end of stream for calls still open.
  virtual void on_tool_call_finished(uint32_t /*choice*/, const ToolCall& /*call*/) {}
  virtual void on_choice_finished(uint32_t /*choice*/, std::string_view /*finish_reason*/) {}
};

class DeltaAccumulator {
 public:
  explicit DeltaAccumulator(const AccumulatorOptions& options = {});
  ~DeltaAccumulator();
  DeltaAccumulator(const DeltaAccumulator&) = delete;
  DeltaAccumulator& operator=(const DeltaAccumulator&) = delete;

  void on_event(const Event& event);
  void on_comment(std::string_view text, uint64_t offset);
  // Files a diagnostic from another layer (e.g. the SSE parser) with its catalogue
  // severity; an empty message uses the catalogue description.
  void add_diagnostic(DiagCode code, uint64_t event_index, uint64_t offset, std::string_view message = {});
  // End of stream. end_offset (total input bytes) locates end-of-stream diagnostics.
  void finish(uint64_t end_offset = 0);
  // Back to start, keeping options and warmed-up buffers.
  void reset();

  StreamState state() const;
  bool failed() const;
  // native_json and normalized are filled by finish().
  const AssemblyReport& report() const;
  AssemblyReport& mutable_report();
  const Completion& completion() const;
  // Bytes held by the JSON buffers and pools (for memory-bound checks).
  size_t scratch_capacity() const;
  // Event data simdjson parsed (the rest went to RapidJSON); for tests and benchmarks.
  uint64_t simdjson_parses() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ssecheck
