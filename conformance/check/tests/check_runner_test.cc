// `ssecheck check` against the reference adapter, known-bad builds of it and
// misbehaving adapters. Expected outcomes come from what each planted defect does to
// the bytes, not from running the suite.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <set>
#include <string>

#include "check_cases.h"
#include "check_runner.h"

namespace ssecheck::check {

void PrintTo(Outcome o, std::ostream* os) { *os << outcome_name(o); }

namespace {

std::string adapter() {
  const char* a = std::getenv("SSECHECK_ADAPTER");
  return a ? a : "ssecheck_adapter";
}

const CaseSet& corpus_cases() {
  static const CaseSet set = [] {
    CaseOptions o;
    o.corpus_roots = {SSECHECK_CORPUS_DIR};
    o.spec_dir = std::string(SSECHECK_CORPUS_DIR) + "/spec";
    o.http = false;  // http mode needs the replay server: check_cli and check_http run it
    return build_cases(o);
  }();
  return set;
}

std::vector<CheckCase> first_feed_cases(size_t n) {
  std::vector<CheckCase> out;
  for (const CheckCase& c : corpus_cases().cases)
    if (c.expect == Expect::result && out.size() < n) out.push_back(c);
  return out;
}

ImplResults run(const std::string& command, const std::vector<CheckCase>& cases, int timeout_ms = 20000,
                size_t max_reply = size_t{64} << 20) {
  RunOptions o;
  o.limits.max_reply_bytes = max_reply;
  o.limits.case_timeout = std::chrono::milliseconds(timeout_ms);
  o.limits.start_timeout = std::chrono::milliseconds(5000);
  return run_implementation({"under-test", command}, cases, o);
}

TEST(CheckCases, CoverEveryDialectAndTheSpec) {
  const CaseSet& set = corpus_cases();
  EXPECT_TRUE(set.problems.empty()) << set.problems.front();
  std::map<std::string, size_t> per;
  for (const CheckCase& c : set.cases) ++per[c.dialect.empty() ? "sse" : c.dialect];
  for (const char* d : {"openai-chat", "openai-responses", "anthropic-messages", "gemini", "sse"})
    EXPECT_GE(per[d], 20u) << d;
  std::set<std::string> ids;
  for (const CheckCase& c : set.cases) EXPECT_TRUE(ids.insert(c.id).second) << "duplicate id " << c.id;
}

TEST(CheckRunner, ReferenceAdapterPassesEveryFeedCase) {
  const ImplResults r = run(adapter(), corpus_cases().cases);
  ASSERT_TRUE(r.start_problem.empty()) << r.start_problem;
  EXPECT_EQ(r.hello.name, "ssecheck");
  size_t passed = 0;
  for (const CaseResult& c : r.results) {
    if (c.outcome == Outcome::skipped) {
      EXPECT_EQ(c.test->expect, Expect::events) << c.test->id;  // framing cases only
      continue;
    }
    EXPECT_EQ(c.outcome, Outcome::pass) << c.test->id << ": " << c.reason;
    passed += c.outcome == Outcome::pass;
  }
  EXPECT_GT(passed, 200u);
}

TEST(CheckRunner, ReferenceFramingAdapterPassesTheSpecCases) {
  const ImplResults r = run(adapter() + " --framing", corpus_cases().cases);
  size_t passed = 0;
  for (const CaseResult& c : r.results) {
    if (c.test->expect != Expect::events) {
      EXPECT_EQ(c.outcome, Outcome::skipped) << c.test->id;
      continue;
    }
    EXPECT_EQ(c.outcome, Outcome::pass) << c.test->id << ": " << c.reason;
    passed += c.outcome == Outcome::pass;
  }
  EXPECT_GT(passed, 50u);
}

// Each read decoded as UTF-8 on its own: a character split between reads becomes
// U+FFFD, so a one-byte schedule over non-ASCII text must fail.
TEST(CheckRunner, SplitUtf8BugIsCaught) {
  const ImplResults r = run(adapter() + " --bug=split-utf8", corpus_cases().cases);
  size_t fails = 0, whole_fails = 0;
  for (const CaseResult& c : r.results) {
    fails += c.outcome == Outcome::fail;
    whole_fails += c.outcome == Outcome::fail && c.test->schedule == "whole";
  }
  EXPECT_GT(fails, 0u);
  EXPECT_EQ(whole_fails, 0u) << "one read is decoded correctly";
}

// A CR ending one read and the LF starting the next read as two line ends
// (eventsource-parser#17): a CRLF stream read one byte at a time dispatches early.
TEST(CheckRunner, CrAtReadEndBugIsCaught) {
  const ImplResults r = run(adapter() + " --framing --bug=cr-at-read-end", corpus_cases().cases);
  size_t fails = 0;
  for (const CaseResult& c : r.results) fails += c.outcome == Outcome::fail && c.test->schedule == "bytes1";
  EXPECT_GT(fails, 0u);
}

struct Misbehaviour {
  const char* flag;
  Outcome outcome;
};

class Misbehaving : public ::testing::TestWithParam<Misbehaviour> {};

TEST_P(Misbehaving, GivesAnOutcomePerCaseAndFinishes) {
  const std::vector<CheckCase> cases = first_feed_cases(3);
  ASSERT_EQ(cases.size(), 3u);
  // 300 ms per case; replies over 1 MiB are refused (the huge one is 80 MiB).
  const ImplResults r = run(adapter() + " --misbehave=" + GetParam().flag, cases, 300, size_t{1} << 20);
  ASSERT_EQ(r.results.size(), 3u);
  for (const CaseResult& c : r.results) {
    EXPECT_EQ(c.outcome, GetParam().outcome) << outcome_name(c.outcome) << ": " << c.reason;
    EXPECT_FALSE(c.reason.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Adapters, Misbehaving,
                         ::testing::Values(Misbehaviour{"crash", Outcome::crash}, Misbehaviour{"hang", Outcome::timeout},
                                           Misbehaviour{"garbage", Outcome::protocol_error},
                                           Misbehaviour{"huge", Outcome::protocol_error},
                                           Misbehaviour{"wrong-id", Outcome::protocol_error}),
                         [](const auto& info) {
                           std::string n = info.param.flag;
                           for (char& ch : n)
                             if (ch == '-') ch = '_';
                           return n;
                         });

TEST(CheckRunner, AnAdapterThatCannotStartFailsEveryCase) {
  const std::vector<CheckCase> cases = first_feed_cases(2);
  const ImplResults r = run("/nonexistent/adapter", cases);
  EXPECT_FALSE(r.start_problem.empty());
  ASSERT_EQ(r.results.size(), 2u);
  for (const CaseResult& c : r.results) EXPECT_EQ(c.outcome, Outcome::crash) << c.reason;
}

TEST(CheckRunner, MissingCapabilitiesAreSkippedWithAReason) {
  const ImplResults r = run(adapter() + " --framing", first_feed_cases(2));
  for (const CaseResult& c : r.results) {
    EXPECT_EQ(c.outcome, Outcome::skipped);
    EXPECT_NE(c.reason.find("only frames"), std::string::npos) << c.reason;
  }
}

}  // namespace
}  // namespace ssecheck::check
