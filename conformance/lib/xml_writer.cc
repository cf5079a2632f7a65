#include "xml_writer.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "ssecheck/utf8.h"

namespace ssecheck::conformance {

XmlWriter::XmlWriter(std::string& out, int indent) : out_(out), indent_(indent < 0 ? 0 : indent) {
  out_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
}

bool XmlWriter::is_name(std::string_view name) {
  if (name.empty()) return false;
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'; };
  if (!letter(name.front())) return false;
  for (const char c : name)
    if (!letter(c) && !(c >= '0' && c <= '9') && c != '-' && c != '.') return false;
  return true;
}

void XmlWriter::append_escaped(std::string& out, std::string_view text, bool in_attribute) {
  std::string repaired;
  if (!utf8::is_valid(text)) {
    utf8::append_repaired(repaired, text);
    text = repaired;
  }
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '&': out += "&amp;"; continue;
      case '<': out += "&lt;"; continue;
      case '>': out += "&gt;"; continue;
      case '"':
        out += in_attribute ? "&quot;" : "\"";
        continue;
      case '\t':
        out += in_attribute ? "&#9;" : "\t";
        continue;
      case '\n':
        out += in_attribute ? "&#10;" : "\n";
        continue;
      case '\r':
        // A literal CR in content is read back as LF (end-of-line handling): keep it.
        out += "&#13;";
        continue;
      default: break;
    }
    if (c < 0x20) {
      out += utf8::kReplacement;
    } else if (c == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBF &&
               (static_cast<unsigned char>(text[i + 2]) == 0xBE || static_cast<unsigned char>(text[i + 2]) == 0xBF)) {
      out += utf8::kReplacement;  // U+FFFE, U+FFFF
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
}

void XmlWriter::newline_and_indent(size_t depth) {
  out_ += '\n';
  out_.append(depth * static_cast<size_t>(indent_), ' ');
}

void XmlWriter::end_start_tag() {
  if (!stack_.empty() && stack_.back().start_tag_open) {
    out_ += '>';
    stack_.back().start_tag_open = false;
  }
}

void XmlWriter::open(std::string_view name) {
  if (!is_name(name)) throw std::invalid_argument("XmlWriter: not an XML name: '" + std::string(name) + "'");
  if (stack_.empty()) {
    if (has_root_) throw std::invalid_argument("XmlWriter: a second root element");
    has_root_ = true;
    out_ += '\n';
  } else {
    end_start_tag();
    Open& parent = stack_.back();
    parent.has_children = true;
    if (!parent.has_text) newline_and_indent(stack_.size());
  }
  out_ += '<';
  out_ += name;
  Open element;
  element.name = std::string(name);
  stack_.push_back(std::move(element));
}

void XmlWriter::attribute(std::string_view name, std::string_view value) {
  if (stack_.empty() || !stack_.back().start_tag_open)
    throw std::invalid_argument("XmlWriter: attribute '" + std::string(name) + "' after the start tag");
  if (!is_name(name)) throw std::invalid_argument("XmlWriter: not an XML name: '" + std::string(name) + "'");
  for (const std::string& a : stack_.back().attributes)
    if (a == name) throw std::invalid_argument("XmlWriter: attribute '" + std::string(name) + "' given twice");
  stack_.back().attributes.emplace_back(name);
  out_ += ' ';
  out_ += name;
  out_ += "=\"";
  append_escaped(out_, value, true);
  out_ += '"';
}

void XmlWriter::attribute(std::string_view name, uint64_t value) { attribute(name, std::to_string(value)); }

void XmlWriter::attribute_seconds(std::string_view name, double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) seconds = 0;
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.3f", seconds);
  attribute(name, std::string_view(buffer));
}

void XmlWriter::text(std::string_view content) {
  if (stack_.empty()) throw std::invalid_argument("XmlWriter: text outside the root element");
  if (content.empty()) return;
  end_start_tag();
  stack_.back().has_text = true;
  append_escaped(out_, content, false);
}

void XmlWriter::close() {
  if (stack_.empty()) throw std::invalid_argument("XmlWriter: close() with no open element");
  Open& top = stack_.back();
  if (top.start_tag_open) {
    out_ += "/>";
  } else {
    if (top.has_children && !top.has_text) newline_and_indent(stack_.size() - 1);
    out_ += "</";
    out_ += top.name;
    out_ += '>';
  }
  stack_.pop_back();
}

void XmlWriter::finish() {
  while (!stack_.empty()) close();
  out_ += '\n';
}

}  // namespace ssecheck::conformance
