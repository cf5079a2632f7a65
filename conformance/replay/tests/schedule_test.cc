// Schedules: names, pieces, faults and expectations.
#include "ssecheck/replay/schedule.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>

#include "ssecheck/assemble.h"
#include "ssecheck/cassette.h"
#include "ssecheck/event_stream_parser.h"
#include "ssecheck/registry.h"

namespace {

using namespace ssecheck;
using namespace ssecheck::replay;

Recorded recorded(const std::string& rel, const std::string& dialect) {
  const CassetteResult r = load_cassette_file(std::string(SSECHECK_CORPUS_DIR) + "/cassettes/" + rel);
  EXPECT_TRUE(r.ok()) << rel << ": " << r.message;
  Recorded rec;
  rec.dialect = dialect;
  if (!r.ok() || r.cassette.interactions.empty()) return rec;
  const Interaction& in = r.cassette.interactions[0];
  rec.status = in.status_code;
  for (const auto& [k, vs] : in.response_headers.entries())
    for (const auto& v : vs) rec.headers.emplace_back(k, v);
  rec.body = in.response_body;
  return rec;
}

const std::vector<std::pair<std::string, std::string>>& samples() {
  static const std::vector<std::pair<std::string, std::string>> s = {
      {"xai-grok-code-fast-ola-streaming.yaml", "openai-chat"},
      {"openai_responses/openai-gpt-5-simple-streaming.yaml", "openai-responses"},
      {"anthropic_messages/claude-sonnet-4-simple-streaming.yaml", "anthropic-messages"},
      {"gemini/gemini-2.5-flash-thinking-streaming.yaml", "gemini"},
  };
  return s;
}

ScheduleSpec spec(std::string_view name) {
  ScheduleSpec s;
  std::string error;
  EXPECT_TRUE(parse_schedule(name, &s, &error)) << error;
  return s;
}

size_t event_count(std::string_view body) {
  struct Count : EventSink {
    size_t n = 0;
    void on_event(const Event&) override { ++n; }
  } c;
  EventStreamParser p(c);
  p.feed(body);
  p.finish();
  return c.n;
}

TEST(Schedule, NamesRoundTrip) {
  for (const DialectInfo* d : dialects()) {
    for (const ScheduleSpec& s : default_schedules(d->name)) {
      const std::string name = schedule_name(s);
      ScheduleSpec back;
      std::string error;
      ASSERT_TRUE(parse_schedule(name, &back, &error)) << error;
      EXPECT_EQ(schedule_name(back), name);
    }
  }
  EXPECT_EQ(schedule_name(spec("crlf+bytes1")), "bytes1+crlf");
  EXPECT_EQ(schedule_name(spec("whole")), "whole");
  EXPECT_EQ(schedule_name(spec("split@3,9+pause:5ms+fault:rst-mid-event")), "split@3,9+pause:5ms+fault:rst-mid-event");
  EXPECT_EQ(schedule_name(ScheduleSpec{}), "whole");
}

TEST(Schedule, BadNamesAreErrors) {
  for (std::string_view bad : {"", "bytes1+whole", "fault:nope", "fault:none", "split@5,3", "split@x",
                               "pause:99999999ms", "random#", "crlf+crlf", "fault:429+fault:500", "bytes2"}) {
    ScheduleSpec s;
    std::string error;
    EXPECT_FALSE(parse_schedule(bad, &s, &error)) << bad;
    EXPECT_NE(error, "") << bad;
  }
}

TEST(Schedule, PiecesCoverTheBytesAndAreNeverEmpty) {
  for (const auto& [file, dialect] : samples()) {
    const Recorded rec = recorded(file, dialect);
    for (const ScheduleSpec& s : default_schedules(dialect)) {
      std::string error;
      const auto sched = make_schedule(rec, s, {}, &error);
      ASSERT_TRUE(sched) << file << " " << schedule_name(s) << ": " << error;
      std::string joined;
      for (std::string_view p : sched->pieces()) {
        ASSERT_FALSE(p.empty()) << schedule_name(s);
        joined += p;
      }
      ASSERT_EQ(joined, sched->bytes) << schedule_name(s);
      for (size_t i = 1; i < sched->cuts.size(); ++i) ASSERT_LT(sched->cuts[i - 1], sched->cuts[i]);
    }
  }
}

TEST(Schedule, ChunkingsCutWhereTheyShould) {
  const Recorded rec = recorded("synthetic/utf8-multibyte.yaml", "openai-chat");
  std::string error;
  const auto bytes1 = make_schedule(rec, spec("bytes1"), {}, &error);
  ASSERT_TRUE(bytes1);
  EXPECT_EQ(bytes1->piece_count(), rec.body.size());

  const auto tricky = make_schedule(rec, spec("utf8-crlf+crlf"), {}, &error);
  ASSERT_TRUE(tricky);
  ASSERT_GT(tricky->cuts.size(), 10u);
  bool saw_crlf = false, saw_utf8 = false;
  for (size_t c : tricky->cuts) {
    const auto here = static_cast<unsigned char>(tricky->bytes[c]);
    const bool in_char = (here & 0xC0) == 0x80;
    const bool in_crlf = tricky->bytes[c] == '\n' && tricky->bytes[c - 1] == '\r';
    ASSERT_TRUE(in_char || in_crlf) << c;
    saw_crlf |= in_crlf;
    saw_utf8 |= in_char;
  }
  EXPECT_TRUE(saw_crlf && saw_utf8);
  EXPECT_EQ(tricky->pause, std::chrono::milliseconds(1));

  const auto at = make_schedule(rec, spec("split@5,17"), {}, &error);
  ASSERT_TRUE(at);
  EXPECT_EQ(at->cuts, (std::vector<size_t>{5, 17}));
  EXPECT_EQ(at->pause, std::chrono::milliseconds(10));
  const auto r1 = make_schedule(rec, spec("random#1"), {}, &error);
  const auto r1b = make_schedule(rec, spec("random#1"), {}, &error);
  const auto r2 = make_schedule(rec, spec("random#2"), {}, &error);
  ASSERT_TRUE(r1 && r1b && r2);
  EXPECT_EQ(r1->cuts, r1b->cuts);
  EXPECT_NE(r1->cuts, r2->cuts);
}

TEST(Schedule, MidEventFaultsStopInsideAnEvent) {
  for (const auto& [file, dialect] : samples()) {
    const Recorded rec = recorded(file, dialect);
    for (std::string_view name : {"fault:fin-mid-event", "fault:rst-mid-event", "crlf+fault:fin-mid-event"}) {
      std::string error;
      const auto c = build_case(rec, spec(name), {}, &error);
      ASSERT_TRUE(c) << error;
      const std::string& b = c->schedule.bytes;
      ASSERT_FALSE(b.empty());
      EXPECT_NE(b.back(), '\n') << name;
      EXPECT_LT(event_count(b), event_count(rec.body));
      EXPECT_FALSE(c->expect.ok);
      EXPECT_EQ(c->expect.error, ErrorKind::connection);
    }
    std::string error;
    const auto closed = build_case(rec, spec("framing:close+fault:fin-mid-event"), {}, &error);
    ASSERT_TRUE(closed) << error;
    EXPECT_EQ(closed->expect.error, ErrorKind::parse);
  }
}

TEST(Schedule, StallStopsBetweenEvents) {
  CaseOptions o;
  o.stall = std::chrono::milliseconds(1234);
  for (const auto& [file, dialect] : samples()) {
    std::string error;
    const auto c = build_case(recorded(file, dialect), spec("fault:stall"), o, &error);
    ASSERT_TRUE(c) << error;
    EXPECT_TRUE(c->schedule.bytes.ends_with("\n\n") || c->schedule.bytes.ends_with("\r\n\r\n")) << file;
    EXPECT_EQ(c->schedule.stall, std::chrono::milliseconds(1234));
    EXPECT_EQ(c->expect.error, ErrorKind::timeout);
  }
}

TEST(Schedule, ErrorEventIsAProviderErrorInEveryDialect) {
  for (const auto& [file, dialect] : samples()) {
    std::string error;
    const Recorded rec = recorded(file, dialect);
    for (std::string_view name : {"fault:error-event", "bytes1+crlf+split-data+fault:error-event"}) {
      const auto c = build_case(rec, spec(name), {}, &error);
      ASSERT_TRUE(c) << file << ": " << error;
      EXPECT_FALSE(c->expect.ok);
      EXPECT_EQ(c->expect.error, ErrorKind::provider_error) << file << " " << name;
      EXPECT_NE(c->schedule.bytes.find("error"), std::string::npos);
    }
  }
}

TEST(Schedule, NoTerminatorDropsTheLastEvent) {
  // The dialect decides: a chat stream with its finish_reason, or a message whose
  // message_delta carried stop_reason, is complete without [DONE] / message_stop; a
  // Responses stream without response.completed, or Gemini without its finishReason
  // chunk, is truncated.
  for (const auto& [file, dialect] : samples()) {
    std::string error;
    const Recorded rec = recorded(file, dialect);
    const auto c = build_case(rec, spec("fault:no-terminator"), {}, &error);
    ASSERT_TRUE(c) << file << ": " << error;
    EXPECT_EQ(event_count(c->schedule.bytes) + 1, event_count(rec.body));
    if (dialect == "openai-chat" || dialect == "anthropic-messages") {
      ASSERT_TRUE(c->expect.ok) << file << ": " << c->expect.why;
      EXPECT_EQ(c->expect.result, expect_stream(rec.body, dialect).result);
    } else {
      EXPECT_FALSE(c->expect.ok) << file << ": " << c->expect.result;
      EXPECT_EQ(c->expect.error, ErrorKind::parse) << file;
    }
  }
}

TEST(Schedule, HttpFaultsCarryTheProvidersErrorBody) {
  for (const auto& [file, dialect] : samples()) {
    const Recorded rec = recorded(file, dialect);
    for (auto [name, status] : {std::pair{"fault:429", 429}, {"fault:500", 500}, {"fault:529", 529}}) {
      std::string error;
      const auto c = build_case(rec, spec(name), {}, &error);
      if (status == 529 && dialect != "anthropic-messages") {
        EXPECT_FALSE(c) << dialect;
        EXPECT_NE(error.find("529"), std::string::npos);
        continue;
      }
      ASSERT_TRUE(c) << error;
      EXPECT_EQ(c->status, status);
      EXPECT_EQ(c->schedule.framing, Framing::content_length);
      EXPECT_EQ(c->expect.error, ErrorKind::http_status);
      EXPECT_EQ(c->expect.http_status, status);
      bool retry_after = false;
      for (const auto& [k, v] : c->headers) retry_after |= k == "Retry-After" && v == "1";
      EXPECT_EQ(retry_after, status == 429);
      rapidjson::Document doc;
      doc.Parse(c->schedule.bytes.c_str());
      ASSERT_FALSE(doc.HasParseError()) << c->schedule.bytes;
      ASSERT_TRUE(doc.HasMember("error"));
      if (dialect == "anthropic-messages") {
        EXPECT_STREQ(doc["type"].GetString(), "error");
        const std::string type = doc["error"]["type"].GetString();
        EXPECT_EQ(type, status == 529 ? "overloaded_error" : status == 429 ? "rate_limit_error" : "api_error");
      } else if (dialect == "gemini") {
        EXPECT_EQ(doc["error"]["code"].GetInt(), status);
      } else {
        EXPECT_TRUE(doc["error"].HasMember("message"));
      }
    }
  }
}

TEST(Schedule, RewritesAndNoiseKeepTheRecordedResult) {
  for (const auto& [file, dialect] : samples()) {
    const Recorded rec = recorded(file, dialect);
    const Expectation want = expect_stream(rec.body, dialect);
    ASSERT_TRUE(want.ok) << file << ": " << want.why;
    for (std::string_view name : {"noise", "crlf+cr+no-space+bom+comments+unknown-fields+id-retry+split-data",
                                  "utf8-crlf+crlf+bom+noise", "framing:close"}) {
      std::string error;
      const auto c = build_case(rec, spec(name), {}, &error);
      ASSERT_TRUE(c) << error;
      EXPECT_TRUE(c->expect.ok);
      EXPECT_EQ(c->expect.result, want.result);
      if (name != "framing:close") {
        EXPECT_NE(c->schedule.bytes, rec.body) << name;
      }
    }
  }
}

// What a client assembles from the pieces, fed as they arrive, is the expected result.
TEST(Schedule, PiecesAssembleToTheExpectedResult) {
  for (const auto& [file, dialect] : samples()) {
    const Recorded rec = recorded(file, dialect);
    for (const ScheduleSpec& s : default_schedules(dialect)) {
      if (s.fault != Fault::none) continue;
      std::string error;
      const auto c = build_case(rec, s, {}, &error);
      ASSERT_TRUE(c) << error;
      ASSERT_TRUE(c->expect.ok);
      AssembleOptions o;
      o.dialect = dialect;
      const AssembleResult r = assemble(c->schedule.bytes, c->schedule.cuts, o);
      EXPECT_EQ(normalized_to_json(r.report.normalized), c->expect.result) << file << " " << c->schedule.name;
    }
  }
}

TEST(Schedule, FramingHeadersAreTheServers) {
  Recorded rec = recorded("xai-grok-code-fast-ola-streaming.yaml", "openai-chat");
  rec.headers.emplace_back("Content-Length", "12");
  rec.headers.emplace_back("transfer-encoding", "chunked");
  rec.headers.emplace_back("Content-Encoding", "gzip");
  rec.headers.emplace_back("X-Request-Id", "abc");
  std::string error;
  const auto c = build_case(rec, spec("whole"), {}, &error);
  ASSERT_TRUE(c) << error;
  bool request_id = false;
  for (const auto& [k, v] : c->headers) {
    EXPECT_NE(k, "Content-Length");
    EXPECT_NE(k, "transfer-encoding");
    EXPECT_NE(k, "Content-Encoding");
    request_id |= k == "X-Request-Id";
  }
  EXPECT_TRUE(request_id);
}

TEST(Schedule, ExpectationJson) {
  Expectation e;
  e.ok = false;
  e.error = ErrorKind::http_status;
  e.http_status = 429;
  e.why = "x";
  EXPECT_EQ(expectation_json(e), "{\"error\":\"http_status\",\"status\":429,\"why\":\"x\"}");
  e = expect_stream("data: [DONE]\n\n", "nope");
  rapidjson::Document doc;
  doc.Parse(expectation_json(e).c_str());
  EXPECT_FALSE(doc.HasParseError());
}

}  // namespace
