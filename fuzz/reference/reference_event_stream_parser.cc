#include "reference_event_stream_parser.h"

#include <limits>

namespace ssecheck_fuzz {
namespace {

void append_code_point(std::string& out, uint32_t cp) {
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

constexpr uint32_t kReplacement = 0xFFFD;

// Interpreting an event stream: the per-stream state and the steps for one line.
struct Interpreter {
  std::string data_buffer;
  std::string event_type_buffer;
  std::string last_event_id_buffer;
  std::string last_event_id_string;
  std::vector<ReferenceOutput> out;

  void dispatch() {
    // Step 1: the last event ID string takes the buffer's value.
    last_event_id_string = last_event_id_buffer;
    // Step 2: no data, no event.
    if (data_buffer.empty()) {
      event_type_buffer.clear();
      return;
    }
    // Step 3: remove one trailing LF.
    if (data_buffer.back() == '\n') data_buffer.pop_back();
    // Steps 4-8: build and fire the event, then reset the buffers.
    ReferenceOutput event;
    event.kind = ReferenceOutput::Kind::event;
    event.type = event_type_buffer.empty() ? "message" : event_type_buffer;
    event.data = data_buffer;
    event.id = last_event_id_string;
    out.push_back(std::move(event));
    data_buffer.clear();
    event_type_buffer.clear();
  }

  void process_field(const std::string& field, const std::string& value) {
    if (field == "event") {
      event_type_buffer = value;
    } else if (field == "data") {
      data_buffer += value;
      data_buffer += '\n';
    } else if (field == "id") {
      if (value.find('\0') == std::string::npos) last_event_id_buffer = value;
    } else if (field == "retry") {
      if (value.empty()) return;
      uint64_t n = 0;
      for (char c : value) {
        if (c < '0' || c > '9') return;
        uint64_t digit = static_cast<uint64_t>(c - '0');
        if (n > (std::numeric_limits<uint64_t>::max() - digit) / 10) return;  // overflow
        n = n * 10 + digit;
      }
      ReferenceOutput retry;
      retry.kind = ReferenceOutput::Kind::retry;
      retry.retry = n;
      out.push_back(std::move(retry));
    }
    // Otherwise the field is ignored.
  }

  void process_line(const std::string& line) {
    if (line.empty()) {
      dispatch();
      return;
    }
    if (line[0] == ':') {
      ReferenceOutput comment;
      comment.kind = ReferenceOutput::Kind::comment;
      comment.data = line.substr(1);
      out.push_back(std::move(comment));
      return;
    }
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string field = line.substr(0, colon);
      std::string value = line.substr(colon + 1);
      if (!value.empty() && value[0] == ' ') value.erase(0, 1);
      process_field(field, value);
    } else {
      process_field(line, "");
    }
  }
};

}  // namespace

std::string reference_utf8_decode(std::string_view bytes) {
  std::string out;
  uint32_t code_point = 0;
  int bytes_seen = 0;
  int bytes_needed = 0;
  unsigned lower = 0x80;
  unsigned upper = 0xBF;
  size_t i = 0;
  while (i < bytes.size()) {
    unsigned byte = static_cast<unsigned char>(bytes[i]);
    if (bytes_needed == 0) {
      ++i;
      if (byte <= 0x7F) {
        append_code_point(out, byte);
      } else if (byte >= 0xC2 && byte <= 0xDF) {
        bytes_needed = 1;
        code_point = byte & 0x1F;
      } else if (byte >= 0xE0 && byte <= 0xEF) {
        if (byte == 0xE0) lower = 0xA0;
        if (byte == 0xED) upper = 0x9F;
        bytes_needed = 2;
        code_point = byte & 0xF;
      } else if (byte >= 0xF0 && byte <= 0xF4) {
        if (byte == 0xF0) lower = 0x90;
        if (byte == 0xF4) upper = 0x8F;
        bytes_needed = 3;
        code_point = byte & 0x7;
      } else {
        append_code_point(out, kReplacement);
      }
      continue;
    }
    if (byte < lower || byte > upper) {
      // Error; the byte is "restored to the stream": do not advance i.
      code_point = 0;
      bytes_needed = 0;
      bytes_seen = 0;
      lower = 0x80;
      upper = 0xBF;
      append_code_point(out, kReplacement);
      continue;
    }
    ++i;
    lower = 0x80;
    upper = 0xBF;
    code_point = (code_point << 6) | (byte & 0x3F);
    if (++bytes_seen != bytes_needed) continue;
    append_code_point(out, code_point);
    code_point = 0;
    bytes_needed = 0;
    bytes_seen = 0;
  }
  if (bytes_needed != 0) append_code_point(out, kReplacement);  // end of stream mid-sequence
  return out;
}

std::vector<ReferenceOutput> reference_parse_event_stream(std::string_view bytes,
                                                          std::string_view initial_last_event_id) {
  std::string text = reference_utf8_decode(bytes);
  // One leading U+FEFF BYTE ORDER MARK is ignored.
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);

  Interpreter in;
  in.last_event_id_buffer = std::string(initial_last_event_id);
  in.last_event_id_string = in.last_event_id_buffer;

  // Lines end with CRLF, LF or CR. A final line without an ending is never processed.
  std::string line;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      in.process_line(line);
      line.clear();
    } else if (c == '\n') {
      in.process_line(line);
      line.clear();
    } else {
      line += c;
    }
  }
  // End of file: any pending data is discarded.
  return std::move(in.out);
}

}  // namespace ssecheck_fuzz
