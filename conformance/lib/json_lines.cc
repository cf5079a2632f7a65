#include "json_lines.h"

#include <cstdint>

namespace ssecheck::conformance {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

void append_escaped_ascii(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (c) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    default: break;
  }
  if (c < 0x20 || c == 0x7F) {
    out += "\\u00";
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  } else {
    out += static_cast<char>(c);
  }
}

// Length of the UTF-8 sequence starting at s[i] as far as it is valid, and whether
// it is complete (WHATWG UTF-8 decoder: an invalid byte ends the maximal subpart).
struct Sequence {
  size_t length;
  bool complete;
};

Sequence scan_sequence(std::string_view s, size_t i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  size_t needed = 0;
  unsigned char lower = 0x80, upper = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    needed = 1;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    needed = 2;
    if (lead == 0xE0) lower = 0xA0;
    if (lead == 0xED) upper = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    needed = 3;
    if (lead == 0xF0) lower = 0x90;
    if (lead == 0xF4) upper = 0x8F;
  } else {
    return {1, false};
  }
  size_t j = i + 1;
  for (size_t seen = 0; seen < needed; ++seen, ++j) {
    if (j >= s.size()) return {j - i, false};
    const auto b = static_cast<unsigned char>(s[j]);
    if (b < lower || b > upper) return {j - i, false};
    lower = 0x80;
    upper = 0xBF;
  }
  return {j - i, true};
}

}  // namespace

void append_json_string(std::string& out, std::string_view bytes) {
  out.reserve(out.size() + bytes.size() + 2);
  out += '"';
  size_t i = 0;
  while (i < bytes.size()) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x80) {
      append_escaped_ascii(out, c);
      ++i;
      continue;
    }
    const Sequence seq = scan_sequence(bytes, i);
    if (seq.complete)
      out.append(bytes.substr(i, seq.length));
    else
      out += kReplacement;
    i += seq.length;
  }
  out += '"';
}

void JsonLinesSink::on_event(const Event& event) {
  out_ += "{\"event\":";
  append_json_string(out_, event.type);
  out_ += ",\"data\":";
  append_json_string(out_, event.data);
  out_ += ",\"id\":";
  append_json_string(out_, event.id);
  out_ += "}\n";
}

void JsonLinesSink::on_retry(uint64_t milliseconds) {
  out_ += "{\"retry\":";
  out_ += std::to_string(milliseconds);
  out_ += "}\n";
}

void JsonLinesSink::on_comment(std::string_view text, uint64_t) {
  if (!options_.comments) return;
  out_ += "{\"comment\":";
  append_json_string(out_, text);
  out_ += "}\n";
}

void JsonLinesSink::on_diagnostic(DiagCode code, uint64_t) {
  if (!options_.diagnostics) return;
  out_ += "{\"diagnostic\":";
  append_json_string(out_, name(code));
  out_ += "}\n";
}

void append_error_line(std::string& out, ParseStatus status) {
  out += "{\"error\":";
  append_json_string(out, status_name(status));
  out += "}\n";
}

}  // namespace ssecheck::conformance
