// NormalizedResult: the one assembled result every dialect produces, whatever its wire
// format. It is the contract shared by goldens, the CLI (--format normalized) and the
// adapters for external implementations; its JSON Schema is
// conformance/schema/normalized-result.schema.json.
//
// Invariants:
//  - outputs has one entry per chat choice (sorted by index); every other dialect has
//    exactly one output, index 0, once anything was assembled (none for a stream that
//    carried nothing).
//  - text, reasoning and refusal are "" when nothing was sent; tool_calls in order.
//  - tool_calls[].arguments holds the assembled text; the writer prints it as a JSON
//    value when it parses, else as that string.
//  - finish_reason is the provider's own value (stop, tool_use, STOP, completed...).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ssecheck {

struct NormalizedToolCall {
  std::optional<std::string> id;
  std::string name;
  std::string arguments;
};

struct NormalizedOutput {
  uint32_t index = 0;
  std::string text;
  std::string reasoning;
  std::string refusal;
  std::vector<NormalizedToolCall> tool_calls;
  std::optional<std::string> finish_reason;
};

struct NormalizedUsage {
  std::optional<uint64_t> input_tokens;
  std::optional<uint64_t> output_tokens;
};

struct NormalizedError {
  std::string type;
  std::string message;
};

struct NormalizedResult {
  std::string dialect;
  std::optional<std::string> id;
  std::optional<std::string> model;
  std::vector<NormalizedOutput> outputs;
  NormalizedUsage usage;
  std::optional<NormalizedError> error;
};

// One JSON document, no trailing newline.
std::string normalized_to_json(const NormalizedResult& result, bool pretty = false);

}  // namespace ssecheck
