#include "ssecheck/openai_chat/openai_chat.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>

namespace ssecheck {
namespace {

class OpenAiChatDialect final : public StreamDialect {
 public:
  explicit OpenAiChatDialect(const DialectOptions& options) : acc_(options) {}
  std::string_view name() const override { return "openai-chat"; }
  void on_event(const Event& event) override { acc_.on_event(event); }
  void on_comment(std::string_view text, uint64_t offset) override { acc_.on_comment(text, offset); }
  void add_diagnostic(DiagCode code, uint64_t event_index, uint64_t offset, std::string_view message) override {
    acc_.add_diagnostic(code, event_index, offset, message);
  }
  void finish(uint64_t end_offset) override { acc_.finish(end_offset); }
  const AssemblyReport& report() const override { return acc_.report(); }
  AssemblyReport& mutable_report() override { return acc_.mutable_report(); }
  size_t scratch_capacity() const override { return acc_.scratch_capacity(); }

 private:
  DeltaAccumulator acc_;
};

std::string_view path_of(std::string_view url) {
  if (const size_t q = url.find_first_of("?#"); q != std::string_view::npos) url = url.substr(0, q);
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return url;
}

bool matches_request(std::string_view url) {
  const std::string_view path = path_of(url);
  return path.ends_with("/chat/completions") || path == "chat/completions";
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

Recognition recognize(std::string_view type, std::string_view data, const json::Value& root) {
  if (type == "message" && trim(data) == "[DONE]") return Recognition::yes;
  if (!root.is_object()) return Recognition::no;
  const json::Value object = root["object"];
  if (object.is_string()) return object.str() == "chat.completion.chunk" ? Recognition::yes : Recognition::no;
  if (root["choices"].is_array()) return Recognition::yes;
  // {"error":{...}} alone is how chat servers report errors, but Gemini does the same.
  if (root["error"].is_object() && root.size() == 1 && !root["error"]["status"].is_string()) return Recognition::maybe;
  return Recognition::no;
}

// The stream's identity: the first non-empty id, object, created and model, as JSON
// text, kept in memo separated by \x1f. Injected chunks carry it, so they never look
// like a change of stream.
constexpr std::array<const char*, 4> kIdentityKeys = {"id", "object", "created", "model"};

std::array<std::string, 4> read_memo(const std::string& memo) {
  std::array<std::string, 4> f;
  size_t k = 0;
  for (char c : memo) {
    if (c == '\x1f') ++k;
    else if (k < 4) f[k].push_back(c);
  }
  return f;
}

std::string write_memo(const std::array<std::string, 4>& f) { return f[0] + '\x1f' + f[1] + '\x1f' + f[2] + '\x1f' + f[3]; }

// True when data is an object whose choices array starts with an object; updates the
// identity and sets *choice_index to that entry's index ("" when none).
bool read_chunk(std::string_view data, std::array<std::string, 4>* identity, std::string* choice_index) {
  rapidjson::Document parsed;
  parsed.Parse<rapidjson::kParseIterativeFlag>(data.data(), data.size());
  if (parsed.HasParseError() || !parsed.IsObject()) return false;
  const rapidjson::Value& doc = parsed;  // const on both sides of == (clang C++20)
  for (size_t k = 0; k < 4; ++k) {
    const auto m = doc.FindMember(kIdentityKeys[k]);
    if (m == doc.MemberEnd() || !(*identity)[k].empty()) continue;
    if ((m->value.IsString() && m->value.GetStringLength() > 0) || m->value.IsNumber()) {
      rapidjson::StringBuffer b;
      rapidjson::Writer<rapidjson::StringBuffer> w(b);
      m->value.Accept(w);
      (*identity)[k] = b.GetString();
    }
  }
  const auto choices = doc.FindMember("choices");
  if (choices == doc.MemberEnd() || !choices->value.IsArray() || choices->value.Empty()) return false;
  const auto& first = choices->value[0];
  if (!first.IsObject()) return false;
  const auto index = first.FindMember("index");
  choice_index->clear();
  if (index != first.MemberEnd() && index->value.IsUint()) *choice_index = std::to_string(index->value.GetUint());
  return true;
}

void noise(std::string_view prev_type, std::string_view prev_data, std::string_view next_type,
           std::string_view next_data, std::string_view eol, std::string& memo, std::string& out) {
  std::array<std::string, 4> identity = read_memo(memo);
  std::string index_before, index_after;
  const bool before = prev_type == "message" && read_chunk(prev_data, &identity, &index_before);
  memo = write_memo(identity);
  std::array<std::string, 4> ignored = identity;
  const bool after = next_type == "message" && read_chunk(next_data, &ignored, &index_after);
  if (!before || !after) return;
  out.append("data: {");
  for (size_t k = 0; k < 4; ++k) {
    if (identity[k].empty()) continue;
    out.append("\"").append(kIdentityKeys[k]).append("\":").append(identity[k]).append(",");
  }
  out.append("\"choices\":[{");
  if (!index_before.empty()) out.append("\"index\":").append(index_before).append(",");
  out.append("\"delta\":{}}]}").append(eol).append(eol);
}

std::unique_ptr<StreamDialect> make(const DialectOptions& options) {
  return std::make_unique<OpenAiChatDialect>(options);
}

constexpr std::array<std::string_view, 7> kLimits = {
    "max_outputs (choices)", "max_tool_calls", "max_reasoning_details", "max_json_depth",
    "max_json_values",       "max_assembled_bytes", "max_diagnostics"};

}  // namespace

const DialectInfo kOpenAiChatDialect = {
    "openai-chat",
    "OpenAI Chat Completions: chat.completion.chunk events, data: [DONE] at the end",
    matches_request,
    recognize,
    make,
    noise,
    kLimits,
};

}  // namespace ssecheck
