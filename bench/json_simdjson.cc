// simdjson back ends (built only when simdjson is found). Data is copied into a reused
// padded buffer, as simdjson requires SIMDJSON_PADDING readable bytes.
//  - simdjson: bare On-Demand extractor; values it does not fold are skipped unread,
//    so invalid JSON there goes unnoticed. The fastest a fold can be.
//  - simdjson_validating: On-Demand that reads every value (so every syntax error is
//    found, as the accumulator must) and checks nothing trails the root: the floor of
//    an On-Demand path that keeps the invalid_json diagnostic.
//  - simdjson_dom: the DOM parser (stage 2 builds a tape of every value), then the same
//    fold: the floor of the path the accumulator takes today.
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

// Reads every value: numbers are parsed, strings unescaped, literals matched.
bool read_all(od::value value, uint32_t depth = 0) {
  if (depth > 64) return false;
  od::json_type type;
  if (value.type().get(type)) return false;
  switch (type) {
    case od::json_type::object: {
      od::object object;
      if (value.get_object().get(object)) return false;
      for (auto field : object) {
        std::string_view key;
        if (field.unescaped_key().get(key) || !read_all(field.value(), depth + 1)) return false;
      }
      return true;
    }
    case od::json_type::array: {
      od::array array;
      if (value.get_array().get(array)) return false;
      for (auto element : array) {
        od::value v;
        if (element.get(v) || !read_all(v, depth + 1)) return false;
      }
      return true;
    }
    case od::json_type::string: {
      std::string_view s;
      return !value.get_string().get(s);
    }
    case od::json_type::number: {
      od::number n;
      return !value.get_number().get(n);
    }
    case od::json_type::boolean: {
      bool b;
      return !value.get_bool().get(b);
    }
    case od::json_type::null: {
      bool is_null = false;
      return !value.is_null().get(is_null) && is_null;
    }
  }
  return false;
}

class SimdjsonValidating final : public JsonBackend {
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
      od::value value;
      if (field.value().get(value)) return false;
      if (key != "choices") {
        if (!read_all(value)) return false;
        continue;
      }
      od::array choices;
      if (value.get_array().get(choices)) return false;
      for (auto choice : choices) {
        od::object object;
        if (choice.get_object().get(object)) return false;
        for (auto member : object) {
          od::value v;
          if (member.unescaped_key().get(key) || member.value().get(v)) return false;
          if (!(key == "delta" ? fold_delta(v) : read_all(v))) return false;
        }
      }
    }
    // Past the root's closing brace: nothing may follow it.
    return doc.current_location().error() == simdjson::OUT_OF_BOUNDS;
  }

 private:
  bool fold_delta(od::value value) {
    od::object delta;
    if (value.get_object().get(delta)) return false;
    for (auto field : delta) {
      std::string_view key, text;
      od::value v;
      if (field.unescaped_key().get(key) || field.value().get(v)) return false;
      if (key == "content" || key == "reasoning_content") {
        od::json_type type;
        if (v.type().get(type)) return false;
        if (type != od::json_type::string) {
          if (!read_all(v)) return false;
          continue;
        }
        if (v.get_string().get(text)) return false;
        (key == "content" ? fold.content : fold.reasoning) += text;
      } else if (key == "tool_calls") {
        od::array calls;
        if (v.get_array().get(calls)) return false;
        for (auto call : calls) {
          if (!fold_tool(call)) return false;
        }
      } else if (!read_all(v)) {
        return false;
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
      od::value v;
      if (field.unescaped_key().get(key) || field.value().get(v)) return false;
      if (key == "index") {
        has_index = !v.get_uint64().get(index);
        if (!has_index && !read_all(v)) return false;
      } else if (key == "id") {
        if (v.get_string().get(id)) return false;
      } else if (key == "function") {
        od::object function;
        if (v.get_object().get(function)) return false;
        for (auto f : function) {
          od::value fv;
          if (f.unescaped_key().get(key) || f.value().get(fv)) return false;
          std::string_view* out = key == "name" ? &name : key == "arguments" ? &arguments : nullptr;
          if (out != nullptr ? fv.get_string().get(*out) != simdjson::SUCCESS : !read_all(fv)) return false;
        }
      } else if (!read_all(v)) {
        return false;
      }
    }
    if (has_index) fold.tool(index, id, name, arguments);
    return true;
  }

  od::parser parser_;
  std::vector<char> buffer_;
};

class SimdjsonDom final : public JsonBackend {
 public:
  bool parse(std::string_view json) override {
    size_t need = json.size() + simdjson::SIMDJSON_PADDING;
    if (buffer_.size() < need) buffer_.resize(need);
    std::memcpy(buffer_.data(), json.data(), json.size());
    simdjson::dom::element root;
    simdjson::dom::array choices;
    if (parser_.parse(buffer_.data(), json.size(), false).get(root)) return false;
    if (root["choices"].get_array().get(choices)) return false;
    for (simdjson::dom::element choice : choices) {
      simdjson::dom::object delta;
      if (choice["delta"].get_object().get(delta)) continue;
      std::string_view text;
      if (!delta["content"].get_string().get(text)) fold.content += text;
      if (!delta["reasoning_content"].get_string().get(text)) fold.reasoning += text;
      simdjson::dom::array calls;
      if (delta["tool_calls"].get_array().get(calls)) continue;
      for (simdjson::dom::element call : calls) {
        uint64_t index = 0;
        if (call["index"].get_uint64().get(index)) continue;
        std::string_view id, name, arguments;
        if (call["id"].get_string().get(id)) id = {};
        if (call["function"]["name"].get_string().get(name)) name = {};
        if (call["function"]["arguments"].get_string().get(arguments)) arguments = {};
        fold.tool(index, id, name, arguments);
      }
    }
    return true;
  }

 private:
  simdjson::dom::parser parser_;
  std::vector<char> buffer_;
};

}  // namespace

std::unique_ptr<JsonBackend> make_simdjson() { return std::make_unique<Simdjson>(); }
std::unique_ptr<JsonBackend> make_simdjson_validating() { return std::make_unique<SimdjsonValidating>(); }
std::unique_ptr<JsonBackend> make_simdjson_dom() { return std::make_unique<SimdjsonDom>(); }

}  // namespace ssecheck::bench
