// The restored cassettes in corpus/cassettes/ carry exactly the interactions and
// bodies of the damaged seeds in corpus/seeds/. The expected side is read from the
// seed text with plain string handling here (no YAML, no ci/restore-seeds.sh).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ssecheck/cassette.h"

namespace ssecheck {
namespace {

namespace fs = std::filesystem;

struct Seed {
  const char* prefix;
  const char* restored;
  size_t interactions;  // counted by hand: the "- id: N" lines of the seed
};

constexpr Seed kSeeds[] = {
    {"000", "xai-grok-code-fast-object-streaming.yaml", 1},
    {"001", "xai-grok-code-fast-ola-streaming.yaml", 1},
    {"002", "xai-grok-code-fast-add-multiply-tools-streaming.yaml", 2},
    {"003", "xai-grok-4-fast-reasoning-tools-empty-deltas-streaming.yaml", 2},
    {"004", "xai-grok-code-fast-ola-openai-go-streaming.yaml", 1},
};

const fs::path kCorpus = SSECHECK_CORPUS_DIR;

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path seed_path(const std::string& prefix) {
  for (const auto& entry : fs::directory_iterator(kCorpus / "seeds"))
    if (entry.path().filename().string().rfind(prefix + "_", 0) == 0) return entry.path();
  return {};
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string trim_left(const std::string& s) { return s.substr(std::min(s.find_first_not_of(' '), s.size())); }

// Removes the leading "   N" from line N (1-based). Empty on a mismatch.
bool strip_numbers(std::vector<std::string>& lines) {
  for (size_t n = 0; n < lines.size(); ++n) {
    const std::string rest = trim_left(lines[n]);
    const std::string number = std::to_string(n + 1);
    if (rest.rfind(number, 0) != 0) return false;
    lines[n] = rest.substr(number.size());
  }
  return true;
}

struct Bodies {
  std::vector<std::string> requests;
  std::vector<std::string> responses;
  size_t ids = 0;
};

// Request bodies: the single-quoted scalar after "body: '" ('' means ').
// Response bodies: the lines after "body: |+" up to "headers:", less their common
// indentation, each ended by "\n" (|+ keeps the trailing empty lines).
Bodies extract(const std::vector<std::string>& lines) {
  Bodies out;
  for (size_t n = 0; n < lines.size(); ++n) {
    const std::string t = trim_left(lines[n]);
    if (t.rfind("- id: ", 0) == 0) ++out.ids;
    if (t.rfind("body: '", 0) == 0) {
      EXPECT_EQ(t.back(), '\'') << "line " << n + 1;
      const std::string quoted = t.substr(7, t.size() - 8);
      std::string body;
      for (size_t k = 0; k < quoted.size(); ++k) {
        body += quoted[k];
        if (quoted[k] == '\'') ++k;  // '' -> '
      }
      out.requests.push_back(body);
    } else if (t == "body: |+") {
      size_t end = n + 1;
      while (end < lines.size() && trim_left(lines[end]) != "headers:") ++end;
      size_t indent = std::string::npos;
      for (size_t k = n + 1; k < end; ++k)
        if (!lines[k].empty()) indent = std::min(indent, lines[k].find_first_not_of(' '));
      std::string body;
      for (size_t k = n + 1; k < end; ++k) body += (lines[k].empty() ? "" : lines[k].substr(indent)) + "\n";
      out.responses.push_back(body);
      n = end - 1;
    }
  }
  return out;
}

class SeedRestoration : public ::testing::TestWithParam<Seed> {};

TEST_P(SeedRestoration, RestoredCassetteMatchesSeedText) {
  const Seed& seed = GetParam();
  const fs::path src = seed_path(seed.prefix);
  ASSERT_FALSE(src.empty()) << "no corpus/seeds/" << seed.prefix << "_*.txt";
  std::vector<std::string> lines = split_lines(read_all(src));
  ASSERT_TRUE(strip_numbers(lines)) << src;
  const Bodies expected = extract(lines);
  EXPECT_EQ(expected.ids, seed.interactions);
  ASSERT_EQ(expected.requests.size(), seed.interactions);
  ASSERT_EQ(expected.responses.size(), seed.interactions);

  const fs::path restored = kCorpus / "cassettes" / seed.restored;
  const std::string restored_text = read_all(restored);
  EXPECT_EQ(restored_text.rfind("# why: ", 0), 0u) << restored;
  EXPECT_NE(restored_text.substr(0, restored_text.find('\n')).find(std::string("seed ") + seed.prefix),
            std::string::npos);

  const CassetteResult r = load_cassette_file(restored.string());
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.cassette.version, 2);
  ASSERT_EQ(r.cassette.interactions.size(), seed.interactions);
  for (size_t i = 0; i < seed.interactions; ++i) {
    const Interaction& got = r.cassette.interactions[i];
    EXPECT_EQ(got.id, static_cast<int64_t>(i));
    EXPECT_EQ(got.request_body, expected.requests[i]) << "interaction " << i;
    EXPECT_EQ(got.response_body, expected.responses[i]) << "interaction " << i;
    EXPECT_EQ(got.body_kind, BodyKind::event_stream);
    EXPECT_EQ(got.status_code, 200);
    EXPECT_EQ(got.method, "POST");
    EXPECT_EQ(got.url, "https://api.x.ai/v1/chat/completions");
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, SeedRestoration, ::testing::ValuesIn(kSeeds),
                         [](const ::testing::TestParamInfo<Seed>& info) { return std::string("seed_") + info.param.prefix; });

TEST(SeedRestorationSelfCheck, ExtractorReadsAHandWrittenSeed) {
  // Independent check of the extractor on a tiny seed-shaped text.
  std::vector<std::string> lines = split_lines(
      "1---\n  2- id: 0\n  3 body: 'a''b'\n  4 body: |+\n  5   data: x\n  6\n  7   data: [DONE]\n  8\n  9\n 10 headers:\n");
  ASSERT_TRUE(strip_numbers(lines));
  const Bodies b = extract(lines);
  EXPECT_EQ(b.ids, 1u);
  ASSERT_EQ(b.requests.size(), 1u);
  EXPECT_EQ(b.requests[0], "a'b");
  ASSERT_EQ(b.responses.size(), 1u);
  EXPECT_EQ(b.responses[0], "data: x\n\ndata: [DONE]\n\n\n");
}

}  // namespace
}  // namespace ssecheck
