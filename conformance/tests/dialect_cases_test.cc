// Runs the readable dialect cases in corpus/dialects/<dialect>/*.md: each pairs an
// input stream with its expected normalized result and diagnostic codes, derived by
// hand from the provider's documentation. Every case runs with its dialect named and
// with "auto" detection, whole, one byte at a time, and split at every position.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "spec_case.h"
#include "ssecheck/assemble.h"

namespace ssecheck::conformance {
namespace {

namespace fs = std::filesystem;

struct DialectCase {
  fs::path path;
  std::string dialect;  // registry name
  std::string input;
  std::string normalized;
  std::vector<std::string> codes;
};

// Reads the fenced blocks input (notation of corpus/spec/README.md), normalized (one
// JSON document) and codes (one code per line, optional).
bool read_case(const fs::path& path, DialectCase& c, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  std::string line, block;
  bool have_input = false, have_normalized = false;
  std::istringstream lines(text.str());
  size_t line_no = 0;
  while (std::getline(lines, line)) {
    ++line_no;
    if (block.empty()) {
      if (line == "```input" || line == "```normalized" || line == "```codes") block = line.substr(3);
      continue;
    }
    if (line == "```") {
      have_input |= block == "input";
      have_normalized |= block == "normalized";
      block.clear();
      continue;
    }
    if (block == "input") {
      if (!decode_input_line(line, c.input, error)) {
        error = path.string() + ":" + std::to_string(line_no) + ": " + error;
        return false;
      }
    } else if (block == "normalized") {
      c.normalized += line;
    } else if (!line.empty()) {
      c.codes.push_back(line);
    }
  }
  if (!have_input || !have_normalized) {
    error = path.string() + ": needs an input and a normalized block";
    return false;
  }
  return true;
}

std::vector<DialectCase> all_cases() {
  std::vector<DialectCase> out;
  for (const DialectInfo* d : dialects()) {
    std::string folder(d->name);
    for (char& ch : folder)
      if (ch == '-') ch = '_';
    const fs::path dir = fs::path(SSECHECK_CORPUS_DIR) / "dialects" / folder;
    std::error_code ec;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (e.path().extension() == ".md" && e.path().filename() != "README.md") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& p : files) {
      DialectCase c;
      c.path = p;
      c.dialect = std::string(d->name);
      std::string error;
      EXPECT_TRUE(read_case(p, c, error)) << error;
      out.push_back(std::move(c));
    }
  }
  return out;
}

bool same_json(const std::string& a, const std::string& b) {
  rapidjson::Document x, y;
  x.Parse(a.c_str());
  y.Parse(b.c_str());
  return !x.HasParseError() && !y.HasParseError() && x == y;
}

std::vector<std::string> codes_of(const AssemblyReport& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics) out.emplace_back(name(d.code));
  return out;
}

TEST(DialectCases, EveryDialectHasCases) {
  const std::vector<DialectCase> cases = all_cases();
  for (const DialectInfo* d : dialects()) {
    size_t n = 0;
    for (const DialectCase& c : cases) n += c.dialect == d->name;
    EXPECT_GE(n, 5u) << "corpus/dialects has too few cases for " << d->name;
  }
}

TEST(DialectCases, NormalizedAndCodesUnderEveryChunking) {
  const std::vector<DialectCase> cases = all_cases();
  ASSERT_FALSE(cases.empty());
  size_t runs = 0;
  for (const DialectCase& c : cases) {
    SCOPED_TRACE(c.path.string());
    ASSERT_FALSE(c.normalized.empty());
    rapidjson::Document expected;
    expected.Parse(c.normalized.c_str());
    ASSERT_FALSE(expected.HasParseError()) << "normalized block is not JSON";
    for (const char* mode : {"named", "auto"}) {
      AssembleOptions o;
      o.dialect = std::string(mode) == "auto" ? "auto" : c.dialect;
      const AssembleResult whole = assemble(c.input, {}, o);
      EXPECT_EQ(whole.report.dialect, c.dialect) << mode;
      const std::string got = normalized_to_json(whole.report.normalized);
      EXPECT_TRUE(same_json(got, c.normalized)) << mode << "\n  got:      " << got
                                                << "\n  expected: " << c.normalized;
      EXPECT_EQ(codes_of(whole.report), c.codes) << mode;
      std::vector<size_t> bytes1;
      for (size_t i = 1; i < c.input.size(); ++i) bytes1.push_back(i);
      EXPECT_EQ(assemble(c.input, bytes1, o).json_compact, whole.json_compact) << mode << " bytes1";
      for (size_t cut = 1; cut < c.input.size(); ++cut) {
        const size_t cuts[] = {cut};
        ASSERT_EQ(assemble(c.input, cuts, o).json_compact, whole.json_compact) << mode << " split@" << cut;
        ++runs;
      }
    }
  }
  EXPECT_GT(runs, 0u);
}

}  // namespace
}  // namespace ssecheck::conformance
