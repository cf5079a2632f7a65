// The nesting pre-scan behind CassetteOptions::max_nesting_depth (see cassette.h).
// It over-estimates: block depth <= content column + 1, plus open flow brackets.
#include <cstring>

#include "ssecheck/cassette.h"

namespace ssecheck {
namespace {

enum class Quote : uint8_t { none, single, dbl };

// "|", ">", with optional chomping/indentation indicators, then only a comment.
bool is_block_scalar_header(std::string_view rest) {
  size_t k = 1;
  while (k < rest.size() && (rest[k] == '+' || rest[k] == '-' || (rest[k] >= '0' && rest[k] <= '9'))) ++k;
  if (k < rest.size() && rest[k] != ' ' && rest[k] != '\t') return false;
  while (k < rest.size() && (rest[k] == ' ' || rest[k] == '\t')) ++k;
  return k == rest.size() || rest[k] == '#';
}

size_t leading_spaces(std::string_view line) {
  size_t k = 0;
  while (k < line.size() && line[k] == ' ') ++k;
  return k;
}

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

}  // namespace

size_t yaml_nesting_bound(std::string_view yaml, size_t limit, size_t* line_out, size_t* column_out) {
  Quote quote = Quote::none;
  size_t flow = 0;          // open [ and { brackets
  size_t base = 0;          // block depth bound of the line that holds the flow
  size_t best = 0;
  bool in_block_scalar = false;
  size_t block_parent_indent = 0;
  size_t line_no = 0;

  auto exceeded = [&](size_t depth, size_t column) {
    if (depth > best) best = depth;
    if (best <= limit) return false;
    if (line_out) *line_out = line_no;
    if (column_out) *column_out = column + 1;
    return true;
  };

  size_t start = 0;
  while (start < yaml.size()) {
    ++line_no;
    size_t eol = yaml.find('\n', start);
    if (eol == std::string_view::npos) eol = yaml.size();
    std::string_view line = yaml.substr(start, eol - start);
    start = eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    const size_t indent = leading_spaces(line);
    if (in_block_scalar) {
      if (is_blank(line) || indent > block_parent_indent) continue;
      in_block_scalar = false;
    }

    size_t pos = 0;
    if (quote == Quote::none && flow == 0) {
      if (is_blank(line)) continue;
      pos = indent;
      // Compact indicators: "- - a", "? a", ": a" each open a level on this line.
      while (pos < line.size() && (line[pos] == '-' || line[pos] == '?' || line[pos] == ':') &&
             (pos + 1 == line.size() || line[pos + 1] == ' ')) {
        ++pos;
        while (pos < line.size() && line[pos] == ' ') ++pos;
      }
      base = pos + 1;
      if (exceeded(base, pos)) return best;
    }

    for (size_t k = pos; k < line.size(); ++k) {
      const char c = line[k];
      if (quote == Quote::dbl) {
        if (c == '\\') ++k;
        else if (c == '"') quote = Quote::none;
        continue;
      }
      if (quote == Quote::single) {
        if (c == '\'') {
          if (k + 1 < line.size() && line[k + 1] == '\'') ++k;
          else quote = Quote::none;
        }
        continue;
      }
      const char prev = k == 0 ? ' ' : line[k - 1];
      const bool after_space = prev == ' ' || prev == '\t';
      const bool token_start = after_space || (flow > 0 && std::strchr("[{,:", prev) != nullptr);
      if (c == '#' && after_space) break;
      if ((c == '"' || c == '\'') && token_start) {
        quote = c == '"' ? Quote::dbl : Quote::single;
      } else if (c == '[' || c == '{') {
        if (flow > 0 || token_start) {
          ++flow;
          if (exceeded(base + flow, k)) return best;
        }
      } else if (c == ']' || c == '}') {
        if (flow > 0) --flow;
      } else if ((c == '|' || c == '>') && flow == 0 && token_start &&
                 is_block_scalar_header(line.substr(k))) {
        in_block_scalar = true;
        block_parent_indent = indent;
        break;
      }
    }
  }
  return best;
}

}  // namespace ssecheck
