// The openai-responses state machine (see openai_responses.h for the rules): a Response
// snapshot modelled member by member, so it can be written back as the SDK's object.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ssecheck/dialect_base.h"
#include "ssecheck/json/value.h"

namespace ssecheck::openai_responses {

// How a member's value is held.
enum class Kind : uint8_t {
  raw,          // compact JSON text
  string,       // a JSON string, unescaped (the live text fields)
  content,      // Item::content
  summary,      // Item::summary
  annotations,  // Part::annotations
  output,       // Snapshot::output
};

struct Member {
  std::string key;
  Kind kind = Kind::raw;
  std::string value;  // raw: JSON text; string: the string; other kinds: unused
};

// An object's members in document order; a repeated key keeps its first position.
// find() tries the last found position first, so the live field a stream of deltas
// updates costs O(1) however many members the object has.
struct Members {
  std::vector<Member> list;
  mutable size_t hint = 0;
  const Member* find(std::string_view key) const;
  Member* find(std::string_view key);
  // The string member's value, or "" when absent or not a string.
  std::string_view str(std::string_view key) const;
};

// A message content part (output_text, refusal), a reasoning summary part
// (summary_text) or a reasoning content part (reasoning_text).
struct Part {
  Members m;
  std::string type;
  std::vector<std::string> annotations;  // compact JSON each (output_text)
  // The live text's key: "refusal" for refusal parts, else "text".
  std::string_view text_key() const { return type == "refusal" ? "refusal" : "text"; }
  std::string_view text() const { return m.str(text_key()); }
};

struct Item {
  Members m;
  std::string type;
  std::string id;
  std::vector<Part> content;
  std::vector<Part> summary;
  bool skipped = false;      // over max_tool_calls: a placeholder that keeps indices aligned
  uint32_t tool_index = 0;   // function_call: its position among function calls
};

struct ErrorInfo {
  std::string type;
  std::string message;
};

struct Snapshot {
  bool present = false;  // a response object was adopted (or assumed)
  Members m;             // the response's members; "output" has Kind::output
  std::vector<Item> output;
  // Read off the last adopted response.
  std::optional<std::string> id, model, status;
  std::optional<uint64_t> input_tokens, output_tokens;
  std::optional<ErrorInfo> error;  // response.error {code, message}
  std::string incomplete_reason;
};

class ResponsesDialect final : public DialectBase {
 public:
  explicit ResponsesDialect(const DialectOptions& options);

 protected:
  void handle_event(const Event& event) override;
  void end_of_stream() override;
  void write_native(json::Out& out) const override;
  void normalize(NormalizedResult& out) const override;

 private:
  enum class End : uint8_t { none, terminal, error_event, done_marker };

  // Event handlers (responses_dialect.cc).
  void check_sequence(const json::Value& root);
  void on_lifecycle(std::string_view type, const json::Value& root);
  void on_error_event(const json::Value& root);
  void on_item_added(const json::Value& root);
  void on_item_done(const json::Value& root);
  void on_part_added(const json::Value& root, bool summary);
  void on_part_done(const json::Value& root, bool summary);
  // A delta (done=false) or .done for a part's text: output_text, refusal,
  // reasoning_summary_text, reasoning_text.
  void on_part_text(std::string_view type, const json::Value& root, std::string_view item_type,
                    std::string_view part_type, bool summary, bool done);
  void on_annotation(const json::Value& root);
  // A delta or .done for an item's string field (arguments, input, code).
  void on_item_text(std::string_view type, const json::Value& root, std::string_view item_type,
                    std::string_view field, std::string_view done_field, bool done);
  void on_item_status(std::string_view type, const json::Value& root, std::string_view item_type,
                      std::string_view status);
  void ensure_snapshot();

  // Lookups: nullptr (with a deviation) when the event names nothing there.
  // The item at root's output_index. names_item: the event must carry its item_id
  // (every item event but output_item.done, which carries the item itself).
  Item* item_at(std::string_view type, const json::Value& root, bool names_item = true);
  Part* part_at(std::string_view type, const json::Value& root, Item& item, bool summary);
  bool index_field(std::string_view type, const json::Value& root, std::string_view field, uint64_t& out);

  // The model (responses_output.cc).
  void read_members(const json::Value& obj, std::string_view where, Members& out,
                    std::vector<Item>* output, Item* item, Part* part);
  bool read_item(const json::Value& obj, std::string_view where, Item& out);
  void read_parts(const json::Value& arr, std::string_view where, std::vector<Part>& out);
  void read_part(const json::Value& obj, std::string_view where, Part& out);
  void read_response(const json::Value& response, std::string_view where);
  std::string& live_string(Members& m, std::string_view key, std::string_view where);
  uint32_t function_calls() const;
  bool over_limit_silenced(uint64_t index) const { return overflowed_ && index >= options().limits.max_outputs; }
  void out_of_range(std::string_view message);

  Snapshot snap_;
  End end_ = End::none;
  bool terminal_ = false;          // completed / incomplete / failed arrived
  bool event_item_id_noted_ = false;  // event_item_id_missing is reported once
  std::string terminal_status_;    // its status (the event's when the response has none)
  std::optional<ErrorInfo> error_;  // the first reported error
  std::string error_event_json_;   // the error event's data (native when no response came)
  std::optional<uint64_t> last_sequence_;
  bool sequence_missing_noted_ = false;
  bool created_missing_noted_ = false;
  bool overflowed_ = false;
};

// Differences between two items / outputs, worded for a message ("" when the same in
// type, text, refusal, arguments, input, code, name, call_id and summaries).
std::string item_difference(const Item& assembled, const Item& sent);
std::string output_difference(const std::vector<Item>& assembled, const std::vector<Item>& sent);
void write_members(json::Out& out, const Members& m, const Snapshot* snap, const Item* item, const Part* part,
                   bool message_part);

}  // namespace ssecheck::openai_responses
