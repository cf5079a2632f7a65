#include "ssecheck/normalized.h"

#include "ssecheck/json/event_json.h"
#include "ssecheck/json/out.h"

namespace ssecheck {

std::string normalized_to_json(const NormalizedResult& r, bool pretty) {
  std::string s;
  json::Out o(s, pretty);
  o.begin_object();
  o.field("dialect", r.dialect);
  o.field("id", r.id);
  o.field("model", r.model);
  o.key("outputs").begin_array();
  for (const NormalizedOutput& out : r.outputs) {
    o.begin_object();
    o.key("index").uint64(out.index);
    o.field("text", out.text);
    o.field("reasoning", out.reasoning);
    o.field("refusal", out.refusal);
    o.key("tool_calls").begin_array();
    for (const NormalizedToolCall& t : out.tool_calls) {
      o.begin_object();
      o.field("id", t.id);
      o.field("name", t.name);
      o.key("arguments");
      // A JSON value when the text parses, else the text itself.
      if (json::is_valid_json(t.arguments)) o.raw(t.arguments);
      else o.string(t.arguments);
      o.end_object();
    }
    o.end_array();
    o.field("finish_reason", out.finish_reason);
    o.end_object();
  }
  o.end_array();
  o.key("usage").begin_object();
  o.field("input_tokens", r.usage.input_tokens);
  o.field("output_tokens", r.usage.output_tokens);
  o.end_object();
  o.key("error");
  if (r.error) {
    o.begin_object();
    o.field("type", r.error->type);
    o.field("message", r.error->message);
    o.end_object();
  } else {
    o.null();
  }
  o.end_object();
  return s;
}

}  // namespace ssecheck
