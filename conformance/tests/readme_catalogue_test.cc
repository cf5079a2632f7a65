// The README's diagnostics table must list exactly the codes of diagnostics.h, with
// the same severity and layer, so the documentation cannot drift from the code.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "ssecheck/diagnostics.h"

namespace ssecheck {
namespace {

struct Row {
  std::string severity, layer;
};

std::map<std::string, Row> readme_rows() {
  std::ifstream in(std::string(SSECHECK_CORPUS_DIR) + "/../README.md");
  EXPECT_TRUE(in) << "README.md not found next to corpus/";
  std::map<std::string, Row> rows;
  // Rows look like: | `code` | severity | layer | meaning |, under "## Diagnostics catalogue"
  // and before the next "## " heading; tables elsewhere (the dialects) are not codes.
  std::string line;
  bool in_catalogue = false;
  while (std::getline(in, line)) {
    if (line.starts_with("## ")) in_catalogue = line == "## Diagnostics catalogue";
    if (!in_catalogue || !line.starts_with("| `")) continue;
    std::vector<std::string> cells;
    std::stringstream cols(line.substr(1));
    for (std::string cell; std::getline(cols, cell, '|');) {
      const size_t b = cell.find_first_not_of(' '), e = cell.find_last_not_of(' ');
      cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
    }
    if (cells.size() < 4 || cells[0].size() < 3 || cells[0].back() != '`') continue;
    const std::string code = cells[0].substr(1, cells[0].size() - 2);
    EXPECT_EQ(rows.count(code), 0u) << "listed twice: " << code;
    rows[code] = {cells[1], cells[2]};
  }
  return rows;
}

TEST(ReadmeCatalogue, EveryCodeIsDocumentedWithItsSeverityAndLayer) {
  const auto rows = readme_rows();
  ASSERT_FALSE(rows.empty());
  for (const DiagInfo& d : all_diagnostics()) {
    const auto it = rows.find(std::string(d.name));
    ASSERT_NE(it, rows.end()) << "README.md does not document " << d.name;
    EXPECT_EQ(it->second.severity, severity_name(d.severity)) << d.name;
    EXPECT_EQ(it->second.layer, d.layer) << d.name;
  }
}

TEST(ReadmeCatalogue, EveryDocumentedCodeExists) {
  for (const auto& [code, row] : readme_rows())
    EXPECT_TRUE(diag_code_from_name(code).has_value()) << "README.md documents unknown code " << code;
}

TEST(Catalogue, NamesAreUniqueAndLookupsRoundTrip) {
  std::map<std::string_view, int> seen;
  for (const DiagInfo& d : all_diagnostics()) {
    EXPECT_EQ(++seen[d.name], 1) << d.name;
    EXPECT_EQ(diag_code_from_name(d.name), d.code);
    EXPECT_EQ(&info(d.code), &d);
    EXPECT_FALSE(d.description.empty()) << d.name;
  }
  EXPECT_FALSE(diag_code_from_name("no_such_code").has_value());
}

}  // namespace
}  // namespace ssecheck
