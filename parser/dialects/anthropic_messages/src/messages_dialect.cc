// The anthropic-messages state machine: events -> the SDK's final Message + the
// normalized result. The accumulation rules follow @anthropic-ai/sdk's
// MessageStream #accumulateMessage (src/lib/MessageStream.ts):
//   message_start        the snapshot is the event's message
//   content_block_start  push the content_block (a copy)
//   text_delta           text block: text = (text || '') + delta.text
//   citations_delta      text block: citations = [...(citations ?? []), delta.citation]
//   input_json_delta     tool_use / server_tool_use (BetaMessageStream: also mcp_tool_use):
//                        buffer += partial_json; input = parse(buffer) when non-empty
//   thinking_delta       thinking block: thinking += delta.thinking
//   signature_delta      thinking block: signature = delta.signature (replaced)
//   message_delta        stop_reason = delta.stop_reason; stop_sequence = delta.stop_sequence;
//                        usage.output_tokens = usage.output_tokens; input_tokens,
//                        cache_creation_input_tokens, cache_read_input_tokens and
//                        server_tool_use copied when != null; stop_details when != null
//                        (newer SDK versions)
//   message_stop         the message is final
#include "messages_dialect.h"

#include <array>
#include <utility>

#include "ssecheck/json/out.h"

namespace ssecheck::anthropic_messages {
namespace {

void set_field(Fields& fields, std::string_view key, std::string json) {
  for (Field& f : fields)
    if (f.key == key) {
      f.json = std::move(json);
      return;
    }
  fields.push_back(Field{std::string(key), std::move(json)});
}

const Field* find_field(const Fields& fields, std::string_view key) {
  for (const Field& f : fields)
    if (f.key == key) return &f;
  return nullptr;
}

Fields fields_of(const json::Value& object) {
  Fields fields;
  object.each_member([&](std::string_view key, const json::Value& v) { set_field(fields, key, json::to_json(v)); });
  return fields;
}

void write_fields(json::Out& o, const Fields& fields) {
  o.begin_object();
  for (const Field& f : fields) o.key(f.key).raw(f.json);
  o.end_object();
}

BlockKind kind_of(std::string_view type) {
  if (type == "text") return BlockKind::text;
  if (type == "thinking") return BlockKind::thinking;
  // MessageStream tracks input for tool_use and server_tool_use, BetaMessageStream also
  // for mcp_tool_use.
  if (type == "tool_use" || type == "server_tool_use" || type == "mcp_tool_use") return BlockKind::tool;
  return BlockKind::other;  // redacted_thinking, web_search_tool_result...: kept as sent
}

std::string_view kind_name(BlockKind k) {
  switch (k) {
    case BlockKind::text: return "text";
    case BlockKind::thinking: return "thinking";
    case BlockKind::tool: return "tool";
    case BlockKind::other: return "other";
  }
  return "?";
}

std::string str(std::string_view s) { return std::string(s); }
std::string num(uint64_t v) { return std::to_string(v); }

json::Limits tool_limits(const DialectLimits& l) { return json::Limits{l.max_json_depth, l.max_json_values}; }

}  // namespace

MessagesDialect::MessagesDialect(const DialectOptions& options)
    : DialectBase(kName, options), tool_json_(options.json_backend, tool_limits(options.limits)) {}

size_t MessagesDialect::scratch_capacity() const { return DialectBase::scratch_capacity() + tool_json_.capacity(); }

void MessagesDialect::handle_event(const Event& e) {
  if (rep_.state == StreamState::done || rep_.state == StreamState::errored) {
    if (e.type == "ping") {
      ++rep_.stats.noise_events;
      return;
    }
    diag(DiagCode::event_after_stream_end,
         "event " + quote(e.type) + " after " + (rep_.state == StreamState::done ? "message_stop" : "an error event"));
    return;
  }
  const json::Value root = parse(e.data);
  if (root.absent()) return;
  if (!root.is_object()) {
    diag(DiagCode::event_data_not_object, "event " + quote(e.type) + " data is " + root.type_name());
    return;
  }
  std::string_view type;
  const json::Value t = root["type"];
  if (t.is_string()) {
    type = t.str();
    if (e.type == "message") {
      if (!name_missing_noted_) {
        name_missing_noted_ = true;
        diag(DiagCode::sse_event_name_missing, "data of type " + quote(type) + " came without an event: field");
      }
    } else if (e.type != type) {
      diag(DiagCode::sse_event_name_mismatch, "event: " + str(e.type) + " carries data of type " + quote(type));
    }
  } else if (e.type != "message") {
    diag(DiagCode::event_data_type_missing,
         "event: " + str(e.type) + " data's type is " + t.type_name() + "; the event name was used");
    type = e.type;
  } else if (root["error"].is_object()) {
    type = "error";  // a bare {"error":{...}} object, as some proxies send
  } else {
    diag(DiagCode::unexpected_event_type, "an event with no name and no data type");
    return;
  }

  if (type == "ping") {
    ++rep_.stats.noise_events;
    return;
  }
  if (type == "error") {
    ++rep_.stats.data_chunks;
    on_error(root);
    return;
  }
  const bool known = type == "message_start" || type == "content_block_start" || type == "content_block_delta" ||
                     type == "content_block_stop" || type == "message_delta" || type == "message_stop";
  if (!known) {
    diag(DiagCode::unexpected_event_type, "event type " + quote(type));
    return;
  }
  if (!started_ && type != "message_start") {
    diag(DiagCode::event_before_message_start, quote(type) + " before message_start");
    return;
  }
  if (started_ && type == "message_start") {
    diag(DiagCode::message_start_repeated);
    return;
  }
  ++rep_.stats.data_chunks;
  if (type == "message_start") on_message_start(root);
  else if (type == "content_block_start") on_block_start(root);
  else if (type == "content_block_delta") on_block_delta(root);
  else if (type == "content_block_stop") on_block_stop(root);
  else if (type == "message_delta") on_message_delta(root);
  else on_message_stop();
}

void MessagesDialect::on_error(const json::Value& root) {
  NormalizedError err;
  const json::Value e = root["error"];
  if (e.is_object()) {
    err.type = std::string(e["type"].string_or());
    err.message = std::string(e["message"].string_or());
  } else {
    mismatch("error event ", "error", "object", e);
  }
  diag(DiagCode::provider_error, err.type.empty() && err.message.empty() ? std::string("an error event")
                                                                          : err.type + ": " + err.message);
  error_ = std::move(err);
  if (!started_) error_json_ = json::to_json(root);
  rep_.state = StreamState::errored;
}

void MessagesDialect::on_message_start(const json::Value& root) {
  const json::Value msg = root["message"];
  if (!msg.is_object()) {
    mismatch("message_start ", "message", "object", msg);
    return;
  }
  started_ = true;
  rep_.state = StreamState::streaming;
  message_ = fields_of(msg);
  if (const json::Value id = msg["id"]; id.is_string()) id_ = std::string(id.str());
  if (const json::Value model = msg["model"]; model.is_string()) model_ = std::string(model.str());
  if (const Field* f = find_field(message_, "stop_reason")) stop_reason_json_ = f->json;
  if (const Field* f = find_field(message_, "stop_sequence")) stop_sequence_json_ = f->json;
  if (const json::Value sr = msg["stop_reason"]; sr.is_string()) finish_reason_ = std::string(sr.str());
  const json::Value content = msg["content"];
  content.each_element([&](const json::Value& v) { initial_content_.push_back(json::to_json(v)); });
  const json::Value usage = msg["usage"];
  if (usage.is_object()) {
    usage_object_ = true;
    usage_ = fields_of(usage);
    if (const json::Value v = usage["input_tokens"]; v.is_uint64()) input_tokens_ = v.uint64();
    if (const json::Value v = usage["output_tokens"]; v.is_uint64()) output_tokens_ = v.uint64();
  }
}

std::optional<uint32_t> MessagesDialect::block_index(const json::Value& root, std::string_view where) {
  const json::Value v = root["index"];
  if (!v.is_uint64()) {
    mismatch(where, "index", "a non-negative integer", v);
    return std::nullopt;
  }
  const uint64_t index = v.uint64();
  if (index >= options().limits.max_outputs) {
    if (!index_range_reported_) {
      index_range_reported_ = true;
      diag(DiagCode::content_block_index_out_of_range,
           str(where) + "index " + num(index) + " is not below max_outputs " + num(options().limits.max_outputs));
    }
    return std::nullopt;
  }
  return static_cast<uint32_t>(index);
}

Block* MessagesDialect::find_block(uint32_t index) {
  if (index < blocks_.size() && blocks_[index].index == index) return &blocks_[index];
  for (Block& b : blocks_)
    if (b.index == index) return &b;
  return nullptr;
}

void MessagesDialect::on_block_start(const json::Value& root) {
  const std::optional<uint32_t> index = block_index(root, "content_block_start ");
  if (!index) return;
  const json::Value cb = root["content_block"];
  if (!cb.is_object()) {
    mismatch("content_block_start ", "content_block", "object", cb);
    return;
  }
  if (find_block(*index)) {
    diag(DiagCode::block_start_repeated, "index " + num(*index));
    return;
  }
  if (*index != blocks_.size())
    diag(DiagCode::block_index_out_of_order, "index " + num(*index) + ", expected " + num(blocks_.size()));
  Block b;
  b.index = *index;
  const json::Value type = cb["type"];
  if (!type.is_string()) mismatch("content_block_start content_block.", "type", "string", type);
  b.kind = kind_of(type.string_or());
  if (b.kind == BlockKind::tool) {
    if (tool_count_ >= options().limits.max_tool_calls) {
      diag(DiagCode::tool_block_limit_exceeded,
           "block " + num(*index) + " would be tool block " + num(tool_count_ + uint64_t{1}) + " of at most " +
               num(options().limits.max_tool_calls));
      b.skipped = true;
      blocks_.push_back(std::move(b));
      return;
    }
    b.tool = tool_count_++;
  }
  b.fields = fields_of(cb);
  switch (b.kind) {
    case BlockKind::text: {
      if (const json::Value text = cb["text"]; text.is_string()) append(b.text, text.str());
      cb["citations"].each_element([&](const json::Value& c) {
        std::string s;
        if (append(s, json::to_json(c))) b.citations.push_back(std::move(s));
      });
      break;
    }
    case BlockKind::thinking:
      if (const json::Value thinking = cb["thinking"]; thinking.is_string()) append(b.text, thinking.str());
      break;
    case BlockKind::tool:
      if (const json::Value id = cb["id"]; id.is_string()) b.id = std::string(id.str());
      b.name = std::string(cb["name"].string_or());
      break;
    case BlockKind::other: break;
  }
  blocks_.push_back(std::move(b));
  const Block& added = blocks_.back();
  if (added.kind == BlockKind::tool)
    observer().on_tool_call_started(0, added.tool, added.id ? std::string_view(*added.id) : std::string_view{},
                                    added.name);
  else if (added.kind == BlockKind::text && !added.text.empty())
    observer().on_content(0, added.text);
  else if (added.kind == BlockKind::thinking && !added.text.empty())
    observer().on_reasoning(0, added.text);
}

void MessagesDialect::on_block_delta(const json::Value& root) {
  const std::optional<uint32_t> index = block_index(root, "content_block_delta ");
  if (!index) return;
  Block* b = find_block(*index);
  if (!b) {
    diag(DiagCode::delta_for_unknown_block, "index " + num(*index));
    return;
  }
  if (b->skipped) return;
  if (b->stopped) {
    diag(DiagCode::delta_after_block_stop, "index " + num(*index));
    return;
  }
  const json::Value d = root["delta"];
  if (!d.is_object()) {
    mismatch("content_block_delta ", "delta", "object", d);
    return;
  }
  const json::Value dt = d["type"];
  if (!dt.is_string()) {
    mismatch("content_block_delta delta.", "type", "string", dt);
    return;
  }
  const std::string_view type = dt.str();
  struct Rule {
    std::string_view delta;
    BlockKind block;
    std::string_view field;  // "" for citations_delta (any JSON value)
  };
  static constexpr std::array<Rule, 5> kRules = {{
      {"text_delta", BlockKind::text, "text"},
      {"citations_delta", BlockKind::text, ""},
      {"input_json_delta", BlockKind::tool, "partial_json"},
      {"thinking_delta", BlockKind::thinking, "thinking"},
      {"signature_delta", BlockKind::thinking, "signature"},
  }};
  const Rule* rule = nullptr;
  for (const Rule& r : kRules)
    if (r.delta == type) rule = &r;
  if (!rule) {
    diag(DiagCode::delta_type_unknown, quote(type) + " for index " + num(*index));
    return;
  }
  if (b->kind != rule->block) {
    diag(DiagCode::delta_type_mismatch,
         quote(type) + " for index " + num(*index) + ", a " + str(kind_name(b->kind)) + " block");
    return;
  }
  if (rule->field.empty()) {
    const json::Value c = d["citation"];
    if (c.absent()) {
      mismatch("citations_delta ", "citation", "object", c);
      return;
    }
    std::string s;
    if (!append(s, json::to_json(c))) return;
    b->citations.push_back(std::move(s));
    b->citations_seen = true;
    return;
  }
  const json::Value v = d[rule->field];
  if (!v.is_string()) {
    mismatch(str(type) + " ", rule->field, "string", v);
    return;
  }
  const std::string_view text = v.str();
  switch (b->kind) {
    case BlockKind::text:
      b->text_seen = true;
      if (append(b->text, text) && !text.empty()) observer().on_content(0, text);
      break;
    case BlockKind::thinking:
      if (type == "signature_delta") {
        b->signature_seen = true;
        b->signature.clear();
        append(b->signature, text);
      } else {
        b->text_seen = true;
        if (append(b->text, text) && !text.empty()) observer().on_reasoning(0, text);
      }
      break;
    case BlockKind::tool:
      if (append(b->text, text) && !text.empty()) observer().on_tool_arguments(0, b->tool, text);
      break;
    case BlockKind::other: break;
  }
}

void MessagesDialect::check_tool_input(Block& b) {
  if (b.kind != BlockKind::tool || b.skipped || b.input_checked) return;
  b.input_checked = true;
  if (b.text.empty()) return;  // no input JSON: the start's input ({}) stands
  if (tool_json_.parse(b.text) != json::Status::ok) {
    diag(DiagCode::tool_arguments_invalid_json,
         "block " + num(b.index) + " (" + b.name + ") input " + quote(b.text) + ": " + tool_json_.error());
    return;
  }
  const json::Value input = tool_json_.root();
  b.input = json::to_json(input);
  b.input_valid = true;
  if (!input.is_object())
    diag(DiagCode::tool_input_not_object, "block " + num(b.index) + " (" + b.name + ") input is " + input.type_name());
}

void MessagesDialect::on_block_stop(const json::Value& root) {
  const std::optional<uint32_t> index = block_index(root, "content_block_stop ");
  if (!index) return;
  Block* b = find_block(*index);
  if (!b || b->stopped) {
    diag(DiagCode::stop_for_unknown_block, "index " + num(*index) + (b ? " was already stopped" : " was never started"));
    return;
  }
  b->stopped = true;
  check_tool_input(*b);
}

void MessagesDialect::close_open_blocks() {
  for (Block& b : blocks_) {
    if (b.stopped || b.skipped) continue;
    diag(DiagCode::block_stop_missing, "index " + num(b.index));
    check_tool_input(b);
  }
}

void MessagesDialect::on_message_delta(const json::Value& root) {
  const json::Value d = root["delta"];
  if (d.is_object()) {
    const json::Value sr = d["stop_reason"];
    if (!sr.absent_or_null() && !sr.is_string()) mismatch("message_delta delta.", "stop_reason", "string", sr);
    std::optional<std::string> reason;
    if (sr.is_string()) reason = std::string(sr.str());
    if (delta_stop_reason_ && reason != delta_stop_reason_)
      diag(DiagCode::stop_reason_changed, quote(*delta_stop_reason_) + " became " + (reason ? quote(*reason) : "null"));
    delta_stop_reason_ = reason;
    // As the SDK: both are assigned from every message_delta (absent -> undefined).
    stop_reason_json_ = sr.absent() ? std::nullopt : std::optional<std::string>(json::to_json(sr));
    const json::Value ss = d["stop_sequence"];
    stop_sequence_json_ = ss.absent() ? std::nullopt : std::optional<std::string>(json::to_json(ss));
    // Newer SDKs (MessageStream and the Python SDK) also copy stop_details when non-null.
    if (const json::Value details = d["stop_details"]; !details.absent_or_null())
      set_field(message_, "stop_details", json::to_json(details));
    finish_reason_ = reason;
    if (reason) {
      stop_reason_seen_ = true;
      if (rep_.state == StreamState::streaming) rep_.state = StreamState::finished;
      if (!finish_notified_) {
        finish_notified_ = true;
        observer().on_output_finished(0, *reason);
      }
    }
  } else {
    mismatch("message_delta ", "delta", "object", d);
  }

  const json::Value u = root["usage"];
  const json::Value out = u["output_tokens"];
  if (out.is_uint64()) {
    if (output_tokens_ && out.uint64() < *output_tokens_)
      diag(DiagCode::output_tokens_decreased, num(out.uint64()) + " after " + num(*output_tokens_));
    output_tokens_ = out.uint64();
    set_field(usage_, "output_tokens", json::to_json(out));
  } else {
    diag(DiagCode::message_delta_usage_missing,
         u.is_object() ? std::string("usage.output_tokens is ") + out.type_name() : std::string("usage is ") + u.type_name());
  }
  for (std::string_view key : {"input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "server_tool_use"}) {
    const json::Value v = u[key];
    if (v.absent_or_null()) continue;
    set_field(usage_, key, json::to_json(v));
    if (key == "input_tokens" && v.is_uint64()) input_tokens_ = v.uint64();
  }
}

void MessagesDialect::on_message_stop() {
  close_open_blocks();
  if (!stop_reason_seen_) diag(DiagCode::stop_reason_missing);
  rep_.state = StreamState::done;
  rep_.stats.terminator_seen = true;
}

void MessagesDialect::end_of_stream() {
  switch (rep_.state) {
    case StreamState::start:
    case StreamState::streaming:
      diag(DiagCode::truncated, started_ ? "the stream ended before a message_delta with a stop_reason"
                                         : "the stream ended before message_start");
      rep_.state = StreamState::truncated;
      break;
    case StreamState::finished:
      close_open_blocks();
      diag(DiagCode::message_stop_missing);
      break;
    default: break;
  }
}

void MessagesDialect::write_block(json::Out& o, const Block& b) const {
  o.begin_object();
  bool has_text = false, has_citations = false, has_signature = false, has_input = false;
  for (const Field& f : b.fields) {
    o.key(f.key);
    if ((b.kind == BlockKind::text && f.key == "text") || (b.kind == BlockKind::thinking && f.key == "thinking")) {
      has_text = true;
      if (b.text_seen) o.string(b.text);
      else o.raw(f.json);
    } else if (b.kind == BlockKind::text && f.key == "citations") {
      has_citations = true;
      if (b.citations_seen) {
        o.begin_array();
        for (const std::string& c : b.citations) o.raw(c);
        o.end_array();
      } else {
        o.raw(f.json);
      }
    } else if (b.kind == BlockKind::thinking && f.key == "signature") {
      has_signature = true;
      if (b.signature_seen) o.string(b.signature);
      else o.raw(f.json);
    } else if (b.kind == BlockKind::tool && f.key == "input") {
      has_input = true;
      o.raw(b.input_valid ? b.input : f.json);
    } else {
      o.raw(f.json);
    }
  }
  // Keys the SDK adds when the start lacked them.
  if (!has_text && b.text_seen) o.key(b.kind == BlockKind::text ? "text" : "thinking").string(b.text);
  if (!has_citations && b.citations_seen) {
    o.key("citations").begin_array();
    for (const std::string& c : b.citations) o.raw(c);
    o.end_array();
  }
  if (!has_signature && b.signature_seen) o.key("signature").string(b.signature);
  if (!has_input && b.input_valid) o.key("input").raw(b.input);
  o.end_object();
}

void MessagesDialect::write_content(json::Out& o) const {
  o.begin_array();
  for (const std::string& c : initial_content_) o.raw(c);
  for (const Block& b : blocks_)
    if (!b.skipped) write_block(o, b);
  o.end_array();
}

void MessagesDialect::write_native(json::Out& o) const {
  if (!started_) {
    if (!error_json_.empty()) o.raw(error_json_);
    else o.null();
    return;
  }
  o.begin_object();
  bool has_content = false, has_reason = false, has_sequence = false, has_usage = false;
  for (const Field& f : message_) {
    if (f.key == "content") {
      has_content = true;
      o.key(f.key);
      write_content(o);
    } else if (f.key == "stop_reason") {
      has_reason = true;
      if (stop_reason_json_) o.key(f.key).raw(*stop_reason_json_);
    } else if (f.key == "stop_sequence") {
      has_sequence = true;
      if (stop_sequence_json_) o.key(f.key).raw(*stop_sequence_json_);
    } else if (f.key == "usage") {
      has_usage = true;
      o.key(f.key);
      if (usage_object_ || !usage_.empty()) write_fields(o, usage_);
      else o.raw(f.json);
    } else {
      o.key(f.key).raw(f.json);
    }
  }
  if (!has_content) {
    o.key("content");
    write_content(o);
  }
  if (!has_reason && stop_reason_json_) o.key("stop_reason").raw(*stop_reason_json_);
  if (!has_sequence && stop_sequence_json_) o.key("stop_sequence").raw(*stop_sequence_json_);
  if (!has_usage && !usage_.empty()) {
    o.key("usage");
    write_fields(o, usage_);
  }
  o.end_object();
}

void MessagesDialect::normalize(NormalizedResult& out) const {
  out.id = id_;
  out.model = model_;
  out.usage.input_tokens = input_tokens_;
  out.usage.output_tokens = output_tokens_;
  out.error = error_;
  if (!started_) return;
  NormalizedOutput o;
  o.index = 0;
  for (const Block& b : blocks_) {
    if (b.skipped) continue;
    switch (b.kind) {
      case BlockKind::text: o.text += b.text; break;
      case BlockKind::thinking: o.reasoning += b.text; break;
      case BlockKind::tool: {
        NormalizedToolCall call;
        call.id = b.id;
        call.name = b.name;
        if (!b.text.empty()) {
          call.arguments = b.text;
        } else {
          const Field* input = find_field(b.fields, "input");
          call.arguments = input && !input->json.empty() && input->json.front() == '{' ? input->json : "{}";
        }
        o.tool_calls.push_back(std::move(call));
        break;
      }
      case BlockKind::other: break;
    }
  }
  o.finish_reason = finish_reason_;
  out.outputs.push_back(std::move(o));
}

std::unique_ptr<StreamDialect> make_dialect(const DialectOptions& options) {
  return std::make_unique<MessagesDialect>(options);
}

}  // namespace ssecheck::anthropic_messages
