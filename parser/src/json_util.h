// Private RapidJSON helpers shared by the accumulator and the report writer.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/reader.h>

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

// Accepts everything (for validation-only parses).
struct NullHandler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, NullHandler> {};

}  // namespace ssecheck::json
