// RapidJSON helpers of the JSON layer: a string output stream, depth/size-bounded SAX
// forwarding, and exact number conversion.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/reader.h>

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace ssecheck::json {

// Writer output stream appending to a std::string.
struct StringOut {
  using Ch = char;
  std::string* out;
  void Put(char c) { out->push_back(c); }
  void Flush() {}
};

// Forwards SAX events to Inner, failing once nesting exceeds max_depth or the number
// of values (scalars, arrays, objects) exceeds max_values.
template <typename Inner>
struct Bounded {
  Inner& inner;
  uint32_t max_depth;
  uint64_t max_values;
  uint32_t depth = 0;
  uint64_t values = 0;
  bool too_deep = false;
  bool too_many = false;

  bool Null() { return count() && inner.Null(); }
  bool Bool(bool b) { return count() && inner.Bool(b); }
  bool Int(int i) { return count() && inner.Int(i); }
  bool Uint(unsigned u) { return count() && inner.Uint(u); }
  bool Int64(int64_t i) { return count() && inner.Int64(i); }
  bool Uint64(uint64_t u) { return count() && inner.Uint64(u); }
  bool Double(double d) { return count() && inner.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) { return count() && inner.RawNumber(s, n, copy); }
  bool String(const char* s, rapidjson::SizeType n, bool copy) { return count() && inner.String(s, n, copy); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) { return inner.Key(s, n, copy); }
  bool StartObject() { return count() && enter() && inner.StartObject(); }
  bool EndObject(rapidjson::SizeType n) { --depth; return inner.EndObject(n); }
  bool StartArray() { return count() && enter() && inner.StartArray(); }
  bool EndArray(rapidjson::SizeType n) { --depth; return inner.EndArray(n); }

  bool count() {
    if (++values > max_values) {
      too_many = true;
      return false;
    }
    return true;
  }
  bool enter() {
    if (++depth > max_depth) {
      too_deep = true;
      return false;
    }
    return true;
  }
};

// Number text -> value, correctly rounded. Parse with kParseNumbersAsStringsFlag and
// put ExactNumbers in front: RapidJSON 1.1's own conversion misrounds (full precision
// gives 0.30000000000000007 for 0.30000000000000004) and wraps some overflows into
// garbage (10000e305 -> -3.09e-308). Integers become Uint64/Int64 when they fit, as
// RapidJSON classifies them, otherwise doubles; a double that overflows stops the
// parse (too_big, with the number's offset), one that underflows becomes a signed 0.
enum class NumberKind { integer, real, too_big };

// The value of a JSON number literal (grammar already checked by the reader).
struct NumberValue {
  NumberKind kind = NumberKind::integer;
  bool negative = false;
  uint64_t magnitude = 0;  // integer: |value| (negative: as two's complement int64)
  double real = 0;
};

inline bool overflows_double(std::string_view t) {
  // Decimal exponent of the first significant digit; > 0 when out of range upwards.
  size_t i = t.empty() || t[0] != '-' ? 0 : 1;
  int64_t first = 0;  // position of the first non-zero digit relative to the point
  bool seen = false;
  int64_t int_digits = 0;
  for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) {
    if (!seen && t[i] != '0') seen = true, first = 0;
    if (seen) ++int_digits;
  }
  if (seen) first = int_digits - 1;
  if (i < t.size() && t[i] == '.') {
    for (int64_t k = 1; ++i < t.size() && t[i] >= '0' && t[i] <= '9'; ++k)
      if (!seen && t[i] != '0') seen = true, first = -k;
  }
  int64_t exp = 0;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    const bool minus = ++i < t.size() && t[i] == '-';
    if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
    for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i)
      if (exp < 1'000'000'000) exp = exp * 10 + (t[i] - '0');
    if (minus) exp = -exp;
  }
  return seen && first + exp > 0;
}

inline NumberValue number_value(std::string_view t) {
  NumberValue v;
  v.negative = !t.empty() && t[0] == '-';
  const char* b = t.data();
  const char* e = b + t.size();
  if (t.find_first_of(".eE") == std::string_view::npos) {
    if (v.negative) {
      int64_t i = 0;
      if (std::from_chars(b, e, i).ec == std::errc{}) {
        v.magnitude = static_cast<uint64_t>(i);
        return v;
      }
    } else if (std::from_chars(b, e, v.magnitude).ec == std::errc{}) {
      return v;
    }
  }
  v.kind = NumberKind::real;
  const auto r = std::from_chars(b, e, v.real);
  if (r.ec == std::errc::result_out_of_range) {
    if (overflows_double(t)) v.kind = NumberKind::too_big;
    else v.real = v.negative ? -0.0 : 0.0;
  }
  return v;
}

template <typename Inner>
struct ExactNumbers {
  Inner& inner;
  const char* base;  // start of the parsed text, for too_big_offset
  bool too_big = false;
  size_t too_big_offset = 0;

  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    const NumberValue v = number_value(std::string_view(s, n));
    switch (v.kind) {
      case NumberKind::integer:
        return v.negative ? inner.Int64(static_cast<int64_t>(v.magnitude)) : inner.Uint64(v.magnitude);
      case NumberKind::real: return inner.Double(v.real);
      case NumberKind::too_big: break;
    }
    too_big = true;
    too_big_offset = static_cast<size_t>(s - base);
    return false;
  }
  bool Null() { return inner.Null(); }
  bool Bool(bool b) { return inner.Bool(b); }
  bool Int(int i) { return inner.Int(i); }
  bool Uint(unsigned u) { return inner.Uint(u); }
  bool Int64(int64_t i) { return inner.Int64(i); }
  bool Uint64(uint64_t u) { return inner.Uint64(u); }
  bool Double(double d) { return inner.Double(d); }
  bool String(const char* s, rapidjson::SizeType n, bool copy) { return inner.String(s, n, copy); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) { return inner.Key(s, n, copy); }
  bool StartObject() { return inner.StartObject(); }
  bool EndObject(rapidjson::SizeType n) { return inner.EndObject(n); }
  bool StartArray() { return inner.StartArray(); }
  bool EndArray(rapidjson::SizeType n) { return inner.EndArray(n); }
};

// Accepts everything (for validation-only parses).
struct NullHandler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, NullHandler> {};

}  // namespace ssecheck::json
