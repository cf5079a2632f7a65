#include "ssecheck/openai_chat/completion_json.h"

namespace ssecheck {
namespace {

void raw_array(json::Out& o, const std::optional<std::string>& items) {
  if (!items) {
    o.null();
    return;
  }
  o.raw("[" + *items + "]");
}

void write_tool_call(json::Out& o, const ToolCall& t) {
  o.begin_object();
  o.key("index").uint64(t.index);
  o.field("id", t.id);
  o.field("type", t.type);
  o.key("function").begin_object();
  o.field("name", t.name);
  o.field("arguments", t.arguments);
  o.end_object();
  o.end_object();
}

void write_message(json::Out& o, const Message& m) {
  o.begin_object();
  o.field("role", m.role);
  o.field("content", m.content);
  o.field("reasoning_content", m.reasoning);
  o.field("refusal", m.refusal);
  if (!m.tool_calls.empty()) {
    o.key("tool_calls").begin_array();
    for (const ToolCall& t : m.tool_calls) write_tool_call(o, t);
    o.end_array();
  }
  if (!m.reasoning_details.empty()) {
    o.key("reasoning_details").begin_array();
    for (const ReasoningDetail& d : m.reasoning_details) {
      o.begin_object();
      o.key("index").uint64(d.index);
      for (const DetailField& f : d.fields) {
        o.key(f.key);
        if (f.is_json) o.raw(f.value);
        else o.string(f.value);
      }
      o.end_object();
    }
    o.end_array();
  }
  o.end_object();
}

void write_choice(json::Out& o, const Choice& ch) {
  o.begin_object();
  o.key("index").uint64(ch.index);
  o.key("message");
  write_message(o, ch.message);
  o.field("finish_reason", ch.finish_reason);
  o.key("logprobs");
  if (ch.logprobs_content || ch.logprobs_refusal) {
    o.begin_object();
    o.key("content");
    raw_array(o, ch.logprobs_content);
    o.key("refusal");
    raw_array(o, ch.logprobs_refusal);
    o.end_object();
  } else {
    o.null();
  }
  o.end_object();
}

}  // namespace

void write_completion(json::Out& o, const Completion& c) {
  o.begin_object();
  o.field("id", c.id);
  o.field("object", "chat.completion");
  o.key("created");
  if (c.created) o.int64(*c.created);
  else o.null();
  o.field("model", c.model);
  o.field("system_fingerprint", c.system_fingerprint);
  o.key("choices").begin_array();
  for (const Choice& ch : c.choices) write_choice(o, ch);
  o.end_array();
  o.key("usage");
  if (c.usage_json) o.raw(*c.usage_json);
  else o.null();
  o.end_object();
}

std::string completion_to_json(const Completion& c) {
  std::string s;
  json::Out o(s);
  write_completion(o, c);
  return s;
}

const Completion& completion_of(const AssemblyReport& report) {
  static const Completion kNone;
  const Completion* c = std::any_cast<Completion>(&report.native);
  return c ? *c : kNone;
}

}  // namespace ssecheck
