#include "result_digest.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string_view>
#include <utility>
#include <vector>

#include "ssecheck/normalized.h"

namespace ssecheck::bench {
namespace {

using rapidjson::Value;

void write_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

// Number.prototype.toString for a finite double (ECMA-262 Number::toString).
void write_double(std::string& out, double v) {
  if (v == 0) {  // also -0
    out.push_back('0');
    return;
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));  // [-]d[.ddd]e±XX
  if (sci.front() == '-') {
    out.push_back('-');
    sci.remove_prefix(1);
  }
  size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e))
    if (c != '.') digits.push_back(c);
  int exponent = std::atoi(std::string(sci.substr(e + 1)).c_str());
  const int k = static_cast<int>(digits.size());
  const int n = exponent + 1;  // value = 0.digits x 10^n
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, static_cast<size_t>(n));
    out.push_back('.');
    out.append(digits, static_cast<size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-n), '0');
    out += digits;
  } else {
    out.push_back(digits[0]);
    if (k > 1) {
      out.push_back('.');
      out.append(digits, 1);
    }
    out.push_back('e');
    out.push_back(n - 1 < 0 ? '-' : '+');
    out += std::to_string(std::abs(n - 1));
  }
}

// A canonical array index in JavaScript's property order: "0".."4294967294".
bool array_index(std::string_view key, uint64_t& index) {
  if (key.empty() || key.size() > 10 || (key.size() > 1 && key[0] == '0')) return false;
  index = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return false;
    index = index * 10 + static_cast<uint64_t>(c - '0');
  }
  return index < 4294967295ULL;
}

void write_value(std::string& out, const Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType: out += "null"; return;
    case rapidjson::kFalseType: out += "false"; return;
    case rapidjson::kTrueType: out += "true"; return;
    case rapidjson::kStringType: write_string(out, {v.GetString(), v.GetStringLength()}); return;
    case rapidjson::kNumberType: {
      constexpr int64_t kExact = int64_t{1} << 53;  // beyond this JavaScript rounds
      if (v.IsInt64() && v.GetInt64() <= kExact && v.GetInt64() >= -kExact) {
        out += std::to_string(v.GetInt64() == 0 ? 0 : v.GetInt64());
      } else {
        write_double(out, v.GetDouble());
      }
      return;
    }
    case rapidjson::kArrayType: {
      out.push_back('[');
      bool first = true;
      for (const Value& e : v.GetArray()) {
        if (!std::exchange(first, false)) out.push_back(',');
        write_value(out, e);
      }
      out.push_back(']');
      return;
    }
    case rapidjson::kObjectType: {
      struct Member {
        std::string_view key;
        const Value* value;
        bool is_index;
        uint64_t index;
      };
      std::vector<Member> members;  // first position, last value
      for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
        std::string_view key(it->name.GetString(), it->name.GetStringLength());
        auto same = std::find_if(members.begin(), members.end(), [&](const Member& m) { return m.key == key; });
        if (same != members.end()) {
          same->value = &it->value;
          continue;
        }
        uint64_t index = 0;
        bool is_index = array_index(key, index);
        members.push_back({key, &it->value, is_index, index});
      }
      std::stable_sort(members.begin(), members.end(), [](const Member& a, const Member& b) {
        if (a.is_index != b.is_index) return a.is_index;
        return a.is_index && a.index < b.index;
      });
      out.push_back('{');
      bool first = true;
      for (const Member& m : members) {
        if (!std::exchange(first, false)) out.push_back(',');
        write_string(out, m.key);
        out.push_back(':');
        write_value(out, *m.value);
      }
      out.push_back('}');
      return;
    }
  }
}

}  // namespace

std::string canonical_json(std::string_view text) {
  rapidjson::Document d;
  d.Parse<rapidjson::kParseFullPrecisionFlag>(text.data(), text.size());
  if (d.HasParseError()) return std::string(text);
  std::string out;
  out.reserve(text.size());
  write_value(out, d);
  return out;
}

ResultDigest digest_of(const NormalizedResult& result) {
  ResultDigest d;
  const NormalizedOutput* first = nullptr;
  for (const NormalizedOutput& o : result.outputs)
    if (first == nullptr || o.index < first->index) first = &o;
  if (first == nullptr) return d;
  d.add_text(first->text);
  d.add_reasoning(first->reasoning);
  for (const NormalizedToolCall& t : first->tool_calls) {
    d.begin_tool(t.name);
    d.add_tool_arguments(canonical_json(t.arguments));
    d.end_tool();
  }
  return d;
}

}  // namespace ssecheck::bench
