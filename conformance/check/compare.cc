#include "compare.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace ssecheck::check {
namespace {

const rapidjson::Value& get(const rapidjson::Value& v, const char* k) {
  static const rapidjson::Value kNull;
  if (!v.IsObject()) return kNull;
  const auto it = v.FindMember(k);
  return it == v.MemberEnd() ? kNull : it->value;
}

// JSON equality with object members compared by name (order-free), numbers by value.
bool same(const rapidjson::Value& a, const rapidjson::Value& b) {
  if (a.IsNumber() && b.IsNumber()) {
    if (a.IsInt64() && b.IsInt64()) return a.GetInt64() == b.GetInt64();
    if (a.IsUint64() && b.IsUint64()) return a.GetUint64() == b.GetUint64();
    return a.GetDouble() == b.GetDouble();
  }
  if (a.GetType() != b.GetType()) return false;
  if (a.IsObject()) {
    if (a.MemberCount() != b.MemberCount()) return false;
    for (const auto& m : a.GetObject()) {
      const auto it = b.FindMember(m.name);
      if (it == b.MemberEnd() || !same(m.value, it->value)) return false;
    }
    return true;
  }
  if (a.IsArray()) {
    if (a.Size() != b.Size()) return false;
    for (rapidjson::SizeType i = 0; i < a.Size(); ++i)
      if (!same(a[i], b[i])) return false;
    return true;
  }
  return a == b;
}

void field(std::vector<std::string>& diffs, const std::string& path, const rapidjson::Value& e,
           const rapidjson::Value& g) {
  if (!same(e, g)) diffs.push_back(path + ": expected " + json_text(e) + ", got " + json_text(g));
}

}  // namespace

std::string json_text(const rapidjson::Value& v, size_t max_bytes) {
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  v.Accept(w);
  std::string s(b.GetString(), b.GetSize());
  if (s.size() > max_bytes) {
    s.resize(max_bytes);
    s += "…";
  }
  return s;
}

std::vector<std::string> compare_normalized(const rapidjson::Value& expected, const rapidjson::Value& got,
                                            const std::set<std::string>& fields) {
  std::vector<std::string> diffs;
  const auto wants = [&](const char* f) { return fields.count(f) != 0; };
  if (!got.IsObject()) {
    diffs.push_back("result: not an object");
    return diffs;
  }
  if (wants("id")) field(diffs, "id", get(expected, "id"), get(got, "id"));
  if (wants("model")) field(diffs, "model", get(expected, "model"), get(got, "model"));
  if (wants("usage")) {
    field(diffs, "usage.input_tokens", get(get(expected, "usage"), "input_tokens"), get(get(got, "usage"), "input_tokens"));
    field(diffs, "usage.output_tokens", get(get(expected, "usage"), "output_tokens"),
          get(get(got, "usage"), "output_tokens"));
  }
  if (wants("error")) {
    const auto& ee = get(expected, "error");
    const auto& ge = get(got, "error");
    if (ee.IsNull() != ge.IsNull()) field(diffs, "error", ee, ge);
    else if (!ee.IsNull()) field(diffs, "error.type", get(ee, "type"), get(ge, "type"));
  }
  const auto& eo = get(expected, "outputs");
  const auto& go = get(got, "outputs");
  if (!eo.IsArray() || !go.IsArray()) {
    field(diffs, "outputs", eo, go);
    return diffs;
  }
  if (eo.Size() != go.Size())
    diffs.push_back("outputs: expected " + std::to_string(eo.Size()) + " output(s), got " + std::to_string(go.Size()));
  for (rapidjson::SizeType i = 0; i < eo.Size() && i < go.Size(); ++i) {
    const std::string p = "outputs[" + std::to_string(i) + "].";
    field(diffs, p + "index", get(eo[i], "index"), get(go[i], "index"));
    for (const char* f : {"text", "reasoning", "refusal", "finish_reason"})
      if (wants(f)) field(diffs, p + f, get(eo[i], f), get(go[i], f));
    if (!wants("tool_calls")) continue;
    const auto& et = get(eo[i], "tool_calls");
    const auto& gt = get(go[i], "tool_calls");
    if (!et.IsArray() || !gt.IsArray() || et.Size() != gt.Size()) {
      field(diffs, p + "tool_calls", et, gt);
      continue;
    }
    for (rapidjson::SizeType t = 0; t < et.Size(); ++t) {
      const std::string tp = p + "tool_calls[" + std::to_string(t) + "].";
      for (const char* f : {"id", "name", "arguments"}) field(diffs, tp + f, get(et[t], f), get(gt[t], f));
    }
  }
  return diffs;
}

std::vector<std::string> compare_events(const std::vector<EventRecord>& expected,
                                        const std::vector<EventRecord>& got) {
  std::vector<std::string> diffs;
  const auto quote = [](const std::string& s) {
    rapidjson::Value v(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    return json_text(v, 120);
  };
  if (expected.size() != got.size())
    diffs.push_back("events: expected " + std::to_string(expected.size()) + ", got " + std::to_string(got.size()));
  for (size_t i = 0; i < expected.size() && i < got.size() && diffs.size() < 8; ++i) {
    const std::string p = "events[" + std::to_string(i) + "].";
    if (expected[i].type != got[i].type) diffs.push_back(p + "event: expected " + quote(expected[i].type) + ", got " + quote(got[i].type));
    if (expected[i].data != got[i].data) diffs.push_back(p + "data: expected " + quote(expected[i].data) + ", got " + quote(got[i].data));
    if (expected[i].id != got[i].id) diffs.push_back(p + "id: expected " + quote(expected[i].id) + ", got " + quote(got[i].id));
  }
  return diffs;
}

}  // namespace ssecheck::check
