#include "ssecheck/completion_json.h"

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <limits>

#include "json_util.h"
#include "ssecheck/utf8.h"

namespace ssecheck {
namespace {

template <typename W>
class ReportWriter {
 public:
  explicit ReportWriter(W& w) : w_(w) {}

  void write(const AssemblyReport& r) {
    w_.StartObject();
    key("completion");
    completion(r.completion);
    key("diagnostics");
    w_.StartArray();
    for (const Diagnostic& d : r.diagnostics) diagnostic(d);
    w_.EndArray();
    key("stats");
    stats(r);
    w_.EndObject();
  }

 private:
  void key(std::string_view k) { w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }

  void str(std::string_view s) {
    s = s.substr(0, std::numeric_limits<rapidjson::SizeType>::max() / 4);
    if (!utf8::is_valid(s)) {
      repaired_.clear();
      utf8::append_repaired(repaired_, s);
      s = repaired_;
    }
    w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  }

  void opt(std::string_view k, const std::optional<std::string>& v) {
    key(k);
    if (v) str(*v);
    else w_.Null();
  }

  // Re-parses JSON this library serialised itself, so it nests properly when pretty.
  void raw(std::string_view json) {
    rapidjson::Document d;
    d.Parse<rapidjson::kParseFullPrecisionFlag>(json.data(), json.size());
    if (d.HasParseError()) w_.Null();
    else d.Accept(w_);
  }

  void raw_array(const std::optional<std::string>& items) {
    if (!items) {
      w_.Null();
      return;
    }
    std::string json = "[";
    json += *items;
    json += ']';
    raw(json);
  }

  void completion(const Completion& c) {
    w_.StartObject();
    opt("id", c.id);
    key("object");
    str("chat.completion");
    key("created");
    if (c.created) w_.Int64(*c.created);
    else w_.Null();
    opt("model", c.model);
    opt("system_fingerprint", c.system_fingerprint);
    key("choices");
    w_.StartArray();
    for (const Choice& ch : c.choices) choice(ch);
    w_.EndArray();
    key("usage");
    if (c.usage_json) raw(*c.usage_json);
    else w_.Null();
    w_.EndObject();
  }

  void choice(const Choice& ch) {
    w_.StartObject();
    key("index");
    w_.Uint(ch.index);
    key("message");
    message(ch.message);
    opt("finish_reason", ch.finish_reason);
    key("logprobs");
    if (ch.logprobs_content || ch.logprobs_refusal) {
      w_.StartObject();
      key("content");
      raw_array(ch.logprobs_content);
      key("refusal");
      raw_array(ch.logprobs_refusal);
      w_.EndObject();
    } else {
      w_.Null();
    }
    w_.EndObject();
  }

  void message(const Message& m) {
    w_.StartObject();
    opt("role", m.role);
    opt("content", m.content);
    opt("reasoning_content", m.reasoning);
    opt("refusal", m.refusal);
    if (!m.tool_calls.empty()) {
      key("tool_calls");
      w_.StartArray();
      for (const ToolCall& t : m.tool_calls) tool_call(t);
      w_.EndArray();
    }
    if (!m.reasoning_details.empty()) {
      key("reasoning_details");
      w_.StartArray();
      for (const ReasoningDetail& d : m.reasoning_details) {
        w_.StartObject();
        key("index");
        w_.Uint(d.index);
        for (const DetailField& f : d.fields) {
          key(f.key);
          if (f.is_json) raw(f.value);
          else str(f.value);
        }
        w_.EndObject();
      }
      w_.EndArray();
    }
    w_.EndObject();
  }

  void tool_call(const ToolCall& t) {
    w_.StartObject();
    key("index");
    w_.Uint(t.index);
    opt("id", t.id);
    opt("type", t.type);
    key("function");
    w_.StartObject();
    opt("name", t.name);
    opt("arguments", t.arguments);
    w_.EndObject();
    w_.EndObject();
  }

  void diagnostic(const Diagnostic& d) {
    w_.StartObject();
    key("code");
    str(name(d.code));
    key("severity");
    str(severity_name(d.severity));
    key("event");
    w_.Uint64(d.event_index);
    key("offset");
    w_.Uint64(d.byte_offset);
    key("message");
    str(d.message);
    w_.EndObject();
  }

  void stats(const AssemblyReport& r) {
    const AssemblyStats& s = r.stats;
    w_.StartObject();
    key("dialect");
    str(r.dialect);
    key("state");
    str(state_name(r.state));
    key("strict");
    w_.Bool(r.strict);
    key("failed");
    w_.Bool(r.failed());
    key("bytes");
    w_.Uint64(s.bytes);
    key("events");
    w_.Uint64(s.events);
    key("data_chunks");
    w_.Uint64(s.data_chunks);
    key("comments");
    w_.Uint64(s.comments);
    key("empty_deltas");
    w_.Uint64(s.empty_deltas);
    key("assembled_bytes");
    w_.Uint64(s.assembled_bytes);
    key("done_seen");
    w_.Bool(s.done_seen);
    key("diagnostics");
    w_.StartObject();
    key("note");
    w_.Uint64(r.counts.note);
    key("deviation");
    w_.Uint64(r.counts.deviation);
    key("fatal");
    w_.Uint64(r.counts.fatal);
    key("dropped");
    w_.Uint64(r.counts.dropped);
    w_.EndObject();
    w_.EndObject();
  }

  W& w_;
  std::string repaired_;
};

}  // namespace

std::string report_to_json(const AssemblyReport& report, bool pretty) {
  std::string out;
  json::StringOut stream{&out};
  if (pretty) {
    rapidjson::PrettyWriter<json::StringOut> w(stream);
    w.SetIndent(' ', 2);
    ReportWriter<rapidjson::PrettyWriter<json::StringOut>>(w).write(report);
  } else {
    rapidjson::Writer<json::StringOut> w(stream);
    ReportWriter<rapidjson::Writer<json::StringOut>>(w).write(report);
  }
  return out;
}

}  // namespace ssecheck
