// The conform reports (conform_report.cc): whatever bytes the names and reasons hold,
// the JSON parses and the JUnit is well-formed, and both carry the same reason.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "conform_runner.h"

namespace ssecheck::conformance {
namespace {

ConformSummary summary_with_odd_bytes() {
  ConformSummary s;
  InteractionOutcome failed;
  failed.cassette = {"/c", "cassettes/\xff" "bad\x01name.yaml", "/c"};
  failed.index = 3;
  failed.mode = CheckMode::self_consistency;
  failed.outcome = Outcome::failed;
  failed.failed_checks = {FailedCheck::fatal_diagnostic};
  failed.reason = "fatal diagnostic (no golden expects it): truncated at event 2, byte 9: \"<&>\"";
  failed.details = "diagnostics: truncated \xC3\x97" "1 (fatal)";
  failed.first_fatal = Diagnostic{DiagCode::truncated, Severity::fatal, 2, 9, std::string("m\0sg", 4)};
  failed.diagnostics = {{"truncated", Severity::fatal, 1}};
  failed.seconds = 0.25;
  InteractionOutcome skipped;
  skipped.cassette = {"/c", "cassettes/plain.yaml", "/c"};
  skipped.mode = CheckMode::skipped;
  skipped.outcome = Outcome::skipped;
  skipped.reason = "not a stream";
  s.interactions = {failed, skipped};
  s.cassettes = 2;
  s.failed = 1;
  s.skipped = 1;
  return s;
}

TEST(ConformReport, JsonParsesAndStatesOutcomesAndSeverities) {
  const std::string json = summary_json(summary_with_odd_bytes());
  rapidjson::Document d;
  d.Parse(json.c_str(), json.size());
  ASSERT_FALSE(d.HasParseError()) << json;
  const auto& list = d["interactions"];
  ASSERT_EQ(list.Size(), 2u);
  EXPECT_STREQ(list[0]["outcome"].GetString(), "failed");
  EXPECT_STREQ(list[1]["outcome"].GetString(), "skipped");
  EXPECT_FALSE(list[1].HasMember("passed"));
  EXPECT_STREQ(list[0]["name"].GetString(), "/c/cassettes/\xEF\xBF\xBD" "bad\x01name.yaml#3");  // repaired
  EXPECT_STREQ(list[0]["reason"].GetString(),
               "fatal diagnostic (no golden expects it): truncated at event 2, byte 9: \"<&>\"");
  EXPECT_STREQ(list[0]["first_fatal"]["severity"].GetString(), "fatal");
  EXPECT_EQ(list[0]["first_fatal"]["offset"].GetUint64(), 9u);
  EXPECT_EQ(std::string(list[0]["first_fatal"]["message"].GetString(), list[0]["first_fatal"]["message"].GetStringLength()),
            std::string("m\0sg", 4));
  EXPECT_STREQ(list[0]["diagnostics"][0]["severity"].GetString(), "fatal");
  EXPECT_EQ(list[0]["diagnostics"][0]["count"].GetUint64(), 1u);
  EXPECT_TRUE(list[0]["first_disagreement"].IsNull());
}

TEST(ConformReport, JunitCarriesTheSameReasonEscaped) {
  const std::string xml = junit_xml(summary_with_odd_bytes());
  EXPECT_NE(xml.find("<failure message=\"fatal diagnostic (no golden expects it): truncated at event 2, byte 9: "
                     "&quot;&lt;&amp;&gt;&quot;\" type=\"fatal diagnostic\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testcase classname=\"/c/cassettes/\xEF\xBF\xBD" "bad\xEF\xBF\xBDname.yaml\" name=\"interaction-3\" "
                     "time=\"0.250\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<skipped message=\"not a stream\"/>"), std::string::npos);
  for (const char c : xml) EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20 && c != '\n') << "a raw control byte";
}

TEST(ConformReport, NamesIncludeTheRootLabel) {
  CassetteRef a{"/x/a", "claude/multi_tool.yaml", "/x/a"}, b{"/x/b", "claude/multi_tool.yaml", "/x/b"};
  EXPECT_EQ(cassette_name(a), "/x/a/claude/multi_tool.yaml");
  EXPECT_NE(cassette_name(a), cassette_name(b));
  CassetteRef builtin{"/repo/corpus", "cassettes/f.yaml", "corpus"};
  EXPECT_EQ(cassette_name(builtin), "corpus/cassettes/f.yaml");
  EXPECT_EQ(golden_label(builtin, 2), "corpus/golden/f/interaction-2.json");
  CassetteRef trailing{"d/", "f.yaml", "d/"};
  EXPECT_EQ(cassette_name(trailing), "d/f.yaml");
}

TEST(ConformReport, CodeCountsAreCounted) {
  EXPECT_EQ(code_counts_text({{"id_changed", Severity::deviation, 61}, {"created_changed", Severity::note, 2}}, true),
            "id_changed \xC3\x97" "61 (deviation), created_changed \xC3\x97" "2");
}

}  // namespace
}  // namespace ssecheck::conformance
