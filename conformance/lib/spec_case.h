// Reader for the WHATWG spec cases, corpus/spec/*.md (format: corpus/spec/README.md).
//
// Invariants:
//  - Never throws; a malformed case gives false and an error naming file:line.
//  - A case read successfully has exactly one input block and one events block, and
//    every expected line is a JSON object.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "ssecheck/event_stream_parser.h"

namespace ssecheck::conformance {

struct SpecCase {
  std::string name;   // file name without .md
  std::string title;  // text of the '# ' heading
  std::string input;  // the decoded input bytes
  std::vector<std::string> expected;  // one JSON object per line

  // From the options block.
  std::string last_event_id;
  Utf8Mode utf8 = Utf8Mode::replace;
  size_t max_line_bytes = ParserOptions{}.max_line_bytes;
  size_t max_event_bytes = ParserOptions{}.max_event_bytes;
  LimitPolicy on_limit = LimitPolicy::stop;

  // Views last_event_id: valid while this case lives.
  ParserOptions parser_options() const;
};

// Decodes one line of the input notation (\n \r \t \0 \\ \s \xHH \u{H..}) into `out`.
bool decode_input_line(std::string_view line, std::string& out, std::string& error);

bool parse_spec_case(std::string_view text, std::string_view file_name, SpecCase& out,
                     std::string& error);
bool read_spec_case(const std::filesystem::path& path, SpecCase& out, std::string& error);

// The *.md files of `dir` except README.md, sorted by name.
std::vector<std::filesystem::path> list_spec_cases(const std::filesystem::path& dir);

}  // namespace ssecheck::conformance
