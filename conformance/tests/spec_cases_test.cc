// Runs every corpus/spec/*.md case at many chunkings: whole, byte by byte (with and
// without empty feeds between), every 2-feed split, and every 3-feed split for inputs
// under 200 bytes. Logs are compared as parsed JSON values.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "json_lines.h"
#include "spec_case.h"

namespace {

using ssecheck::EventStreamParser;
using ssecheck::ParseStatus;
using ssecheck::conformance::SpecCase;

const std::filesystem::path kSpecDir = std::filesystem::path(SSECHECK_CORPUS_DIR) / "spec";
constexpr size_t kMinCases = 50;
constexpr size_t kTripleSplitLimit = 200;

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& p : ssecheck::conformance::list_spec_cases(kSpecDir))
    names.push_back(p.stem().string());
  return names;
}

// Feeds `input` cut at the sorted offsets `cuts`; with `empty_feeds`, an empty feed
// goes before every piece and after the last. Returns the log the CLI would print.
std::string run_chunked(const SpecCase& c, const std::vector<size_t>& cuts, bool empty_feeds) {
  std::string log;
  ssecheck::conformance::JsonLinesSink sink(log, {.comments = true, .diagnostics = true});
  EventStreamParser parser(sink, c.parser_options());
  ParseStatus status = ParseStatus::ok;
  auto feed = [&](std::string_view piece) {
    if (status == ParseStatus::ok) status = parser.feed(piece);
  };
  const std::string_view input = c.input;
  size_t start = 0;
  for (size_t i = 0; i <= cuts.size(); ++i) {
    const size_t end = i < cuts.size() ? cuts[i] : input.size();
    if (empty_feeds) feed({});
    feed(input.substr(start, end - start));
    start = end;
  }
  if (empty_feeds) feed({});
  if (status == ParseStatus::ok) status = parser.finish();
  if (status != ParseStatus::ok) ssecheck::conformance::append_error_line(log, status);
  return log;
}

std::vector<std::string> split_lines(std::string_view log) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < log.size()) {
    size_t end = log.find('\n', pos);
    if (end == std::string_view::npos) end = log.size();
    lines.emplace_back(log.substr(pos, end - pos));
    pos = end + 1;
  }
  return lines;
}

bool json_equal(const std::string& a, const std::string& b) {
  rapidjson::Document da, db;
  da.Parse(a.data(), a.size());
  db.Parse(b.data(), b.size());
  return !da.HasParseError() && !db.HasParseError() && da == db;
}

bool logs_match(const std::string& log, const std::vector<std::string>& expected) {
  const std::vector<std::string> actual = split_lines(log);
  if (actual.size() != expected.size()) return false;
  for (size_t i = 0; i < actual.size(); ++i)
    if (!json_equal(actual[i], expected[i])) return false;
  return true;
}

std::string describe_cuts(const std::vector<size_t>& cuts, bool empty_feeds) {
  std::string s = cuts.empty() ? "whole input" : "cut at";
  for (size_t c : cuts) s += " " + std::to_string(c);
  if (empty_feeds) s += ", empty feeds interleaved";
  return s;
}

class SpecCaseTest : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(ssecheck::conformance::read_spec_case(kSpecDir / (GetParam() + ".md"), case_,
                                                      error))
        << error;
  }

  // Runs one chunking; on a mismatch reports both logs and returns false.
  bool check(const std::vector<size_t>& cuts, bool empty_feeds) {
    const std::string log = run_chunked(case_, cuts, empty_feeds);
    if (!good_log_.empty() && log == good_log_) return true;
    if (logs_match(log, case_.expected)) {
      good_log_ = log;
      return true;
    }
    std::string expected_log;
    for (const auto& line : case_.expected) expected_log += line + "\n";
    ADD_FAILURE() << case_.name << " (" << case_.title << ")\n"
                  << "chunking: " << describe_cuts(cuts, empty_feeds) << "\n"
                  << "expected:\n" << expected_log << "actual:\n" << log;
    return false;
  }

  SpecCase case_;
  std::string good_log_;
};

TEST_P(SpecCaseTest, WholeAndByteByByte) {
  ASSERT_TRUE(check({}, false));
  ASSERT_TRUE(check({}, true));
  std::vector<size_t> every;
  for (size_t i = 1; i < case_.input.size(); ++i) every.push_back(i);
  ASSERT_TRUE(check(every, false));
  ASSERT_TRUE(check(every, true));
}

TEST_P(SpecCaseTest, EveryTwoFeedSplit) {
  for (size_t i = 0; i <= case_.input.size(); ++i)
    if (!check({i}, false)) return;
}

TEST_P(SpecCaseTest, EveryThreeFeedSplit) {
  const size_t n = case_.input.size();
  if (n >= kTripleSplitLimit) GTEST_SKIP() << "input has " << n << " bytes";
  for (size_t i = 0; i <= n; ++i)
    for (size_t j = i; j <= n; ++j)
      if (!check({i, j}, false)) return;
}

std::string test_name(const testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Spec, SpecCaseTest, testing::ValuesIn(case_names()), test_name);

// The corpus cannot silently shrink to nothing, and its expectations are well formed.
TEST(SpecCorpus, HasEnoughWellFormedCases) {
  const auto files = ssecheck::conformance::list_spec_cases(kSpecDir);
  EXPECT_GE(files.size(), kMinCases) << kSpecDir;
  size_t with_events = 0;
  for (const auto& path : files) {
    SpecCase c;
    std::string error;
    ASSERT_TRUE(ssecheck::conformance::read_spec_case(path, c, error)) << error;
    if (!c.expected.empty()) ++with_events;
    for (const auto& line : c.expected) {
      rapidjson::Document d;
      d.Parse(line.data(), line.size());
      ASSERT_TRUE(d.IsObject()) << path << ": " << line;
      if (d.HasMember("diagnostic")) {
        ASSERT_TRUE(d["diagnostic"].IsString()) << path << ": " << line;
        const auto code = ssecheck::diag_code_from_name(d["diagnostic"].GetString());
        ASSERT_TRUE(code.has_value()) << path << ": unknown code in " << line;
        EXPECT_EQ(ssecheck::info(*code).layer, "sse") << path << ": " << line;
      } else if (d.HasMember("event")) {
        EXPECT_TRUE(d.MemberCount() == 3 && d["event"].IsString() && d.HasMember("data") &&
                    d["data"].IsString() && d.HasMember("id") && d["id"].IsString())
            << path << ": " << line;
      } else {
        EXPECT_TRUE(d.MemberCount() == 1 &&
                    ((d.HasMember("retry") && d["retry"].IsUint64()) ||
                     (d.HasMember("comment") && d["comment"].IsString()) ||
                     (d.HasMember("error") && d["error"].IsString())))
            << path << ": " << line;
      }
    }
  }
  EXPECT_GE(with_events, kMinCases - 5);
}

std::string shell_quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// `ssecheck events --comments --diagnostics` prints each case's expected log.
TEST(SpecCorpus, CliPrintsEveryExpectedLog) {
  const char* bin = std::getenv("SSECHECK_BIN");
  if (bin == nullptr) GTEST_SKIP() << "SSECHECK_BIN not set";
  const std::string tag = "spec_case_" + std::to_string(::getpid());
  const std::filesystem::path dir = testing::TempDir();
  const std::filesystem::path input = dir / (tag + ".sse");
  const std::filesystem::path output = dir / (tag + ".jsonl");
  for (const auto& path : ssecheck::conformance::list_spec_cases(kSpecDir)) {
    SpecCase c;
    std::string error;
    ASSERT_TRUE(ssecheck::conformance::read_spec_case(path, c, error)) << error;
    std::ofstream(input, std::ios::binary) << c.input;
    std::string cmd = shell_quote(bin) + " events --comments --diagnostics";
    if (!c.last_event_id.empty()) cmd += " --last-event-id " + shell_quote(c.last_event_id);
    if (c.utf8 == ssecheck::Utf8Mode::raw) cmd += " --raw-utf8";
    if (c.on_limit == ssecheck::LimitPolicy::skip) cmd += " --on-limit skip";
    cmd += " --max-line-bytes " + std::to_string(c.max_line_bytes);
    cmd += " --max-event-bytes " + std::to_string(c.max_event_bytes);
    cmd += " " + shell_quote(input.string()) + " > " + shell_quote(output.string()) + " 2>/dev/null";
    const int status = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(status)) << cmd;
    const bool expects_error = !c.expected.empty() && c.expected.back().find("\"error\"") != std::string::npos;
    EXPECT_EQ(WEXITSTATUS(status), expects_error ? 1 : 0) << c.name;
    std::ostringstream log;
    log << std::ifstream(output, std::ios::binary).rdbuf();
    std::string expected_log;
    for (const auto& line : c.expected) expected_log += line + "\n";
    EXPECT_TRUE(logs_match(log.str(), c.expected))
        << c.name << "\nexpected:\n" << expected_log << "actual:\n" << log.str();
  }
  std::filesystem::remove(input);
  std::filesystem::remove(output);
}

// The reader itself, against hand-written notation.
TEST(SpecCaseReader, DecodesEscapes) {
  std::string out, error;
  ASSERT_TRUE(ssecheck::conformance::decode_input_line(
      R"(a\n\r\t\0\\\s\x41\xff\u{e9}\u{1F600}b)", out, error))
      << error;
  EXPECT_EQ(out, std::string("a\n\r\t\0\\ A\xff\xc3\xa9\xf0\x9f\x98\x80" "b", 16));
}

TEST(SpecCaseReader, RejectsBadNotation) {
  for (std::string_view bad : {"a\\q", "a\\x4", "\\u{}", "\\u{D800}", "\\u{110000}", "a ", "a\tb",
                               "a\\"}) {
    std::string out, error;
    EXPECT_FALSE(ssecheck::conformance::decode_input_line(bad, out, error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(SpecCaseReader, ParsesBlocksAndNamesErrorLines) {
  SpecCase c;
  std::string error;
  const std::string_view text =
      "# Title\n\ntext\n\n```input\ndata: a\\n\n\\n\n```\n\n```options\nlast-event-id: 7\n"
      "utf8: raw\non-limit: skip\nmax-line-bytes: 10\nmax-event-bytes: 20\n```\n\n"
      "```events\n{\"event\":\"message\",\"data\":\"a\",\"id\":\"7\"}\n```\n";
  ASSERT_TRUE(ssecheck::conformance::parse_spec_case(text, "t.md", c, error)) << error;
  EXPECT_EQ(c.title, "Title");
  EXPECT_EQ(c.input, "data: a\n\n");
  EXPECT_EQ(c.last_event_id, "7");
  EXPECT_EQ(c.utf8, ssecheck::Utf8Mode::raw);
  EXPECT_EQ(c.on_limit, ssecheck::LimitPolicy::skip);
  EXPECT_EQ(c.max_line_bytes, 10u);
  EXPECT_EQ(c.max_event_bytes, 20u);
  ASSERT_EQ(c.expected.size(), 1u);

  SpecCase bad;
  EXPECT_FALSE(ssecheck::conformance::parse_spec_case(
      "# T\n```input\nx\n```\n```events\nnot json\n```\n", "bad.md", bad, error));
  EXPECT_EQ(error.rfind("bad.md:6:", 0), 0u) << error;
  EXPECT_FALSE(ssecheck::conformance::parse_spec_case("# T\n```input\nx\n```\n", "m.md", bad,
                                                      error));
  EXPECT_NE(error.find("events"), std::string::npos) << error;
}

}  // namespace
