#include "ssecheck/replay/sse_rewrites.h"

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <array>
#include <vector>

namespace ssecheck::replay {
namespace {

struct FlagName {
  Rewrites flag;
  std::string_view name;
};
constexpr std::array<FlagName, kRewriteCount> kNames = {{
    {Rewrites::crlf, "crlf"},
    {Rewrites::cr, "cr"},
    {Rewrites::no_space, "no-space"},
    {Rewrites::bom, "bom"},
    {Rewrites::comments, "comments"},
    {Rewrites::unknown_fields, "unknown-fields"},
    {Rewrites::id_retry, "id-retry"},
    {Rewrites::split_data_lines, "split-data"},
}};

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Comment lines: each starts with ':' so the parser ignores it whatever follows.
constexpr std::array<std::string_view, 5> kComments = {
    ":", ": keep-alive", ":data: not a field", ": \xC3\xBCn\xC3\xAF" "c\xC3\xB8" "de \xE2\x9C\x93",
    ": event: still a comment",
};
// Lines whose field name is none of data/event/id/retry, or a retry that is not all
// digits: the parser ignores them. None starts with a BOM (a first line's BOM is
// stripped) and none is a bare "data"/"event" without a colon.
constexpr std::array<std::string_view, 6> kUnknownFields = {
    "x-ssecheck: 1", "Data: field names are case-sensitive", "data : the name has a space",
    "ssecheck", "event-type: ignored", "retry: 1.5",
};

uint64_t next_random(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

struct Line {
  std::string_view text;
  std::string_view eol;  // "\n", "\r\n" or "\r"
};

class Emitter {
 public:
  Emitter(Rewrites r, uint64_t seed) : r_(r), rng_(seed) {}

  uint64_t random() { return next_random(&rng_); }

  // Appends text and a line ending: the original one unless crlf/cr ask otherwise.
  void line(std::string_view text, std::string_view original_eol) {
    out_.append(text);
    std::string_view eol = original_eol;
    if (has(r_, Rewrites::crlf) && has(r_, Rewrites::cr)) {
      static constexpr std::array<std::string_view, 3> kMixed = {"\r\n", "\r", "\n"};
      eol = kMixed[random() % kMixed.size()];
    } else if (has(r_, Rewrites::crlf)) {
      eol = "\r\n";
    } else if (has(r_, Rewrites::cr)) {
      eol = "\r";
    }
    // A lone CR then an empty line ended by LF would read as one CRLF: one line lost.
    if (prev_cr_ && text.empty() && eol == "\n") eol = "\r\n";
    out_.append(eol);
    prev_cr_ = eol == "\r";
  }
  void raw(std::string_view bytes) { out_.append(bytes); }
  std::string take() { return std::move(out_); }

 private:
  Rewrites r_;
  uint64_t rng_;
  std::string out_;
  bool prev_cr_ = false;
};

// True when value (a data field's value) is a JSON object or array.
bool is_json_container(std::string_view value) {
  size_t i = 0;
  while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
  if (i == value.size() || (value[i] != '{' && value[i] != '[')) return false;
  // SAX with a null handler: validation only, no DOM. Iterative: a hostile body's deep
  // nesting cannot exhaust the stack. Only whitespace may follow the value.
  rapidjson::Reader reader;
  rapidjson::BaseReaderHandler<> ignore;
  rapidjson::MemoryStream bytes(value.data(), value.size());
  return !reader.Parse<rapidjson::kParseIterativeFlag>(bytes, ignore).IsError();
}

// Offsets right after a structural character ({ [ , :) outside strings, before the end.
std::vector<size_t> json_split_points(std::string_view value) {
  std::vector<size_t> out;
  bool in_string = false;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if ((c == '{' || c == '[' || c == ',' || c == ':') && i + 1 < value.size()) out.push_back(i + 1);
  }
  return out;
}

class Rewriter {
 public:
  Rewriter(Rewrites r, uint64_t seed) : r_(r), em_(r, seed) {}

  std::string run(std::string_view body) {
    const bool had_bom = body.substr(0, kBom.size()) == kBom;
    if (had_bom) body.remove_prefix(kBom.size());
    if (had_bom || has(r_, Rewrites::bom)) em_.raw(kBom);

    std::string_view tail;
    const std::vector<Line> lines = split(body, &tail);
    size_t block = 0;
    for (size_t k = 0; k < lines.size();) {
      if (lines[k].text.empty()) {
        em_.line("", lines[k].eol);
        ++k;
        continue;
      }
      size_t end = k;
      size_t data_lines = 0;
      for (; end < lines.size() && !lines[end].text.empty(); ++end)
        if (field_name(lines[end].text) == "data") ++data_lines;
      emit_block(lines, k, end, block++, data_lines == 1);
      k = end;
    }
    em_.raw(tail);  // an unterminated last line: the parser discards it, so it stays as is
    return em_.take();
  }

 private:
  static std::vector<Line> split(std::string_view body, std::string_view* tail) {
    std::vector<Line> lines;
    size_t i = 0;
    while (i < body.size()) {
      const size_t j = body.find_first_of("\r\n", i);
      if (j == std::string_view::npos) {
        *tail = body.substr(i);
        break;
      }
      const size_t eol = (body[j] == '\r' && j + 1 < body.size() && body[j + 1] == '\n') ? 2 : 1;
      lines.push_back({body.substr(i, j - i), body.substr(j, eol)});
      i = j + eol;
    }
    return lines;
  }

  // The field name of a field line; "" for a comment.
  static std::string_view field_name(std::string_view text) {
    if (!text.empty() && text[0] == ':') return {};
    return text.substr(0, text.find(':'));
  }

  std::string_view pick_comment() { return kComments[em_.random() % kComments.size()]; }
  std::string_view pick_unknown() { return kUnknownFields[em_.random() % kUnknownFields.size()]; }

  void emit_block(const std::vector<Line>& lines, size_t begin, size_t end, size_t block, bool single_data) {
    const std::string_view eol = lines[begin].eol;
    // Between events the parser's buffers are empty, so a block with no data is inert.
    if (has(r_, Rewrites::comments) && em_.random() % 3 == 0) {
      em_.line(pick_comment(), eol);
      em_.line("", eol);
    }
    if (has(r_, Rewrites::id_retry)) {
      if (block == 0) em_.line("retry: 3000", eol);
      em_.line("id: ssecheck-" + std::to_string(block), eol);
    }
    if (has(r_, Rewrites::unknown_fields)) em_.line(pick_unknown(), eol);
    if (has(r_, Rewrites::comments)) em_.line(pick_comment(), eol);
    for (size_t m = begin; m < end; ++m) {
      if (m > begin) {
        if (has(r_, Rewrites::comments) && em_.random() % 4 == 0) em_.line(pick_comment(), lines[m].eol);
        if (has(r_, Rewrites::unknown_fields) && em_.random() % 4 == 0) em_.line(pick_unknown(), lines[m].eol);
      }
      emit_field(lines[m], single_data);
    }
  }

  void emit_field(const Line& line, bool single_data) {
    const std::string_view text = line.text;
    const size_t colon = text.find(':');
    if (text[0] == ':' || colon == std::string_view::npos) {
      em_.line(text, line.eol);
      return;
    }
    const std::string_view name = text.substr(0, colon);
    const std::string_view rest = text.substr(colon + 1);
    const std::string_view value = rest.substr(0, 1) == " " ? rest.substr(1) : rest;
    if (has(r_, Rewrites::split_data_lines) && single_data && name == "data" && is_json_container(value)) {
      emit_split(value, line.eol);
      return;
    }
    if (has(r_, Rewrites::no_space) && rest.substr(0, 1) == " " && value.substr(0, 1) != " ") {
      std::string t(name);
      t += ':';
      t += value;
      em_.line(t, line.eol);
      return;
    }
    em_.line(text, line.eol);
  }

  void emit_split(std::string_view value, std::string_view eol) {
    const std::vector<size_t> points = json_split_points(value);
    std::vector<size_t> chosen;
    for (size_t p : points)
      if (chosen.size() < 32 && em_.random() % 3 == 0) chosen.push_back(p);
    if (chosen.empty() && !points.empty()) chosen.push_back(points[em_.random() % points.size()]);
    chosen.push_back(value.size());
    size_t from = 0;
    std::string t;
    for (size_t to : chosen) {
      const std::string_view piece = value.substr(from, to - from);
      t.assign("data:");
      if (!has(r_, Rewrites::no_space) || piece.substr(0, 1) == " ") t += ' ';
      t += piece;
      em_.line(t, eol);
      from = to;
    }
  }

  Rewrites r_;
  Emitter em_;
};

}  // namespace

std::string_view rewrite_name(Rewrites flag) {
  for (const auto& n : kNames)
    if (n.flag == flag) return n.name;
  return {};
}

std::string rewrites_name(Rewrites set) {
  std::string out;
  for (const auto& n : kNames) {
    if (!has(set, n.flag)) continue;
    if (!out.empty()) out += '+';
    out += n.name;
  }
  return out;
}

std::optional<Rewrites> parse_rewrite(std::string_view name) {
  for (const auto& n : kNames)
    if (n.name == name) return n.flag;
  return std::nullopt;
}

std::string rewrite(std::string_view body, Rewrites rewrites, uint64_t seed) {
  if (rewrites == Rewrites::none) return std::string(body);
  return Rewriter(rewrites, seed).run(body);
}

}  // namespace ssecheck::replay
