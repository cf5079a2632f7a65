// The result of assembling a stream: an OpenAI chat.completion plus diagnostics and stats.
//
// Invariants:
//  - Absent vs empty: std::nullopt means the field was never sent (printed as null);
//    an engaged optional holds what was sent, possibly "" (printed as "").
//  - choices, tool_calls and reasoning_details are sorted by index and hold only
//    indices that were actually seen (sparse indices stay sparse).
//  - usage_json is the provider's last usage object re-serialised whole (extras kept).
//  - Event data is checked to be UTF-8 before parsing, but a JSON escape of a lone
//    surrogate or a Diagnostic::message quoting raw event bytes can still hold invalid
//    UTF-8; the JSON writer repairs every string it prints.
//  - AssemblyStats holds only chunking-independent figures.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ssecheck/diagnostics.h"

namespace ssecheck {

inline constexpr size_t kDiagCodeCount = 0
#define SSECHECK_X(name, severity, layer, description) +1
    SSECHECK_DIAGNOSTIC_CODES(SSECHECK_X)
#undef SSECHECK_X
    ;

struct ToolCall {
  uint32_t index = 0;
  std::optional<std::string> id;
  std::optional<std::string> type;
  std::optional<std::string> name;       // function.name
  std::optional<std::string> arguments;  // function.arguments, concatenated
};

// One reasoning_details entry. String fields are concatenated, except the identity
// fields type, id and format (set once); other values keep the last non-null one.
struct DetailField {
  std::string key;
  std::string value;     // the text, or raw JSON when is_json
  bool is_json = false;
};
struct ReasoningDetail {
  uint32_t index = 0;
  std::vector<DetailField> fields;  // in first-seen order
};

struct Message {
  std::optional<std::string> role;
  std::optional<std::string> content;
  std::optional<std::string> reasoning;  // reasoning_content, or reasoning
  std::optional<std::string> refusal;
  std::vector<ToolCall> tool_calls;
  std::vector<ReasoningDetail> reasoning_details;
};

struct Choice {
  uint32_t index = 0;
  Message message;
  std::optional<std::string> finish_reason;  // null and "" count as absent
  // logprobs.content / logprobs.refusal entries, each a JSON value, comma-joined.
  std::optional<std::string> logprobs_content;
  std::optional<std::string> logprobs_refusal;
};

struct Completion {
  std::optional<std::string> id;
  std::optional<int64_t> created;
  std::optional<std::string> model;
  std::optional<std::string> system_fingerprint;
  std::vector<Choice> choices;
  std::optional<std::string> usage_json;
};

enum class StreamState : uint8_t { start, streaming, finished, done, errored, truncated };
std::string_view state_name(StreamState s);

struct AssemblyStats {
  uint64_t bytes = 0;            // input bytes (set by the driver feeding the parser)
  uint64_t events = 0;           // SSE events received
  uint64_t data_chunks = 0;      // events whose data parsed as a JSON object chunk
  uint64_t comments = 0;
  uint64_t empty_deltas = 0;     // choice entries with an empty/missing delta and no finish_reason
  uint64_t assembled_bytes = 0;  // text appended to the completion
  bool done_seen = false;
};

struct DiagnosticCounts {
  uint64_t note = 0;
  uint64_t deviation = 0;
  uint64_t fatal = 0;
  uint64_t dropped = 0;  // counted but not stored (beyond max_diagnostics)
  std::array<uint32_t, kDiagCodeCount> by_code{};
  uint32_t of(DiagCode c) const { return by_code[static_cast<size_t>(c)]; }
};

struct AssemblyReport {
  std::string dialect;
  StreamState state = StreamState::start;
  bool strict = false;
  Completion completion;
  std::vector<Diagnostic> diagnostics;  // the first max_diagnostics, in order
  DiagnosticCounts counts;
  AssemblyStats stats;

  // Any fatal diagnostic, or any deviation when strict.
  bool failed() const { return counts.fatal > 0 || (strict && counts.deviation > 0); }
  bool has(DiagCode c) const { return counts.of(c) > 0; }
};

}  // namespace ssecheck
