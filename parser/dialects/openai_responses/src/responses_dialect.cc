// The openai-responses state machine: one handler per event family, following the
// openai-node SDK's accumulateResponse() (openai 6.49.0, ResponseAccumulator.ts) and
// checking what it does not.
#include "responses_dialect.h"

#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "ssecheck/json/event_json.h"
#include "ssecheck/openai_responses/openai_responses.h"

namespace ssecheck::openai_responses {
namespace {

bool is_terminal(std::string_view t) {
  return t == "response.completed" || t == "response.incomplete" || t == "response.failed";
}

// "response.completed" -> "completed"
std::string_view status_of(std::string_view type) {
  return type.substr(type.find('.') == std::string_view::npos ? 0 : type.find('.') + 1);
}

std::string at(std::string_view type) { return std::string(type) + ": "; }

// Events of tool calls that only set the item's status (accumulateResponse).
struct StatusEvent {
  std::string_view type, item_type, status;
};
constexpr StatusEvent kStatusEvents[] = {
    {"response.code_interpreter_call.in_progress", "code_interpreter_call", "in_progress"},
    {"response.code_interpreter_call.interpreting", "code_interpreter_call", "interpreting"},
    {"response.code_interpreter_call.completed", "code_interpreter_call", "completed"},
    {"response.file_search_call.in_progress", "file_search_call", "in_progress"},
    {"response.file_search_call.searching", "file_search_call", "searching"},
    {"response.file_search_call.completed", "file_search_call", "completed"},
    {"response.web_search_call.in_progress", "web_search_call", "in_progress"},
    {"response.web_search_call.searching", "web_search_call", "searching"},
    {"response.web_search_call.completed", "web_search_call", "completed"},
    {"response.image_generation_call.in_progress", "image_generation_call", "in_progress"},
    {"response.image_generation_call.generating", "image_generation_call", "generating"},
    {"response.image_generation_call.completed", "image_generation_call", "completed"},
    {"response.mcp_call.in_progress", "mcp_call", "in_progress"},
    {"response.mcp_call.completed", "mcp_call", "completed"},
    {"response.mcp_call.failed", "mcp_call", "failed"},
};

// Documented events that hold no state of the Response (the SDK ignores them).
constexpr std::string_view kStatelessEvents[] = {
    "response.audio.delta",
    "response.audio.done",
    "response.audio.transcript.delta",
    "response.audio.transcript.done",
    "response.image_generation_call.partial_image",
    "response.mcp_list_tools.in_progress",
    "response.mcp_list_tools.completed",
    "response.mcp_list_tools.failed",
};

// Item string fields with a delta and a .done event.
struct TextEvent {
  std::string_view delta, done, item_type, field;
};
constexpr TextEvent kItemTextEvents[] = {
    {"response.function_call_arguments.delta", "response.function_call_arguments.done", "function_call", "arguments"},
    {"response.custom_tool_call_input.delta", "response.custom_tool_call_input.done", "custom_tool_call", "input"},
    {"response.mcp_call_arguments.delta", "response.mcp_call_arguments.done", "mcp_call", "arguments"},
    {"response.code_interpreter_call_code.delta", "response.code_interpreter_call_code.done", "code_interpreter_call",
     "code"},
};

// One duplicate_key per event for the top-level object (nested ones are reported where
// they are copied).
std::string first_duplicate(const json::Value& root) {
  std::string dup;
  if (root.size() <= 32) {
    std::vector<std::string_view> keys;
    root.each_member([&](std::string_view k, const json::Value&) {
      if (!dup.empty()) return;
      for (std::string_view s : keys)
        if (s == k) dup.assign(k);
      keys.push_back(k);
    });
  } else {
    std::unordered_set<std::string_view> keys;
    root.each_member([&](std::string_view k, const json::Value&) {
      if (dup.empty() && !keys.insert(k).second) dup.assign(k);
    });
  }
  return dup;
}

}  // namespace

ResponsesDialect::ResponsesDialect(const DialectOptions& options) : DialectBase(kName, options) {}

void ResponsesDialect::handle_event(const Event& ev) {
  if (end_ == End::done_marker) {
    diag(DiagCode::event_after_response_end, "an event after data: [DONE] was ignored");
    return;
  }
  if (ev.data.starts_with("[DONE]")) {
    // The SDK's Stream stops reading at a data line starting with [DONE].
    ++rep_.stats.noise_events;
    diag(DiagCode::done_marker_ignored);
    end_ = End::done_marker;
    return;
  }
  const json::Value root = parse(ev.data);
  if (root.absent()) return;
  if (!root.is_object()) {
    diag(DiagCode::event_not_json_object, std::string("the data is a JSON ") + root.type_name() + "; ignored");
    return;
  }
  const json::Value tv = root["type"];
  std::string_view type;
  if (tv.is_string()) {
    type = tv.str();
    if (ev.type != "message" && ev.type != type)
      diag(DiagCode::event_name_differs_from_type,
           "SSE event " + quote(ev.type) + " carries data of type " + quote(type) + "; the data's type was used");
  } else if (ev.type != "message") {
    type = ev.type;
    diag(DiagCode::event_type_missing, std::string("the data's type is ") + tv.type_name() + "; the SSE event " +
                                           quote(ev.type) + " was used");
  } else {
    diag(DiagCode::unexpected_event_type,
         std::string("an event without an SSE event field has a data type that is ") + tv.type_name() + "; ignored");
    return;
  }
  if (end_ == End::terminal || (end_ == End::error_event && !is_terminal(type))) {
    diag(DiagCode::event_after_response_end,
         quote(type) + " arrived after " + (end_ == End::terminal ? "response." + terminal_status_ : "an error event") +
             "; it was ignored");
    return;
  }
  if (const std::string dup = first_duplicate(root); !dup.empty())
    diag(DiagCode::duplicate_key, at(type) + "the event repeats the key '" + dup + "'; the last value was used");
  check_sequence(root);
  ++rep_.stats.data_chunks;

  // The hot events first.
  if (type == "response.output_text.delta") return on_part_text(type, root, "message", "output_text", false, false);
  if (type == "response.reasoning_summary_text.delta") return on_part_text(type, root, "reasoning", "", true, false);
  if (type == "response.function_call_arguments.delta")
    return on_item_text(type, root, "function_call", "arguments", "", false);
  if (type == "response.refusal.delta") return on_part_text(type, root, "message", "refusal", false, false);
  if (type == "response.reasoning_text.delta")
    return on_part_text(type, root, "reasoning", "reasoning_text", false, false);
  if (type == "response.output_text.done") return on_part_text(type, root, "message", "output_text", false, true);
  if (type == "response.refusal.done") return on_part_text(type, root, "message", "refusal", false, true);
  if (type == "response.reasoning_summary_text.done") return on_part_text(type, root, "reasoning", "", true, true);
  if (type == "response.reasoning_text.done")
    return on_part_text(type, root, "reasoning", "reasoning_text", false, true);
  if (type == "response.output_item.added") return on_item_added(root);
  if (type == "response.output_item.done") return on_item_done(root);
  if (type == "response.content_part.added") return on_part_added(root, false);
  if (type == "response.content_part.done") return on_part_done(root, false);
  if (type == "response.reasoning_summary_part.added") return on_part_added(root, true);
  if (type == "response.reasoning_summary_part.done") return on_part_done(root, true);
  if (type == "response.output_text.annotation.added") return on_annotation(root);
  for (const TextEvent& t : kItemTextEvents) {
    if (type == t.delta) return on_item_text(type, root, t.item_type, t.field, t.field, false);
    if (type == t.done) return on_item_text(type, root, t.item_type, t.field, t.field, true);
  }
  if (type == "response.created" || type == "response.queued" || type == "response.in_progress" ||
      is_terminal(type))
    return on_lifecycle(type, root);
  if (type == "error") return on_error_event(root);
  if (type == "keepalive") {
    ++rep_.stats.noise_events;
    return;
  }
  for (const StatusEvent& s : kStatusEvents)
    if (type == s.type) return on_item_status(type, root, s.item_type, s.status);
  for (std::string_view s : kStatelessEvents)
    if (type == s) return;
  --rep_.stats.data_chunks;
  diag(DiagCode::unexpected_event_type, quote(type) + " is not a Responses stream event; it was ignored");
}

void ResponsesDialect::check_sequence(const json::Value& root) {
  const json::Value v = root["sequence_number"];
  if (v.absent()) {
    if (!std::exchange(sequence_missing_noted_, true)) diag(DiagCode::sequence_number_missing);
    return;
  }
  if (!v.is_uint64()) {
    mismatch("", "sequence_number", "a non-negative integer", v);
    return;
  }
  const uint64_t n = v.uint64();
  if (last_sequence_) {
    const uint64_t last = *last_sequence_;
    if (n > last && n - last > 1) {
      diag(DiagCode::sequence_number_gap, "sequence_number " + std::to_string(n) + " follows " + std::to_string(last) +
                                              ": " + std::to_string(n - last - 1) + " missing");
    } else if (n <= last) {
      diag(DiagCode::sequence_number_not_increasing,
           "sequence_number " + std::to_string(n) + " follows " + std::to_string(last));
    }
  }
  last_sequence_ = n;
}

void ResponsesDialect::ensure_snapshot() {
  if (snap_.present) return;
  if (!std::exchange(created_missing_noted_, true))
    diag(DiagCode::response_created_missing, "the first Responses event is not response.created");
  snap_.present = true;
  snap_.m.list.push_back(Member{"output", Kind::output, {}});
  if (rep_.state == StreamState::start) rep_.state = StreamState::streaming;
}

void ResponsesDialect::on_lifecycle(std::string_view type, const json::Value& root) {
  const json::Value resp = root["response"];
  if (!snap_.present && type != "response.created" && !std::exchange(created_missing_noted_, true))
    diag(DiagCode::response_created_missing, "the first Responses event is " + quote(type));
  if (resp.is_object()) {
    // As the SDK: the event's response replaces the whole snapshot.
    const bool compare = snap_.present;
    std::vector<Item> assembled = std::move(snap_.output);
    read_response(resp, at(type) + "response.");
    if (compare) {
      if (std::string d = output_difference(assembled, snap_.output); !d.empty())
        diag(DiagCode::response_output_differs_from_assembled, at(type) + d + "; the response's output was kept");
    }
  } else {
    mismatch(at(type), "response", "an object", resp);
  }
  if (!is_terminal(type)) {
    if (rep_.state == StreamState::start) rep_.state = StreamState::streaming;
    return;
  }
  const std::string_view status = status_of(type);
  terminal_ = true;
  terminal_status_ = resp.is_object() && snap_.status ? *snap_.status : std::string(status);
  if (resp.is_object() && (!snap_.status || *snap_.status != status))  // SDKs read the response's status: a missing one is null there
    diag(DiagCode::terminal_status_mismatch, at(type) + "the response's status is " +
                                                 (snap_.status ? quote(*snap_.status) : std::string("missing")) +
                                                 ", the event says " + quote(status));
  rep_.stats.terminator_seen = true;
  const bool after_error = end_ == End::error_event;
  end_ = End::terminal;
  if (status == "failed") {
    rep_.state = StreamState::errored;
    ErrorInfo e = resp.is_object() && snap_.error ? *snap_.error : ErrorInfo{"error", ""};
    diag(DiagCode::provider_error, "response.failed: " + e.type + (e.message.empty() ? "" : ": " + e.message));
    if (!error_) error_ = std::move(e);
  } else {
    if (!after_error) rep_.state = StreamState::done;
    if (status == "incomplete")
      diag(DiagCode::response_incomplete,
           "response.incomplete: reason " + (snap_.incomplete_reason.empty() ? std::string("not given")
                                                                             : quote(snap_.incomplete_reason)));
  }
  observer().on_output_finished(0, terminal_status_);
}

void ResponsesDialect::on_error_event(const json::Value& root) {
  // Documented: {"type":"error","code","message","param"}. Some servers nest them in an
  // "error" object instead (the SDK 7 reads both).
  const json::Value nested = root["error"];
  const bool flat = !nested.is_object() || root["message"].is_string();
  const json::Value src = flat ? root : nested;
  ErrorInfo e;
  if (src["code"].is_string()) e.type.assign(src["code"].str());
  else if (!flat && src["type"].is_string()) e.type.assign(src["type"].str());
  if (e.type.empty()) e.type = "error";
  e.message.assign(src["message"].string_or());
  diag(DiagCode::provider_error, "error event: " + e.type + (e.message.empty() ? "" : ": " + e.message));
  if (!error_) error_ = std::move(e);
  if (error_event_json_.empty()) error_event_json_ = json::to_json(root);
  rep_.state = StreamState::errored;
  end_ = End::error_event;
}

bool ResponsesDialect::index_field(std::string_view type, const json::Value& root, std::string_view field,
                                   uint64_t& out) {
  const json::Value v = root[field];
  if (!v.is_uint64()) {
    mismatch(at(type), field, "a non-negative integer", v);
    return false;
  }
  out = v.uint64();
  return true;
}

Item* ResponsesDialect::item_at(std::string_view type, const json::Value& root, bool names_item) {
  ensure_snapshot();
  uint64_t i = 0;
  if (!index_field(type, root, "output_index", i)) return nullptr;
  if (i >= snap_.output.size()) {
    if (!over_limit_silenced(i))
      diag(DiagCode::output_item_missing, at(type) + "output_index " + std::to_string(i) + " has no output item (" +
                                              std::to_string(snap_.output.size()) + " added); ignored");
    return nullptr;
  }
  Item& item = snap_.output[i];
  if (item.skipped) return nullptr;
  const json::Value id = root["item_id"];
  if (names_item && !(id.is_string() && !id.str().empty()) && !std::exchange(event_item_id_noted_, true))
    diag(DiagCode::event_item_id_missing, at(type) + (id.absent_or_null() ? "no item_id" : "an empty or non-string item_id") +
                                              "; output_index " + std::to_string(i) + " was used (reported once)");
  if (id.is_string() && !item.id.empty() && id.str() != item.id)
    diag(DiagCode::item_id_mismatch, at(type) + "item_id " + quote(id.str()) + " but output[" + std::to_string(i) +
                                         "] is " + quote(item.id));
  return &item;
}

Part* ResponsesDialect::part_at(std::string_view type, const json::Value& root, Item& item, bool summary) {
  const std::string_view field = summary ? "summary_index" : "content_index";
  uint64_t i = 0;
  if (!index_field(type, root, field, i)) return nullptr;
  std::vector<Part>& parts = summary ? item.summary : item.content;
  if (i >= parts.size()) {
    if (!over_limit_silenced(i))
      diag(DiagCode::content_part_missing, at(type) + std::string(field) + " " + std::to_string(i) + " of item " +
                                               quote(item.id) + " has no part (" + std::to_string(parts.size()) +
                                               " added); ignored");
    return nullptr;
  }
  return &parts[i];
}

void ResponsesDialect::on_item_added(const json::Value& root) {
  constexpr std::string_view type = "response.output_item.added";
  ensure_snapshot();
  const json::Value v = root["item"];
  if (!v.is_object()) {
    mismatch(at(type), "item", "an object", v);
    return;
  }
  const json::Value index = root["output_index"];
  if (index.is_uint64()) {
    if (index.uint64() != snap_.output.size())
      diag(DiagCode::added_index_not_next, at(type) + "output_index " + std::to_string(index.uint64()) +
                                               ", but the next is " + std::to_string(snap_.output.size()) +
                                               "; appended, as the SDK does");
  } else {
    mismatch(at(type), "output_index", "a non-negative integer", index);
  }
  if (snap_.output.size() >= options().limits.max_outputs) {
    out_of_range(at(type) + "more than max_outputs (" + std::to_string(options().limits.max_outputs) +
                 ") output items; skipped");
    return;
  }
  Item item;
  read_item(v, at(type) + "item.", item);
  const json::Value id = v["id"];  // the API gives every item an id but function and custom tool calls
  const bool id_optional = item.type == "function_call" || item.type == "custom_tool_call";
  const char* id_gap = id.absent_or_null() ? (id_optional ? nullptr : "no id")
                       : !id.is_string()   ? "an id that is not a string"
                       : id.str().empty()  ? "an empty id"
                                           : nullptr;
  if (id_gap) diag(DiagCode::item_id_missing, at(type) + "the " + quote(item.type) + " item has " + id_gap + "; it was kept");
  if (item.type == "function_call") {
    const uint32_t calls = function_calls();
    if (calls >= options().limits.max_tool_calls) {
      out_of_range(at(type) + "more than max_tool_calls (" + std::to_string(options().limits.max_tool_calls) +
                   ") function calls; skipped");
      item = Item{};
      item.type = "function_call";
      item.skipped = true;
    } else {
      item.tool_index = calls;
      observer().on_tool_call_started(0, calls, item.m.str("call_id"), item.m.str("name"));
    }
  }
  snap_.output.push_back(std::move(item));
}

void ResponsesDialect::on_item_done(const json::Value& root) {
  constexpr std::string_view type = "response.output_item.done";
  Item* it = item_at(type, root, /*names_item=*/false);
  if (!it) return;
  const json::Value v = root["item"];
  if (!v.is_object()) {
    mismatch(at(type), "item", "an object", v);
    return;
  }
  Item done;
  read_item(v, at(type) + "item.", done);
  if (std::string d = item_difference(*it, done); !d.empty())
    diag(DiagCode::item_done_differs_from_assembled, at(type) + d + "; the done item was kept");
  done.tool_index = it->tool_index;
  *it = std::move(done);
}

void ResponsesDialect::on_part_added(const json::Value& root, bool summary) {
  const std::string_view type = summary ? "response.reasoning_summary_part.added" : "response.content_part.added";
  Item* it = item_at(type, root);
  if (!it) return;
  const json::Value v = root["part"];
  if (!v.is_object()) {
    mismatch(at(type), "part", "an object", v);
    return;
  }
  const std::string_view part_type = v["type"].string_or();
  // As the SDK: message parts (anything but reasoning_text) go to a message,
  // reasoning_text parts to a reasoning item's content, summary parts to its summary.
  const bool fits = summary ? it->type == "reasoning"
                            : (it->type == "message" && part_type != "reasoning_text") ||
                                  (it->type == "reasoning" && part_type == "reasoning_text");
  if (!fits) {
    diag(DiagCode::event_item_type_mismatch,
         at(type) + "a " + quote(part_type) + " part for a " + quote(it->type) + " item; ignored");
    return;
  }
  const std::string_view field = summary ? "summary_index" : "content_index";
  std::vector<Part>& parts = summary ? it->summary : it->content;
  const json::Value index = root[field];
  if (index.is_uint64()) {
    if (index.uint64() != parts.size())
      diag(DiagCode::added_index_not_next, at(type) + std::string(field) + " " + std::to_string(index.uint64()) +
                                               ", but the next is " + std::to_string(parts.size()) +
                                               "; appended, as the SDK does");
  } else {
    mismatch(at(type), field, "a non-negative integer", index);
  }
  if (parts.size() >= options().limits.max_outputs) {
    out_of_range(at(type) + "more than max_outputs (" + std::to_string(options().limits.max_outputs) +
                 ") parts in one item; skipped");
    return;
  }
  // The item's array member holds the parts from now on (created when missing or null).
  const std::string_view key = summary ? "summary" : "content";
  Member* m = it->m.find(key);
  if (!m) {
    it->m.list.push_back(Member{std::string(key), Kind::raw, {}});
    m = &it->m.list.back();
  }
  m->kind = summary ? Kind::summary : Kind::content;
  m->value.clear();
  Part p;
  read_part(v, at(type) + "part.", p);
  parts.push_back(std::move(p));
}

void ResponsesDialect::on_part_done(const json::Value& root, bool summary) {
  const std::string_view type = summary ? "response.reasoning_summary_part.done" : "response.content_part.done";
  Item* it = item_at(type, root);
  if (!it) return;
  const json::Value v = root["part"];
  if (!v.is_object()) {
    mismatch(at(type), "part", "an object", v);
    return;
  }
  const std::string_view part_type = v["type"].string_or();
  const bool fits = summary ? it->type == "reasoning"
                            : (it->type == "message" && part_type != "reasoning_text") ||
                                  (it->type == "reasoning" && part_type == "reasoning_text");
  if (!fits) {
    diag(DiagCode::event_item_type_mismatch,
         at(type) + "a " + quote(part_type) + " part for a " + quote(it->type) + " item; ignored");
    return;
  }
  Part* p = part_at(type, root, *it, summary);
  if (!p) return;
  Part done;
  read_part(v, at(type) + "part.", done);
  if (p->type != done.type)
    diag(DiagCode::done_differs_from_deltas,
         at(type) + "part type " + quote(p->type) + " assembled, " + quote(done.type) + " sent; the done part was kept");
  else if (p->text() != done.text())
    diag(DiagCode::done_differs_from_deltas, at(type) + std::string(p->text_key()) + " " + quote(p->text()) +
                                                 " assembled, " + quote(done.text()) + " sent; the done part was kept");
  *p = std::move(done);
}

void ResponsesDialect::on_part_text(std::string_view type, const json::Value& root, std::string_view item_type,
                                    std::string_view part_type, bool summary, bool done) {
  Item* it = item_at(type, root);
  if (!it) return;
  if (it->type != item_type) {
    diag(DiagCode::event_item_type_mismatch, at(type) + "for a " + quote(it->type) + " item; ignored");
    return;
  }
  Part* p = part_at(type, root, *it, summary);
  if (!p) return;
  if (!part_type.empty() && p->type != part_type) {
    diag(DiagCode::event_item_type_mismatch, at(type) + "for a " + quote(p->type) + " part; ignored");
    return;
  }
  const std::string_view field = done ? (part_type == "refusal" ? "refusal" : "text") : "delta";
  const json::Value v = root[field];
  if (!v.is_string()) {
    mismatch(at(type), field, "a string", v);
    return;
  }
  std::string& text = live_string(p->m, p->text_key(), type);
  if (done) {
    if (v.str() != text) {
      diag(DiagCode::done_differs_from_deltas, at(type) + quote(v.str()) + " differs from the deltas' " +
                                                   quote(text) + "; the done text was kept");
      // Within max_assembled_bytes, like every assembled text (else the old text stays).
      if (std::string full; append(full, v.str())) text = std::move(full);
    }
    return;
  }
  if (!append(text, v.str())) return;
  if (part_type == "output_text") observer().on_content(0, v.str());
  else if (part_type == "refusal") observer().on_refusal(0, v.str());
  else observer().on_reasoning(0, v.str());
}

void ResponsesDialect::on_annotation(const json::Value& root) {
  constexpr std::string_view type = "response.output_text.annotation.added";
  Item* it = item_at(type, root);
  if (!it) return;
  if (it->type != "message") {
    diag(DiagCode::event_item_type_mismatch, at(type) + "for a " + quote(it->type) + " item; ignored");
    return;
  }
  Part* p = part_at(type, root, *it, false);
  if (!p) return;
  if (p->type != "output_text") {
    diag(DiagCode::event_item_type_mismatch, at(type) + "for a " + quote(p->type) + " part; ignored");
    return;
  }
  uint64_t i = 0;
  if (!index_field(type, root, "annotation_index", i)) return;
  if (i >= options().limits.max_outputs) {
    out_of_range(at(type) + "annotation_index " + std::to_string(i) + " is not below max_outputs (" +
                 std::to_string(options().limits.max_outputs) + "); skipped");
    return;
  }
  Member* m = p->m.find("annotations");
  if (!m) {
    p->m.list.push_back(Member{"annotations", Kind::annotations, {}});
    m = &p->m.list.back();
  }
  if (m->kind != Kind::annotations) {
    m->kind = Kind::annotations;
    m->value.clear();
    p->annotations.clear();
  }
  if (i != p->annotations.size())
    diag(DiagCode::added_index_not_next, at(type) + "annotation_index " + std::to_string(i) + ", but the next is " +
                                             std::to_string(p->annotations.size()) + "; set there, as the SDK does");
  // A JavaScript array assigned past its end has holes, which JSON.stringify writes as null.
  while (p->annotations.size() <= i) p->annotations.emplace_back("null");
  p->annotations[i] = json::to_json(root["annotation"]);
}

void ResponsesDialect::on_item_text(std::string_view type, const json::Value& root, std::string_view item_type,
                                    std::string_view field, std::string_view done_field, bool done) {
  Item* it = item_at(type, root);
  if (!it) return;
  if (it->type != item_type) {
    diag(DiagCode::event_item_type_mismatch, at(type) + "for a " + quote(it->type) + " item; ignored");
    return;
  }
  const std::string_view source = done ? done_field : "delta";
  const json::Value v = root[source];
  if (!v.is_string()) {
    mismatch(at(type), source, "a string", v);
    return;
  }
  std::string& text = live_string(it->m, field, type);
  if (done) {
    if (v.str() != text) {
      diag(DiagCode::done_differs_from_deltas, at(type) + quote(v.str()) + " differs from the deltas' " +
                                                   quote(text) + "; the done value was kept");
      if (std::string full; append(full, v.str())) text = std::move(full);
    }
    return;
  }
  if (append(text, v.str()) && item_type == "function_call") observer().on_tool_arguments(0, it->tool_index, v.str());
}

void ResponsesDialect::on_item_status(std::string_view type, const json::Value& root, std::string_view item_type,
                                      std::string_view status) {
  Item* it = item_at(type, root);
  if (!it) return;
  if (it->type != item_type) {
    diag(DiagCode::event_item_type_mismatch, at(type) + "for a " + quote(it->type) + " item; ignored");
    return;
  }
  live_string(it->m, "status", type).assign(status);
}

void ResponsesDialect::end_of_stream() {
  if (!terminal_ && end_ != End::error_event) {
    diag(DiagCode::truncated, "the stream ended without response.completed, response.incomplete or response.failed");
    rep_.state = StreamState::truncated;
    return;
  }
  if (!terminal_ || terminal_status_ == "failed") return;
  const json::Limits limits{options().limits.max_json_depth, options().limits.max_json_values};
  for (const Item& x : snap_.output) {
    if (x.skipped || x.type != "function_call") continue;
    const std::string_view args = x.m.str("arguments");
    if (!json::is_valid_json(args, limits))
      diag(DiagCode::tool_arguments_invalid_json, "function_call " + quote(x.m.str("name")) + " (" +
                                                      quote(x.m.str("call_id")) +
                                                      "): arguments are not valid JSON: " + quote(args));
  }
}

std::unique_ptr<StreamDialect> make_dialect(const DialectOptions& options) {
  return std::make_unique<ResponsesDialect>(options);
}

}  // namespace ssecheck::openai_responses
