// Read-only views of one parsed JSON value: one per JSON back end with the same small
// interface (RapidView, SimdView), so a hot walk is written once as a template, and
// Value, which holds either and picks at run time, for dialects that need no template.
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
#include <cstring>
#include <string_view>

#if SSECHECK_HAVE_SIMDJSON
#include <simdjson.h>
#endif

namespace ssecheck::json {

using RapidPool = rapidjson::MemoryPoolAllocator<rapidjson::CrtAllocator>;
using RapidDoc = rapidjson::GenericDocument<rapidjson::UTF8<>, RapidPool, RapidPool>;
using RapidValue = RapidDoc::ValueType;

// Key equality for member lookups: length and first byte before memcmp (profile: the
// library's out-of-line string_view compare was most of a lookup's cost).
inline bool same_key(std::string_view a, std::string_view b) {
  return a.size() == b.size() && (a.empty() || (a[0] == b[0] && std::memcmp(a.data(), b.data(), a.size()) == 0));
}

template <typename RValue>
class RapidView {
 public:
  RapidView() = default;
  explicit RapidView(const RValue* v) : v_(v) {}

  bool present() const { return v_ != nullptr; }
  bool absent_or_null() const { return v_ == nullptr || v_->IsNull(); }
  bool is_string() const { return v_ && v_->IsString(); }
  bool is_object() const { return v_ && v_->IsObject(); }
  bool is_array() const { return v_ && v_->IsArray(); }
  bool is_uint64() const { return v_ && v_->IsUint64(); }
  bool is_int64() const { return v_ && v_->IsInt64(); }
  bool is_bool() const { return v_ && v_->IsBool(); }
  bool is_number() const { return v_ && v_->IsNumber(); }
  bool boolean() const { return v_->GetBool(); }
  double number() const { return v_->GetDouble(); }
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
      if (same_key(std::string_view(m.name.GetString(), m.name.GetStringLength()), key)) found = RapidView(&m.value);
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

  bool present() const { return present_; }
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
  bool is_bool() const { return present_ && e_.type() == element_type::BOOL; }
  bool is_number() const {
    return present_ && (e_.type() == element_type::INT64 || e_.type() == element_type::UINT64 ||
                        e_.type() == element_type::DOUBLE);
  }
  bool boolean() const { return e_.get_bool().value_unsafe(); }
  double number() const {
    switch (e_.type()) {
      case element_type::INT64: return static_cast<double>(e_.get_int64().value_unsafe());
      case element_type::UINT64: return static_cast<double>(e_.get_uint64().value_unsafe());
      default: return e_.get_double().value_unsafe();
    }
  }
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
      if (same_key(kv.key, key)) found = SimdView(kv.value);
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

// Either back end's view, chosen at run time. Absent when default-constructed, when a
// key is missing, or when indexing something that is not an object.
class Value {
 public:
  Value() = default;
  explicit Value(RapidView<RapidValue> v) : kind_(v.present() ? Kind::rapid : Kind::absent), r_(v) {}
#if SSECHECK_HAVE_SIMDJSON
  explicit Value(SimdView v) : kind_(v.present() ? Kind::simd : Kind::absent), s_(v) {}
#endif

  bool absent() const { return kind_ == Kind::absent; }
  bool absent_or_null() const { return call([](auto v) { return v.absent_or_null(); }, true); }
  bool is_null() const { return !absent() && absent_or_null(); }
  bool is_string() const { return call([](auto v) { return v.is_string(); }, false); }
  bool is_object() const { return call([](auto v) { return v.is_object(); }, false); }
  bool is_array() const { return call([](auto v) { return v.is_array(); }, false); }
  bool is_bool() const { return call([](auto v) { return v.is_bool(); }, false); }
  bool is_number() const { return call([](auto v) { return v.is_number(); }, false); }
  bool is_uint64() const { return call([](auto v) { return v.is_uint64(); }, false); }
  bool is_int64() const { return call([](auto v) { return v.is_int64(); }, false); }
  // Accessors: only after the matching is_*() check.
  std::string_view str() const { return call([](auto v) { return v.str(); }, std::string_view{}); }
  uint64_t uint64() const { return call([](auto v) { return v.uint64(); }, uint64_t{0}); }
  int64_t int64() const { return call([](auto v) { return v.int64(); }, int64_t{0}); }
  bool boolean() const { return call([](auto v) { return v.boolean(); }, false); }
  double number() const { return call([](auto v) { return v.number(); }, 0.0); }
  size_t size() const {
    if (is_object()) return call([](auto v) { return v.object_size(); }, size_t{0});
    if (is_array()) return call([](auto v) { return v.array_size(); }, size_t{0});
    return 0;
  }
  const char* type_name() const { return absent() ? "absent" : call([](auto v) { return v.type_name(); }, "?"); }

  // The member's value (the last one when the key repeats); absent when not an object.
  Value operator[](std::string_view key) const {
    if (!is_object()) return {};
    return call([&](auto v) { return Value(v.find(key)); }, Value{});
  }
  // f(std::string_view key, Value value), in document order, duplicates kept.
  template <typename F>
  void each_member(F&& f) const {
    if (!is_object()) return;
    call([&](auto v) { v.each_member([&](std::string_view k, auto x) { f(k, Value(x)); }); return 0; }, 0);
  }
  // f(Value element), in order.
  template <typename F>
  void each_element(F&& f) const {
    if (!is_array()) return;
    call([&](auto v) { v.each_element([&](auto x) { f(Value(x)); }); return 0; }, 0);
  }
  template <typename Writer>
  void write(Writer& w) const {
    if (absent()) w.Null();
    else call([&](auto v) { v.write(w); return 0; }, 0);
  }

  // Convenience: the string, or fallback when this is not a string.
  std::string_view string_or(std::string_view fallback = {}) const { return is_string() ? str() : fallback; }

 private:
  enum class Kind : uint8_t { absent, rapid, simd };
  template <typename F, typename R>
  R call(F&& f, R fallback) const {
    switch (kind_) {
      case Kind::rapid: return f(r_);
#if SSECHECK_HAVE_SIMDJSON
      case Kind::simd: return f(s_);
#endif
      default: return fallback;
    }
  }
  Kind kind_ = Kind::absent;
  RapidView<RapidValue> r_;
#if SSECHECK_HAVE_SIMDJSON
  SimdView s_;
#endif
};

}  // namespace ssecheck::json
