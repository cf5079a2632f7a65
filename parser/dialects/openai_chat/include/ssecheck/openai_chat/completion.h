// The openai-chat native object: the chat.completion assembled from chunk events.
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
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ssecheck/report.h"

namespace ssecheck {

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

// The completion a report of dialect openai-chat holds (AssemblyReport::native);
// an empty one for a report of any other dialect.
const Completion& completion_of(const AssemblyReport& report);

}  // namespace ssecheck
