// Read-only views of one parsed JSON value, one per JSON back end, with the same small
// interface, so the accumulator's walk is written once (a template) for both.
//
// Invariants:
//  - A view is cheap to copy and may be absent (a member that is not there);
//    absent_or_null() is true for both absent and JSON null.
//  - Accessors are called only after the matching is_*() check.
//  - write() emits through a RapidJSON Writer, so both back ends print the same text
//    for the same values (numbers are converted exactly by both, see json_util.h).
//  - Iteration keeps document order and duplicate keys.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string_view>

#if SSECHECK_HAVE_SIMDJSON
#include <simdjson.h>
#endif

namespace ssecheck::json {

template <typename RValue>
class RapidView {
 public:
  RapidView() = default;
  explicit RapidView(const RValue* v) : v_(v) {}

  bool absent_or_null() const { return v_ == nullptr || v_->IsNull(); }
  bool is_string() const { return v_ && v_->IsString(); }
  bool is_object() const { return v_ && v_->IsObject(); }
  bool is_array() const { return v_ && v_->IsArray(); }
  bool is_uint64() const { return v_ && v_->IsUint64(); }
  bool is_int64() const { return v_ && v_->IsInt64(); }
  std::string_view str() const { return {v_->GetString(), v_->GetStringLength()}; }
  uint64_t uint64() const { return v_->GetUint64(); }
  int64_t int64() const { return v_->GetInt64(); }
  size_t object_size() const { return v_->MemberCount(); }
  size_t array_size() const { return v_->Size(); }

  const char* type_name() const {
    switch (v_->GetType()) {
      case rapidjson::kNullType: return "null";
      case rapidjson::kFalseType:
      case rapidjson::kTrueType: return "boolean";
      case rapidjson::kObjectType: return "object";
      case rapidjson::kArrayType: return "array";
      case rapidjson::kStringType: return "string";
      case rapidjson::kNumberType: return "number";
    }
    return "?";
  }

  template <typename F>
  void each_member(F&& f) const {
    for (const auto& m : v_->GetObject()) f(std::string_view(m.name.GetString(), m.name.GetStringLength()), RapidView(&m.value));
  }
  template <typename F>
  void each_element(F&& f) const {
    for (const auto& e : v_->GetArray()) f(RapidView(&e));
  }
  // The last member with this key (absent when none): a repeated key's last value
  // wins, as in JSON.parse.
  RapidView find(std::string_view key) const {
    RapidView found;
    for (const auto& m : v_->GetObject())
      if (std::string_view(m.name.GetString(), m.name.GetStringLength()) == key) found = RapidView(&m.value);
    return found;
  }
  template <typename Writer>
  void write(Writer& w) const {
    v_->Accept(w);
  }

 private:
  const RValue* v_ = nullptr;
};

#if SSECHECK_HAVE_SIMDJSON
class SimdView {
 public:
  using element_type = simdjson::dom::element_type;
  SimdView() = default;
  explicit SimdView(simdjson::dom::element e) : e_(e), present_(true) {}

  bool absent_or_null() const { return !present_ || e_.type() == element_type::NULL_VALUE; }
  bool is_string() const { return present_ && e_.type() == element_type::STRING; }
  bool is_object() const { return present_ && e_.type() == element_type::OBJECT; }
  bool is_array() const { return present_ && e_.type() == element_type::ARRAY; }
  // As RapidJSON: an integer is uint64 when non-negative, int64 when it fits.
  bool is_uint64() const {
    return present_ && (e_.type() == element_type::UINT64 ||
                        (e_.type() == element_type::INT64 && e_.get_int64().value_unsafe() >= 0));
  }
  bool is_int64() const { return present_ && e_.type() == element_type::INT64; }
  std::string_view str() const { return e_.get_string().value_unsafe(); }
  uint64_t uint64() const {
    return e_.type() == element_type::UINT64 ? e_.get_uint64().value_unsafe()
                                              : static_cast<uint64_t>(e_.get_int64().value_unsafe());
  }
  int64_t int64() const { return e_.get_int64().value_unsafe(); }
  size_t object_size() const { return object_of(e_).size(); }
  size_t array_size() const { return array_of(e_).size(); }

  const char* type_name() const {
    switch (e_.type()) {
      case element_type::NULL_VALUE: return "null";
      case element_type::BOOL: return "boolean";
      case element_type::OBJECT: return "object";
      case element_type::ARRAY: return "array";
      case element_type::STRING: return "string";
      case element_type::INT64:
      case element_type::UINT64:
      case element_type::DOUBLE: return "number";
    }
    return "?";
  }

  template <typename F>
  void each_member(F&& f) const {
    for (simdjson::dom::key_value_pair kv : object_of(e_)) f(kv.key, SimdView(kv.value));
  }
  template <typename F>
  void each_element(F&& f) const {
    for (simdjson::dom::element x : array_of(e_)) f(SimdView(x));
  }
  SimdView find(std::string_view key) const {
    SimdView found;
    for (simdjson::dom::key_value_pair kv : object_of(e_))
      if (kv.key == key) found = SimdView(kv.value);
    return found;
  }
  template <typename Writer>
  void write(Writer& w) const {
    write(w, e_);
  }

 private:
  // By value: iterating value_unsafe() of a temporary result would dangle.
  static simdjson::dom::object object_of(simdjson::dom::element e) {
    simdjson::dom::object o;
    if (e.get(o) != simdjson::SUCCESS) return {};  // not reached: callers check the type
    return o;
  }
  static simdjson::dom::array array_of(simdjson::dom::element e) {
    simdjson::dom::array a;
    if (e.get(a) != simdjson::SUCCESS) return {};
    return a;
  }

  template <typename Writer>
  static void write(Writer& w, simdjson::dom::element e) {
    switch (e.type()) {
      case element_type::NULL_VALUE: w.Null(); break;
      case element_type::BOOL: w.Bool(e.get_bool().value_unsafe()); break;
      case element_type::INT64: w.Int64(e.get_int64().value_unsafe()); break;
      case element_type::UINT64: w.Uint64(e.get_uint64().value_unsafe()); break;
      case element_type::DOUBLE: w.Double(e.get_double().value_unsafe()); break;
      case element_type::STRING: {
        const std::string_view s = e.get_string().value_unsafe();
        w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
        break;
      }
      case element_type::ARRAY: {
        w.StartArray();
        rapidjson::SizeType n = 0;
        for (simdjson::dom::element x : array_of(e)) write(w, x), ++n;
        w.EndArray(n);
        break;
      }
      case element_type::OBJECT: {
        w.StartObject();
        rapidjson::SizeType n = 0;
        for (simdjson::dom::key_value_pair kv : object_of(e)) {
          w.Key(kv.key.data(), static_cast<rapidjson::SizeType>(kv.key.size()));
          write(w, kv.value);
          ++n;
        }
        w.EndObject(n);
        break;
      }
    }
  }

  simdjson::dom::element e_;
  bool present_ = false;
};
#endif

}  // namespace ssecheck::json
