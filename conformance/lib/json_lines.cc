#include "json_lines.h"

#include <cstdint>

#include "ssecheck/utf8.h"

namespace ssecheck::conformance {
namespace {

// Escapes what JSON requires (and DEL); every other byte is copied.
void append_escaped(std::string& out, unsigned char c) {
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

}  // namespace

void append_json_string(std::string& out, std::string_view bytes) {
  // Invalid UTF-8 is repaired first (utf8.h, the WHATWG rule); bytes >= 0x80 of the
  // repaired text then pass through as they are.
  std::string repaired;
  if (!utf8::is_valid(bytes)) {
    utf8::append_repaired(repaired, bytes);
    bytes = repaired;
  }
  out.reserve(out.size() + bytes.size() + 2);
  out += '"';
  for (const char ch : bytes) append_escaped(out, static_cast<unsigned char>(ch));
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
