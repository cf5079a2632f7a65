// The hand-derived facts of corpus/cassettes/synthetic/EXPECTED.md, one test per cassette.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "ssecheck/assemble.h"
#include "ssecheck/cassette.h"
#include "ssecheck/openai_chat/completion.h"

namespace ssecheck {
namespace {

using D = DiagCode;
const std::string kDir = std::string(SSECHECK_CORPUS_DIR) + "/cassettes/synthetic/";

struct Assembled {
  Interaction interaction;
  AssemblyReport report;
  const Choice& choice(size_t i = 0) const { return completion_of(report).choices.at(i); }
  const Message& msg(size_t i = 0) const { return choice(i).message; }
};

// Interaction 0, assembled whole; one byte per feed must print the same JSON.
Assembled run(const std::string& file) {
  const CassetteResult loaded = load_cassette_file(kDir + file);
  EXPECT_TRUE(loaded.ok()) << loaded.message;
  Assembled r;
  if (!loaded.ok() || loaded.cassette.interactions.size() != 1) {
    ADD_FAILURE() << file << ": expected one interaction";
    return r;
  }
  r.interaction = loaded.cassette.interactions[0];
  const std::string& body = r.interaction.response_body;
  const auto whole = ssecheck::assemble(body, {});
  std::vector<size_t> cuts;
  for (size_t i = 1; i < body.size(); ++i) cuts.push_back(i);
  EXPECT_EQ(ssecheck::assemble(body, cuts).json_compact, whole.json_compact) << file;
  r.report = whole.report;
  return r;
}

void must(const Assembled& r, std::initializer_list<D> codes) {
  for (D c : codes) EXPECT_TRUE(r.report.has(c)) << "missing " << name(c);
}
void must_not(const Assembled& r, std::initializer_list<D> codes) {
  for (D c : codes) EXPECT_FALSE(r.report.has(c)) << "unexpected " << name(c);
}
// "must: none": nothing beyond notes.
void clean(const Assembled& r) {
  EXPECT_EQ(r.report.counts.fatal, 0u);
  EXPECT_EQ(r.report.counts.deviation, 0u);
  EXPECT_FALSE(r.report.failed());
}

rapidjson::Document usage(const Assembled& r) {
  rapidjson::Document d;
  d.Parse(completion_of(r.report).usage_json.value_or("null").c_str());
  return d;
}
int64_t usage_int(const Assembled& r, const char* key) {
  const rapidjson::Document d = usage(r);
  return d.IsObject() && d.HasMember(key) ? d[key].GetInt64() : -1;
}

TEST(Synthetic, N2Choices) {
  const Assembled r = run("n2-choices.yaml");
  clean(r);
  EXPECT_EQ(completion_of(r.report).id, "chatcmpl-N2ch01");
  EXPECT_EQ(completion_of(r.report).model, "gpt-4o-mini-2024-07-18");
  EXPECT_EQ(completion_of(r.report).created, 1761000101);
  ASSERT_EQ(completion_of(r.report).choices.size(), 2u);
  EXPECT_EQ(r.msg(0).content, "Roses are red.");
  EXPECT_EQ(r.choice(0).finish_reason, "stop");
  EXPECT_EQ(r.msg(1).content, "Violets are blue.");
  EXPECT_EQ(r.choice(1).finish_reason, "length");
  EXPECT_EQ(r.msg(0).role, "assistant");
  EXPECT_EQ(r.msg(1).role, "assistant");
  EXPECT_EQ(usage_int(r, "prompt_tokens"), 14);
  EXPECT_EQ(usage_int(r, "completion_tokens"), 9);
  EXPECT_EQ(usage_int(r, "total_tokens"), 23);
  must_not(r, {D::finish_reason_changed, D::content_after_finish, D::truncated, D::done_missing});
}

TEST(Synthetic, ToolCallArgumentsSplit) {
  const Assembled r = run("tool-call-arguments-split.yaml");
  clean(r);
  EXPECT_EQ(completion_of(r.report).id, "chatcmpl-Split02");
  EXPECT_EQ(completion_of(r.report).model, "gpt-4o-mini-2024-07-18");
  EXPECT_FALSE(r.msg().content.has_value());
  ASSERT_EQ(r.msg().tool_calls.size(), 1u);
  const ToolCall& t = r.msg().tool_calls[0];
  EXPECT_EQ(t.id, "call_Wx9kQ2");
  EXPECT_EQ(t.type, "function");
  EXPECT_EQ(t.name, "get_weather");
  EXPECT_EQ(t.arguments, R"({"location":"Paris, France","unit":"celsius"})");
  EXPECT_EQ(r.choice().finish_reason, "tool_calls");
  EXPECT_FALSE(completion_of(r.report).usage_json.has_value());
  must_not(r, {D::tool_arguments_invalid_json, D::tool_index_missing});
}

TEST(Synthetic, ParallelToolCallsInterleaved) {
  const Assembled r = run("parallel-tool-calls-interleaved.yaml");
  clean(r);
  ASSERT_EQ(r.msg().tool_calls.size(), 2u);
  EXPECT_EQ(r.msg().tool_calls[0].id, "call_A1oslo");
  EXPECT_EQ(r.msg().tool_calls[0].name, "get_weather");
  EXPECT_EQ(r.msg().tool_calls[0].arguments, R"({"city":"Oslo"})");
  EXPECT_EQ(r.msg().tool_calls[1].id, "call_B2oslo");
  EXPECT_EQ(r.msg().tool_calls[1].name, "get_time");
  EXPECT_EQ(r.msg().tool_calls[1].arguments, R"({"tz":"Europe/Oslo"})");
  EXPECT_EQ(r.choice().finish_reason, "tool_calls");
  must_not(r, {D::tool_arguments_invalid_json, D::tool_id_changed, D::tool_name_changed});
}

TEST(Synthetic, ToolCallWithoutIndex) {
  const Assembled r = run("tool-call-without-index.yaml");
  EXPECT_EQ(completion_of(r.report).id, "chatcmpl-NoIdx04");
  EXPECT_EQ(completion_of(r.report).model, "local-llama-3.1-8b");
  EXPECT_FALSE(completion_of(r.report).system_fingerprint.has_value());
  ASSERT_EQ(r.msg().tool_calls.size(), 1u);
  EXPECT_EQ(r.msg().tool_calls[0].id, "call_noidx1");
  EXPECT_EQ(r.msg().tool_calls[0].type, "function");
  EXPECT_EQ(r.msg().tool_calls[0].name, "lookup");
  EXPECT_EQ(r.msg().tool_calls[0].arguments, R"({"q":"ssecheck"})");
  EXPECT_EQ(r.choice().finish_reason, "tool_calls");
  EXPECT_EQ(r.report.counts.of(D::tool_index_missing), 4u);
  must_not(r, {D::tool_arguments_invalid_json, D::tool_call_incomplete});
}

TEST(Synthetic, ToolCallIdOnEveryFragment) {
  const Assembled r = run("tool-call-id-on-every-fragment.yaml");
  clean(r);
  EXPECT_EQ(completion_of(r.report).id, "chatcmpl-Rep05");
  EXPECT_EQ(completion_of(r.report).model, "mistral-large-2411");
  EXPECT_EQ(r.msg().content, "");
  ASSERT_EQ(r.msg().tool_calls.size(), 1u);
  EXPECT_EQ(r.msg().tool_calls[0].id, "call_rep7x");
  EXPECT_EQ(r.msg().tool_calls[0].type, "function");
  EXPECT_EQ(r.msg().tool_calls[0].name, "multiply");
  EXPECT_EQ(r.msg().tool_calls[0].arguments, R"({"a": 6, "b": 7})");
  EXPECT_EQ(r.choice().finish_reason, "tool_calls");
  EXPECT_EQ(usage_int(r, "total_tokens"), 105);
  EXPECT_EQ(usage_int(r, "prompt_tokens"), 88);
  EXPECT_EQ(usage_int(r, "completion_tokens"), 17);
  must_not(r, {D::tool_id_changed, D::tool_type_changed, D::tool_name_changed, D::tool_arguments_invalid_json});
}

TEST(Synthetic, ToolCallArgumentsResentInFull) {
  const Assembled r = run("tool-call-arguments-resent-in-full.yaml");
  ASSERT_EQ(r.msg().tool_calls.size(), 1u);
  EXPECT_EQ(r.msg().tool_calls[0].id, "call_full01");
  EXPECT_EQ(r.msg().tool_calls[0].name, "add");
  EXPECT_EQ(r.msg().tool_calls[0].arguments, R"({"a":2,"b":3}{"a":2,"b":3})");
  EXPECT_EQ(r.choice().finish_reason, "tool_calls");
  must(r, {D::tool_arguments_invalid_json});
  EXPECT_TRUE(r.report.failed());
}

TEST(Synthetic, Refusal) {
  const Assembled r = run("refusal.yaml");
  clean(r);
  EXPECT_EQ(completion_of(r.report).id, "chatcmpl-Ref07");
  EXPECT_EQ(completion_of(r.report).model, "gpt-4o-2024-08-06");
  EXPECT_EQ(completion_of(r.report).system_fingerprint, "fp_7f6be3efb0");
  EXPECT_EQ(r.msg().refusal, "I'm sorry, but I can't help with that.");
  EXPECT_FALSE(r.msg().content.has_value());
  EXPECT_EQ(r.choice().finish_reason, "stop");
}

TEST(Synthetic, DuplicateKeys) {
  const Assembled r = run("duplicate-keys.yaml");
  EXPECT_EQ(r.msg().content, "Hello world");
  EXPECT_EQ(completion_of(r.report).model, "gpt-4o-mini-2024-07-18");
  EXPECT_EQ(r.choice().finish_reason, "stop");
  EXPECT_EQ(usage_int(r, "prompt_tokens"), 8);
  EXPECT_EQ(usage_int(r, "completion_tokens"), 2);
  EXPECT_EQ(usage_int(r, "total_tokens"), 10);
  const std::vector<Diagnostic>& d = r.report.diagnostics;
  ASSERT_EQ(d.size(), 3u);
  for (const Diagnostic& x : d) EXPECT_EQ(x.code, D::duplicate_key);
  EXPECT_EQ(d[0].event_index, 1u);
  EXPECT_NE(d[0].message.find("'model'"), std::string::npos) << d[0].message;
  EXPECT_EQ(d[1].event_index, 1u);
  EXPECT_NE(d[1].message.find("'content'"), std::string::npos) << d[1].message;
  EXPECT_EQ(d[2].event_index, 2u);
  EXPECT_NE(d[2].message.find("'finish_reason'"), std::string::npos) << d[2].message;
  must_not(r, {D::model_changed, D::content_after_finish});
  EXPECT_FALSE(r.report.failed());
}

TEST(Synthetic, UsageSentTwice) {
  const Assembled r = run("usage-sent-twice.yaml");
  clean(r);
  EXPECT_EQ(r.msg().content, "Hi there!");
  EXPECT_EQ(r.choice().finish_reason, "stop");
  EXPECT_EQ(usage_int(r, "prompt_tokens"), 9);
  EXPECT_EQ(usage_int(r, "completion_tokens"), 3);
  EXPECT_EQ(usage_int(r, "total_tokens"), 12);
  const rapidjson::Document u = usage(r);
  ASSERT_TRUE(u.IsObject());
  EXPECT_EQ(u["prompt_tokens_details"]["cached_tokens"].GetInt(), 0);
  EXPECT_EQ(u["completion_tokens_details"]["reasoning_tokens"].GetInt(), 0);
  must(r, {D::usage_repeated});
  must_not(r, {D::no_choices});
}

TEST(Synthetic, ErrorObjectMidStream) {
  const Assembled r = run("error-object-mid-stream.yaml");
  EXPECT_EQ(r.msg().content, "Once upon a time");
  EXPECT_FALSE(r.choice().finish_reason.has_value());
  EXPECT_FALSE(r.report.stats.terminator_seen);
  must(r, {D::provider_error, D::truncated});
  must_not(r, {D::not_a_chunk});
  bool found = false;
  for (const Diagnostic& d : r.report.diagnostics)
    if (d.code == D::provider_error) {
      found = true;
      EXPECT_NE(d.message.find("The server had an error while processing your request. Sorry about that!"),
                std::string::npos);
      EXPECT_NE(d.message.find("server_error"), std::string::npos);
    }
  EXPECT_TRUE(found);
}

TEST(Synthetic, ErrorEventType) {
  const Assembled r = run("error-event-type.yaml");
  EXPECT_EQ(completion_of(r.report).id, "gen-1761001010-ErrEvt10");
  EXPECT_EQ(completion_of(r.report).model, "meta-llama/llama-3.3-70b-instruct");
  EXPECT_EQ(r.msg().content, "Hel");
  EXPECT_FALSE(r.choice().finish_reason.has_value());
  must(r, {D::provider_error, D::truncated});
  must_not(r, {D::unexpected_event_type});
  for (const Diagnostic& d : r.report.diagnostics)
    if (d.code == D::provider_error) {
      EXPECT_NE(d.message.find("Rate limit exceeded: upstream provider"), std::string::npos);
      EXPECT_NE(d.message.find("429"), std::string::npos);
    }
}

TEST(Synthetic, NoDoneWithFinishReason) {
  const Assembled r = run("no-done-with-finish-reason.yaml");
  EXPECT_EQ(r.msg().content, "Rome.");
  EXPECT_EQ(r.choice().finish_reason, "stop");
  must(r, {D::done_missing});
  must_not(r, {D::truncated});
}

TEST(Synthetic, TruncatedMidEvent) {
  const Assembled r = run("truncated-mid-event.yaml");
  const std::string& body = r.interaction.response_body;
  ASSERT_GE(body.size(), 4u);
  EXPECT_EQ(body.substr(body.size() - 4), " wor");
  EXPECT_EQ(r.msg().content, "Hello");
  EXPECT_FALSE(r.choice().finish_reason.has_value());
  must(r, {D::incomplete_event, D::truncated});
  must_not(r, {D::invalid_json});
}

TEST(Synthetic, KeepAliveComments) {
  const Assembled r = run("keep-alive-comments.yaml");
  clean(r);
  EXPECT_EQ(r.msg().content, "1, 2, 3");
  EXPECT_EQ(r.choice().finish_reason, "stop");
  EXPECT_EQ(r.report.stats.comments, 5u);
  EXPECT_EQ(r.report.stats.events, 5u);
}

TEST(Synthetic, EmptyDeltas) {
  const Assembled r = run("empty-deltas.yaml");
  clean(r);
  EXPECT_EQ(completion_of(r.report).id, "chatcmpl-Empty14");
  EXPECT_EQ(completion_of(r.report).model, "grok-4-fast-reasoning");
  EXPECT_EQ(r.report.stats.events, 11u);
  EXPECT_EQ(r.report.stats.noise_events, 4u);  // chunks 2, 3, 5, 8
  EXPECT_EQ(r.msg().content, "Yes, 7 is prime.");
  EXPECT_EQ(r.msg().role, "assistant");
  EXPECT_EQ(r.choice().finish_reason, "stop");
}

TEST(Synthetic, CrlfLineEndings) {
  const Assembled r = run("crlf-line-endings.yaml");
  clean(r);
  EXPECT_NE(r.interaction.response_body.find("\r\n"), std::string::npos);
  EXPECT_EQ(completion_of(r.report).id, "chatcmpl-Crlf21");
  EXPECT_EQ(completion_of(r.report).model, "phi-4");
  EXPECT_EQ(r.report.stats.comments, 1u);
  EXPECT_EQ(r.msg().content, "Hello from CRLF");
  EXPECT_EQ(r.choice().finish_reason, "stop");
}

TEST(Synthetic, AzureContentFilter) {
  const Assembled r = run("azure-content-filter.yaml");
  clean(r);
  EXPECT_EQ(completion_of(r.report).id, "chatcmpl-AzCf18");
  EXPECT_EQ(completion_of(r.report).model, "gpt-4o-mini-2024-07-18");
  EXPECT_EQ(completion_of(r.report).created, 1761001818);
  EXPECT_EQ(r.msg().content, "Hello! How can I help?");
  EXPECT_EQ(r.choice().finish_reason, "stop");
  must_not(r, {D::id_changed, D::model_changed, D::created_changed, D::finish_reason_changed,
               D::content_after_finish, D::not_a_chunk});
}

TEST(Synthetic, OpenRouterReasoningDetails) {
  const Assembled r = run("openrouter-reasoning-details.yaml");
  clean(r);
  EXPECT_EQ(completion_of(r.report).id, "gen-1761001919-OrRsn19");
  EXPECT_EQ(completion_of(r.report).model, "openai/gpt-5-mini");
  EXPECT_EQ(r.report.stats.comments, 3u);
  EXPECT_EQ(r.msg().reasoning, "Simple arithmetic: 2+2=4.");
  ASSERT_EQ(r.msg().reasoning_details.size(), 1u);
  const ReasoningDetail& d = r.msg().reasoning_details[0];
  EXPECT_EQ(d.index, 0u);
  auto field = [&](const std::string& key) -> std::string {
    for (const DetailField& f : d.fields)
      if (f.key == key && !f.is_json) return f.value;
    return "<absent>";
  };
  EXPECT_EQ(field("type"), "reasoning.text");
  EXPECT_EQ(field("format"), "unknown");
  EXPECT_EQ(field("text"), "Simple arithmetic: 2+2=4.");
  EXPECT_EQ(r.msg().content, "2 + 2 = 4");
  EXPECT_EQ(r.choice().finish_reason, "stop");
  EXPECT_EQ(usage_int(r, "total_tokens"), 39);
  EXPECT_EQ(usage_int(r, "prompt_tokens"), 13);
  EXPECT_EQ(usage_int(r, "completion_tokens"), 26);
  const rapidjson::Document u = usage(r);
  ASSERT_TRUE(u.IsObject() && u.HasMember("cost"));
  EXPECT_DOUBLE_EQ(u["cost"].GetDouble(), 0.0000553);
  must_not(r, {D::role_changed, D::content_after_finish});
}

TEST(Synthetic, ChunkIdChanges) {
  const Assembled r = run("chunk-id-changes.yaml");
  EXPECT_EQ(completion_of(r.report).id, "chatcmpl-IdA15");
  EXPECT_EQ(completion_of(r.report).created, 1761001515);
  EXPECT_EQ(r.msg().content, "Blue is nice.");
  EXPECT_EQ(r.choice().finish_reason, "stop");
  must(r, {D::id_changed, D::created_changed});
  EXPECT_EQ(info(D::created_changed).severity, Severity::note);
}

TEST(Synthetic, RoleOnEveryChunk) {
  const Assembled r = run("role-on-every-chunk.yaml");
  clean(r);
  EXPECT_EQ(completion_of(r.report).model, "deepseek-chat");
  EXPECT_EQ(r.msg().role, "assistant");
  EXPECT_EQ(r.msg().content, "OK");
  EXPECT_EQ(r.choice().finish_reason, "stop");
  EXPECT_EQ(usage_int(r, "total_tokens"), 8);
  must_not(r, {D::role_changed, D::content_after_finish});
}

TEST(Synthetic, FinishReasonWithContent) {
  const Assembled r = run("finish-reason-with-content.yaml");
  clean(r);
  EXPECT_EQ(completion_of(r.report).model, "llama-3.3-70b-versatile");
  EXPECT_EQ(r.msg().content, "C-A-T");
  EXPECT_EQ(r.choice().finish_reason, "stop");
  must_not(r, {D::content_after_finish, D::finish_reason_changed});
}

TEST(Synthetic, NonStreamingJsonIsNotAnEventStream) {
  const CassetteResult loaded = load_cassette_file(kDir + "non-streaming-json.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.message;
  ASSERT_EQ(loaded.cassette.interactions.size(), 1u);
  EXPECT_EQ(loaded.cassette.interactions[0].body_kind, BodyKind::json);
}

TEST(Synthetic, Utf8Multibyte) {
  const Assembled r = run("utf8-multibyte.yaml");
  clean(r);
  const std::string expected =
      "\xe4\xbd\xa0\xe5\xa5\xbd\xef\xbc\x8c\xe4\xb8\x96\xe7\x95\x8c\xef\xbc\x81\xf0\x9f\x8c\x8d\x20\x43\x61\x66"
      "\xc3\xa9\x20\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb\x20\xf0\x9f\x9a\x80";
  ASSERT_EQ(expected.size(), 45u);
  EXPECT_EQ(r.msg().content, expected);
  EXPECT_EQ(r.choice().finish_reason, "stop");
  must_not(r, {D::invalid_utf8, D::invalid_json});
}

}  // namespace
}  // namespace ssecheck
