#include "spec_case.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

namespace ssecheck::conformance {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool parse_size(std::string_view text, size_t& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && !text.empty();
}

bool apply_option(std::string_view line, SpecCase& c, std::string& error) {
  const size_t colon = line.find(": ");
  if (colon == std::string_view::npos) {
    error = "expected 'key: value'";
    return false;
  }
  const std::string_view key = line.substr(0, colon);
  const std::string_view value = line.substr(colon + 2);
  if (key == "last-event-id") {
    c.last_event_id = value;
  } else if (key == "utf8") {
    if (value == "raw") c.utf8 = Utf8Mode::raw;
    else if (value == "replace") c.utf8 = Utf8Mode::replace;
    else return error = "utf8 must be raw or replace", false;
  } else if (key == "on-limit") {
    if (value == "stop") c.on_limit = LimitPolicy::stop;
    else if (value == "skip") c.on_limit = LimitPolicy::skip;
    else return error = "on-limit must be stop or skip", false;
  } else if (key == "max-line-bytes") {
    if (!parse_size(value, c.max_line_bytes)) return error = "bad max-line-bytes", false;
  } else if (key == "max-event-bytes") {
    if (!parse_size(value, c.max_event_bytes)) return error = "bad max-event-bytes", false;
  } else {
    error = "unknown option '" + std::string(key) + "'";
    return false;
  }
  return true;
}

bool check_json_object(std::string_view line, std::string& error) {
  rapidjson::Document doc;
  doc.Parse(line.data(), line.size());
  if (doc.HasParseError() || !doc.IsObject()) {
    error = "expected one JSON object per line";
    return false;
  }
  return true;
}

}  // namespace

ParserOptions SpecCase::parser_options() const {
  ParserOptions o;
  o.max_line_bytes = max_line_bytes;
  o.max_event_bytes = max_event_bytes;
  o.utf8 = utf8;
  o.on_limit = on_limit;
  o.initial_last_event_id = last_event_id;
  return o;
}

bool decode_input_line(std::string_view line, std::string& out, std::string& error) {
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      error = "raw control character in input; use an escape";
      return false;
    }
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++i == line.size()) {
      error = "backslash at end of line";
      return false;
    }
    switch (line[i]) {
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case '0': out += '\0'; break;
      case '\\': out += '\\'; break;
      case 's': out += ' '; break;
      case 'x': {
        const int hi = i + 1 < line.size() ? hex_value(line[i + 1]) : -1;
        const int lo = i + 2 < line.size() ? hex_value(line[i + 2]) : -1;
        if (hi < 0 || lo < 0) {
          error = "\\x needs two hex digits";
          return false;
        }
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        break;
      }
      case 'u': {
        const size_t close = line.find('}', i);
        if (i + 1 >= line.size() || line[i + 1] != '{' || close == std::string_view::npos ||
            close == i + 2 || close - i - 2 > 6) {
          error = "\\u needs {HEX} with 1 to 6 digits";
          return false;
        }
        uint32_t cp = 0;
        for (size_t k = i + 2; k < close; ++k) {
          const int v = hex_value(line[k]);
          if (v < 0) return error = "bad hex digit in \\u{}", false;
          cp = cp * 16 + static_cast<uint32_t>(v);
        }
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
          error = "\\u{} is not a Unicode scalar value; use \\xHH for raw bytes";
          return false;
        }
        append_utf8(out, cp);
        i = close;
        break;
      }
      default:
        error = std::string("unknown escape \\") + line[i];
        return false;
    }
  }
  if (!line.empty() && line.back() == ' ') {
    error = "trailing space in input; write it as \\s";
    return false;
  }
  return true;
}

bool parse_spec_case(std::string_view text, std::string_view file_name, SpecCase& out,
                     std::string& error) {
  enum class Block { none, input, options, events };
  Block block = Block::none;
  bool seen_input = false, seen_events = false, seen_options = false;
  size_t line_no = 0;
  auto fail = [&](std::string_view message) {
    error = std::string(file_name) + ":" + std::to_string(line_no) + ": " + std::string(message);
    return false;
  };

  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    if (line.starts_with("```")) {
      if (block != Block::none) {
        if (line != "```") return fail("unexpected fence inside a block");
        block = Block::none;
        continue;
      }
      const std::string_view tag = line.substr(3);
      bool* seen = nullptr;
      if (tag == "input") block = Block::input, seen = &seen_input;
      else if (tag == "options") block = Block::options, seen = &seen_options;
      else if (tag == "events") block = Block::events, seen = &seen_events;
      else return fail("unknown block '" + std::string(tag) + "'");
      if (*seen) return fail("duplicate " + std::string(tag) + " block");
      *seen = true;
      continue;
    }
    std::string message;
    switch (block) {
      case Block::none:
        if (out.title.empty() && line.starts_with("# ")) out.title = line.substr(2);
        break;
      case Block::input:
        if (!decode_input_line(line, out.input, message)) return fail(message);
        break;
      case Block::options:
        if (!line.empty() && !apply_option(line, out, message)) return fail(message);
        break;
      case Block::events:
        if (line.empty()) break;
        if (!check_json_object(line, message)) return fail(message);
        out.expected.emplace_back(line);
        break;
    }
  }
  if (block != Block::none) return fail("unterminated block");
  if (out.title.empty()) return fail("missing '# Title' heading");
  if (!seen_input) return fail("missing input block");
  if (!seen_events) return fail("missing events block");
  return true;
}

bool read_spec_case(const std::filesystem::path& path, SpecCase& out, std::string& error) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    error = path.string() + ": cannot open";
    return false;
  }
  std::ostringstream text;
  text << file.rdbuf();
  out = SpecCase{};
  out.name = path.stem().string();
  return parse_spec_case(text.str(), path.string(), out, error);
}

std::vector<std::filesystem::path> list_spec_cases(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const auto& p = entry.path();
    if (entry.is_regular_file() && p.extension() == ".md" && p.filename() != "README.md")
      files.push_back(p);
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace ssecheck::conformance
