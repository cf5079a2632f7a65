// Facts about the five restored xAI recordings, read by hand from the recorded bytes
// (/work/shared/seeds): the assembled completions must reproduce them exactly.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ssecheck/assemble.h"
#include "ssecheck/cassette.h"
#include "ssecheck/openai_chat/completion.h"

namespace ssecheck {
namespace {

const std::string kDir = std::string(SSECHECK_CORPUS_DIR) + "/cassettes/";

// Assembles every interaction of a cassette, whole and one byte per feed; the two
// must print the same JSON.
std::vector<AssemblyReport> assemble(const std::string& file, bool strict = false) {
  const CassetteResult loaded = load_cassette_file(kDir + file);
  EXPECT_TRUE(loaded.ok()) << loaded.message;
  std::vector<AssemblyReport> out;
  AssembleOptions options;
  options.strict = strict;
  for (const Interaction& in : loaded.cassette.interactions) {
    const std::string& body = in.response_body;
    const auto whole = ssecheck::assemble(body, {}, options);
    std::vector<size_t> cuts;
    for (size_t i = 1; i < body.size(); ++i) cuts.push_back(i);
    const auto bytewise = ssecheck::assemble(body, cuts, options);
    EXPECT_EQ(whole.json_compact, bytewise.json_compact) << file;
    out.push_back(whole.report);
  }
  return out;
}

size_t code_points(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// usage is kept as JSON text; pick one integer member out of it.
long long usage_int(const AssemblyReport& r, const std::string& key) {
  const std::string& u = completion_of(r).usage_json.value_or("");
  const size_t at = u.find("\"" + key + "\":");
  if (at == std::string::npos) return -1;
  return std::stoll(u.substr(at + key.size() + 3));
}

void expect_clean(const AssemblyReport& r) {
  EXPECT_EQ(r.state, StreamState::done);
  EXPECT_TRUE(r.stats.terminator_seen);
  EXPECT_EQ(r.counts.fatal, 0u);
  EXPECT_EQ(r.counts.deviation, 0u);
  EXPECT_FALSE(r.failed());
  ASSERT_EQ(completion_of(r).choices.size(), 1u);
}

const Message& message(const AssemblyReport& r) { return completion_of(r).choices.at(0).message; }

TEST(SeedFacts, Seed000ObjectGeneration) {
  const auto reports = assemble("xai-grok-code-fast-object-streaming.yaml");
  ASSERT_EQ(reports.size(), 1u);
  const AssemblyReport& r = reports[0];
  expect_clean(r);
  EXPECT_EQ(completion_of(r).model, "grok-code-fast-1");
  EXPECT_EQ(completion_of(r).choices[0].finish_reason, "tool_calls");
  const Message& m = message(r);
  ASSERT_EQ(m.tool_calls.size(), 1u);
  EXPECT_EQ(m.tool_calls[0].id, "call_89395763");
  EXPECT_EQ(m.tool_calls[0].name, "Person");
  EXPECT_EQ(m.tool_calls[0].arguments, R"({"age":30,"city":"Paris","name":"Alice"})");
  EXPECT_TRUE(!m.content || m.content->empty());
  ASSERT_TRUE(m.reasoning.has_value());
  EXPECT_EQ(code_points(*m.reasoning), 193u);
  EXPECT_EQ(m.reasoning->rfind("The user asks to generate information about a person named Alice", 0), 0u);
  EXPECT_EQ(usage_int(r, "total_tokens"), 846);
}

TEST(SeedFacts, Seed001Ola) {
  const auto reports = assemble("xai-grok-code-fast-ola-streaming.yaml");
  ASSERT_EQ(reports.size(), 1u);
  expect_clean(reports[0]);
  EXPECT_EQ(message(reports[0]).content, "Ol\xC3\xA1!");
  EXPECT_EQ(completion_of(reports[0]).choices[0].finish_reason, "stop");
  EXPECT_EQ(usage_int(reports[0], "total_tokens"), 413);
}

TEST(SeedFacts, Seed002AddMultiplyTools) {
  const auto reports = assemble("xai-grok-code-fast-add-multiply-tools-streaming.yaml");
  ASSERT_EQ(reports.size(), 2u);
  expect_clean(reports[0]);
  const auto& calls = message(reports[0]).tool_calls;
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].id, "call_47876210");
  EXPECT_EQ(calls[0].name, "add");
  EXPECT_EQ(calls[0].arguments, R"({"a":2,"b":3})");
  EXPECT_EQ(calls[1].id, "call_97132951");
  EXPECT_EQ(calls[1].name, "multiply");
  EXPECT_EQ(calls[1].arguments, R"({"a":2,"b":3})");
  EXPECT_EQ(completion_of(reports[0]).choices[0].finish_reason, "tool_calls");
  EXPECT_EQ(usage_int(reports[0], "total_tokens"), 800);

  expect_clean(reports[1]);
  EXPECT_EQ(message(reports[1]).content, "The sum of 2 and 3 is 5, and the product of 2 and 3 is 6.");
  EXPECT_TRUE(message(reports[1]).tool_calls.empty());
  EXPECT_EQ(completion_of(reports[1]).choices[0].finish_reason, "stop");
  EXPECT_EQ(usage_int(reports[1], "total_tokens"), 897);
}

TEST(SeedFacts, Seed003EmptyDeltas) {
  const auto reports = assemble("xai-grok-4-fast-reasoning-tools-empty-deltas-streaming.yaml");
  ASSERT_EQ(reports.size(), 2u);
  expect_clean(reports[0]);
  EXPECT_EQ(completion_of(reports[0]).model, "grok-4-fast-reasoning");
  const auto& calls = message(reports[0]).tool_calls;
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].id, "call_10831804");
  EXPECT_EQ(calls[0].name, "add");
  EXPECT_EQ(calls[1].id, "call_81736910");
  EXPECT_EQ(calls[1].name, "multiply");
  EXPECT_EQ(usage_int(reports[0], "total_tokens"), 596);

  expect_clean(reports[1]);
  EXPECT_EQ(message(reports[1]).content, "The sum of 2 and 3 is 5.  \nThe product of 2 and 3 is 6.");
  EXPECT_EQ(usage_int(reports[1], "total_tokens"), 684);

  // Deltas that are {} on a chunk without finish_reason, over both interactions.
  EXPECT_EQ(reports[0].stats.noise_events + reports[1].stats.noise_events, 181u);
}

TEST(SeedFacts, Seed004OlaLong) {
  const auto reports = assemble("xai-grok-code-fast-ola-openai-go-streaming.yaml");
  ASSERT_EQ(reports.size(), 1u);
  expect_clean(reports[0]);
  ASSERT_TRUE(message(reports[0]).content.has_value());
  EXPECT_EQ(message(reports[0]).content->rfind("Ol\xC3\xA1! (That's", 0), 0u);
  EXPECT_EQ(usage_int(reports[0], "total_tokens"), 370);
}

TEST(SeedFacts, AllSeedsPassStrict) {
  for (const char* file : {"xai-grok-code-fast-object-streaming.yaml", "xai-grok-code-fast-ola-streaming.yaml",
                           "xai-grok-code-fast-add-multiply-tools-streaming.yaml",
                           "xai-grok-4-fast-reasoning-tools-empty-deltas-streaming.yaml",
                           "xai-grok-code-fast-ola-openai-go-streaming.yaml"}) {
    for (const AssemblyReport& r : assemble(file, /*strict=*/true)) EXPECT_FALSE(r.failed()) << file;
  }
}

}  // namespace
}  // namespace ssecheck
