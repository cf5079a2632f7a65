// simdjson On-Demand back end (built only when simdjson is found). Data is copied
// into a reused padded buffer, as On-Demand requires SIMDJSON_PADDING readable bytes.
#include <simdjson.h>

#include <cstring>

#include "json_backends.h"

namespace ssecheck::bench {
namespace {

namespace od = simdjson::ondemand;

class Simdjson final : public JsonBackend {
 public:
  bool parse(std::string_view json) override {
    size_t need = json.size() + simdjson::SIMDJSON_PADDING;
    if (buffer_.size() < need) buffer_.resize(need);
    std::memcpy(buffer_.data(), json.data(), json.size());
    od::document doc;
    od::object root;
    if (parser_.iterate(buffer_.data(), json.size(), buffer_.size()).get(doc) || doc.get_object().get(root))
      return false;
    for (auto field : root) {
      std::string_view key;
      if (field.unescaped_key().get(key)) return false;
      if (key != "choices") continue;
      od::array choices;
      if (field.value().get_array().get(choices)) return false;
      for (auto choice : choices) {
        od::object object;
        if (choice.get_object().get(object)) return false;
        for (auto member : object) {
          if (member.unescaped_key().get(key)) return false;
          if (key == "delta" && !fold_delta(member.value())) return false;
        }
      }
    }
    return true;
  }

 private:
  bool fold_delta(od::value value) {
    od::object delta;
    if (value.get_object().get(delta)) return false;
    for (auto field : delta) {
      std::string_view key, text;
      if (field.unescaped_key().get(key)) return false;
      if (key == "content" || key == "reasoning_content") {
        if (field.value().get_string().get(text)) continue;
        (key == "content" ? fold.content : fold.reasoning) += text;
      } else if (key == "tool_calls") {
        od::array calls;
        if (field.value().get_array().get(calls)) return false;
        for (auto call : calls) {
          if (!fold_tool(call)) return false;
        }
      }
    }
    return true;
  }

  bool fold_tool(simdjson::simdjson_result<od::value> call) {
    od::object object;
    if (call.get_object().get(object)) return false;
    uint64_t index = 0;
    bool has_index = false;
    std::string_view id, name, arguments, key;
    for (auto field : object) {
      if (field.unescaped_key().get(key)) return false;
      if (key == "index") {
        has_index = !field.value().get_uint64().get(index);
      } else if (key == "id") {
        if (field.value().get_string().get(id)) id = {};
      } else if (key == "function") {
        od::object function;
        if (field.value().get_object().get(function)) continue;
        for (auto f : function) {
          if (f.unescaped_key().get(key)) return false;
          std::string_view* out = key == "name" ? &name : key == "arguments" ? &arguments : nullptr;
          if (out != nullptr && f.value().get_string().get(*out)) *out = {};
        }
      }
    }
    if (has_index) fold.tool(index, id, name, arguments);
    return true;
  }

  od::parser parser_;
  std::vector<char> buffer_;
};

}  // namespace

std::unique_ptr<JsonBackend> make_simdjson() { return std::make_unique<Simdjson>(); }

}  // namespace ssecheck::bench
