// Out: writes JSON text (compact or indented) for reports and native objects.
//
// Invariants:
//  - Output is always valid JSON: strings with invalid UTF-8 are repaired (U+FFFD) and
//    control characters are escaped, so any input prints.
//  - Deterministic: the same calls give the same bytes.
//  - raw() splices JSON text this library wrote itself; when indenting, it is re-parsed
//    so it nests (numbers keep their exact value).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "ssecheck/json/value.h"

namespace ssecheck::json {

class Out {
 public:
  explicit Out(std::string& sink, bool pretty = false);
  ~Out();
  Out(const Out&) = delete;
  Out& operator=(const Out&) = delete;

  Out& begin_object();
  Out& end_object();
  Out& begin_array();
  Out& end_array();
  Out& key(std::string_view k);
  Out& string(std::string_view s);
  Out& null();
  Out& boolean(bool b);
  Out& int64(int64_t v);
  Out& uint64(uint64_t v);
  Out& number(double v);
  Out& value(const Value& v);       // a parsed value, copied
  Out& raw(std::string_view json);  // JSON text (null when it does not parse)

  // key + value helpers; an empty optional prints null.
  Out& field(std::string_view k, std::string_view s) { return key(k).string(s); }
  Out& field(std::string_view k, const std::string& s) { return key(k).string(s); }
  Out& field(std::string_view k, const char* s) { return key(k).string(s); }
  Out& field(std::string_view k, const std::optional<std::string>& s) {
    key(k);
    return s ? string(*s) : null();
  }
  Out& field(std::string_view k, const std::optional<uint64_t>& v) {
    key(k);
    return v ? uint64(*v) : null();
  }

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// A parsed value as compact JSON text.
std::string to_json(const Value& v);

}  // namespace ssecheck::json
