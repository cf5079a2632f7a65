// RapidJSON back ends: DOM (pooled allocators over fixed buffers, the documented
// fast setup) and SAX (a small path state machine, no tree at all).
#include <rapidjson/document.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include "json_backends.h"

namespace ssecheck::bench {
namespace {

template <class V>
std::string_view str(const V& v) { return {v.GetString(), v.GetStringLength()}; }

// Member lookup by a scan (chunk objects are small). Not FindMember: comparing its
// iterators trips clang's C++20 -Wambiguous-reversed-operator on RapidJSON 1.1.
template <class V>
const V* member(const V& object, std::string_view key) {
  for (const auto& m : object.GetObject())
    if (str(m.name) == key) return &m.value;
  return nullptr;
}

template <class V>
std::string_view string_member(const V& object, std::string_view key) {
  const V* v = member(object, key);
  return v != nullptr && v->IsString() ? str(*v) : std::string_view{};
}

class RapidJsonDom final : public JsonBackend {
 public:
  bool parse(std::string_view json) override {
    using Pool = rapidjson::MemoryPoolAllocator<>;
    using Doc = rapidjson::GenericDocument<rapidjson::UTF8<>, Pool, Pool>;
    using Value = Doc::ValueType;
    Pool values(value_buffer_, sizeof value_buffer_);
    Pool stack(stack_buffer_, sizeof stack_buffer_);
    Doc doc(&values, 1024, &stack);
    doc.Parse(json.data(), json.size());
    if (doc.HasParseError() || !doc.IsObject()) return false;
    const Value& root = doc;
    const Value* choices = member(root, "choices");
    if (choices == nullptr || !choices->IsArray()) return false;
    for (const Value& choice : choices->GetArray()) {
      if (!choice.IsObject()) continue;
      const Value* delta = member(choice, "delta");
      if (delta == nullptr || !delta->IsObject()) continue;
      fold.content += string_member(*delta, "content");
      fold.reasoning += string_member(*delta, "reasoning_content");
      const Value* tools = member(*delta, "tool_calls");
      if (tools == nullptr || !tools->IsArray()) continue;
      for (const Value& call : tools->GetArray()) {
        if (!call.IsObject()) continue;
        const Value* index = member(call, "index");
        if (index == nullptr || !index->IsUint64()) continue;
        std::string_view name, arguments;
        const Value* function = member(call, "function");
        if (function != nullptr && function->IsObject()) {
          name = string_member(*function, "name");
          arguments = string_member(*function, "arguments");
        }
        fold.tool(index->GetUint64(), string_member(call, "id"), name, arguments);
      }
    }
    return true;
  }

 private:
  alignas(8) char value_buffer_[16 * 1024];
  alignas(8) char stack_buffer_[4 * 1024];
};

// Tracks where in the chunk the parser is; only the fields we fold are looked at.
class SaxHandler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, SaxHandler> {
 public:
  enum class Ctx : uint8_t { other, root, choices, choice, delta, tools, tool, function };
  enum class Field : uint8_t { none, choices, delta, content, reasoning, tool_calls, index, id, function, name, arguments };

  explicit SaxHandler(Fold& fold) : fold_(fold) {}
  void begin() {
    depth_ = 0;
    key_ = Field::none;
  }

  bool Default() {
    key_ = Field::none;
    return true;
  }
  bool Uint(unsigned u) { return Uint64(u); }
  bool Int(int i) { return i >= 0 ? Uint64(static_cast<uint64_t>(i)) : Default(); }
  bool Int64(int64_t i) { return i >= 0 ? Uint64(static_cast<uint64_t>(i)) : Default(); }
  bool Uint64(uint64_t u) {
    if (top() == Ctx::tool && key_ == Field::index) {
      tool_index_ = u;
      has_index_ = true;
    }
    return Default();
  }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    std::string_view v(s, n);
    Ctx c = top();
    if (c == Ctx::delta && key_ == Field::content) fold_.content += v;
    else if (c == Ctx::delta && key_ == Field::reasoning) fold_.reasoning += v;
    else if (c == Ctx::tool && key_ == Field::id) tool_id_ = v;
    else if (c == Ctx::function && key_ == Field::name) tool_name_ = v;
    else if (c == Ctx::function && key_ == Field::arguments) tool_arguments_ = v;
    return Default();
  }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    key_ = key_for(top(), std::string_view(s, n));
    return true;
  }
  bool StartObject() {
    Ctx c = top(), next = Ctx::other;
    if (depth_ == 0) next = Ctx::root;
    else if (c == Ctx::choices) next = Ctx::choice;
    else if (c == Ctx::choice && key_ == Field::delta) next = Ctx::delta;
    else if (c == Ctx::tools) next = start_tool();
    else if (c == Ctx::tool && key_ == Field::function) next = Ctx::function;
    return push(next);
  }
  bool EndObject(rapidjson::SizeType) {
    if (top() == Ctx::tool && has_index_) fold_.tool(tool_index_, tool_id_, tool_name_, tool_arguments_);
    --depth_;
    return Default();
  }
  bool StartArray() {
    Ctx c = top(), next = Ctx::other;
    if (c == Ctx::root && key_ == Field::choices) next = Ctx::choices;
    else if (c == Ctx::delta && key_ == Field::tool_calls) next = Ctx::tools;
    return push(next);
  }
  bool EndArray(rapidjson::SizeType) {
    --depth_;
    return Default();
  }

 private:
  static constexpr int kMaxDepth = 64;

  Ctx top() const { return depth_ == 0 ? Ctx::other : stack_[depth_ - 1]; }
  bool push(Ctx c) {
    if (depth_ == kMaxDepth) return false;
    stack_[depth_++] = c;
    key_ = Field::none;
    return true;
  }
  Ctx start_tool() {
    tool_id_.clear();
    tool_name_.clear();
    tool_arguments_.clear();
    has_index_ = false;
    return Ctx::tool;
  }
  static Field key_for(Ctx c, std::string_view k) {
    switch (c) {
      case Ctx::root: return k == "choices" ? Field::choices : Field::none;
      case Ctx::choice: return k == "delta" ? Field::delta : Field::none;
      case Ctx::delta:
        if (k == "content") return Field::content;
        if (k == "reasoning_content") return Field::reasoning;
        return k == "tool_calls" ? Field::tool_calls : Field::none;
      case Ctx::tool:
        if (k == "index") return Field::index;
        if (k == "id") return Field::id;
        return k == "function" ? Field::function : Field::none;
      case Ctx::function:
        if (k == "name") return Field::name;
        return k == "arguments" ? Field::arguments : Field::none;
      default: return Field::none;
    }
  }

  Fold& fold_;
  Ctx stack_[kMaxDepth];
  int depth_ = 0;
  Field key_ = Field::none;
  uint64_t tool_index_ = 0;
  bool has_index_ = false;
  std::string tool_id_, tool_name_, tool_arguments_;
};

class RapidJsonSax final : public JsonBackend {
 public:
  bool parse(std::string_view json) override {
    handler_.begin();
    rapidjson::MemoryStream stream(json.data(), json.size());
    return !reader_.Parse(stream, handler_).IsError();
  }

 private:
  SaxHandler handler_{fold};
  rapidjson::Reader reader_;
};

}  // namespace

std::unique_ptr<JsonBackend> make_rapidjson_dom() { return std::make_unique<RapidJsonDom>(); }
std::unique_ptr<JsonBackend> make_rapidjson_sax() { return std::make_unique<RapidJsonSax>(); }

}  // namespace ssecheck::bench
