// The anthropic-messages state machine (see anthropic_messages.h for the table).
// Private to this folder: the registry reaches it through kAnthropicMessagesDialect.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ssecheck/dialect_base.h"
#include "ssecheck/json/event_json.h"

namespace ssecheck::anthropic_messages {

inline constexpr std::string_view kName = "anthropic-messages";

// One JSON object member kept as compact JSON text. A repeated key keeps its first
// position and takes the last value, as a JavaScript object built by JSON.parse does.
struct Field {
  std::string key;
  std::string json;
};
using Fields = std::vector<Field>;

enum class BlockKind : uint8_t { text, thinking, tool, other };

struct Block {
  uint32_t index = 0;
  BlockKind kind = BlockKind::other;
  bool stopped = false;
  bool skipped = false;         // over max_tool_calls: nothing stored, events ignored
  bool text_seen = false;       // a text/thinking delta arrived (the key is rewritten)
  bool signature_seen = false;  // a signature_delta arrived
  bool citations_seen = false;  // a citations_delta arrived
  bool input_checked = false;
  bool input_valid = false;     // text parsed; input holds it compactly
  uint32_t tool = 0;            // position among tool blocks
  Fields fields;                // the content_block as sent
  std::string text;             // text, thinking, or the tool's accumulated partial_json
  std::string signature;
  std::vector<std::string> citations;  // compact JSON, the start's elements first
  std::string input;                   // tool: the parsed input, compact
  std::optional<std::string> id;       // tool
  std::string name;                    // tool
};

class MessagesDialect final : public DialectBase {
 public:
  explicit MessagesDialect(const DialectOptions& options);
  size_t scratch_capacity() const override;

 private:
  void handle_event(const Event& event) override;
  void end_of_stream() override;
  void write_native(json::Out& out) const override;
  void normalize(NormalizedResult& out) const override;

  void on_error(const json::Value& root);
  void on_message_start(const json::Value& root);
  void on_block_start(const json::Value& root);
  void on_block_delta(const json::Value& root);
  void on_block_stop(const json::Value& root);
  void on_message_delta(const json::Value& root);
  void on_message_stop();

  std::optional<uint32_t> block_index(const json::Value& root, std::string_view where);
  Block* find_block(uint32_t index);
  void check_tool_input(Block& block);
  // block_stop_missing (and the tool input check) for every block still open.
  void close_open_blocks();

  void write_block(json::Out& out, const Block& block) const;
  void write_content(json::Out& out) const;

  json::EventJson tool_json_;  // validates assembled tool input
  bool started_ = false;
  bool name_missing_noted_ = false;
  bool index_range_reported_ = false;
  bool stop_reason_seen_ = false;
  bool finish_notified_ = false;
  bool usage_object_ = false;  // message_start's usage was an object
  Fields message_;             // message_start.message as sent
  std::vector<std::string> initial_content_;  // message_start content elements (normally none)
  std::optional<std::string> stop_reason_json_;    // nullopt: undefined (key omitted)
  std::optional<std::string> stop_sequence_json_;  // nullopt: undefined (key omitted)
  Fields usage_;                                   // merged usage
  std::optional<std::string> id_;
  std::optional<std::string> model_;
  std::optional<std::string> finish_reason_;  // the current stop_reason when a string
  std::optional<std::string> delta_stop_reason_;  // the last message_delta's, for stop_reason_changed
  std::optional<uint64_t> input_tokens_;
  std::optional<uint64_t> output_tokens_;
  std::vector<Block> blocks_;  // in content_block_start order; at most max_outputs
  uint32_t tool_count_ = 0;
  std::optional<NormalizedError> error_;
  std::string error_json_;  // the error event's data, when no message_start came
};

std::unique_ptr<StreamDialect> make_dialect(const DialectOptions& options);

}  // namespace ssecheck::anthropic_messages
