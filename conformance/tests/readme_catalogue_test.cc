// The README's diagnostics table must list exactly the codes of diagnostics.h, with
// the same severity and layer, so the documentation cannot drift from the code.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

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
  const std::regex row(R"(^\| `([a-z0-9_]+)` \| (note|deviation|fatal) \| (sse|chunk|cassette) \|)");
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_search(line, m, row)) {
      EXPECT_EQ(rows.count(m[1]), 0u) << "listed twice: " << m[1];
      rows[m[1]] = {m[2], m[3]};
    }
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
