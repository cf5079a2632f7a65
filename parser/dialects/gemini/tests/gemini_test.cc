// The Gemini dialect: the recordings' SDK facts, the synthetic cassettes' facts, one case
// per diagnostic, chunking independence, noise, limits and hostile input. Every expected
// value is read off the bytes or the provider documentation by hand.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ssecheck/assemble.h"
#include "ssecheck/cassette.h"
#include "ssecheck/gemini/gemini.h"
#include "ssecheck/json/event_json.h"
#include "ssecheck/registry.h"

namespace ssecheck {
namespace {

using D = DiagCode;
const std::string kRecorded = std::string(SSECHECK_CORPUS_DIR) + "/cassettes/gemini/";
const std::string kSynthetic = std::string(SSECHECK_CORPUS_DIR) + "/cassettes/synthetic/gemini/";

AssembleOptions named(std::string dialect = "gemini") {
  AssembleOptions o;
  o.dialect = std::move(dialect);
  return o;
}

AssembleResult run(std::string_view body, const AssembleOptions& o = named()) { return assemble(body, {}, o); }

// "data: X\n\n" for each X.
std::string sse(std::initializer_list<std::string_view> datas) {
  std::string s;
  for (std::string_view d : datas) s.append("data: ").append(d).append("\n\n");
  return s;
}

// Compact JSON with members in their order, to compare documents written differently.
std::string canon(std::string_view text) {
  rapidjson::Document d;
  d.Parse(text.data(), text.size());
  EXPECT_FALSE(d.HasParseError()) << text;
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  d.Accept(w);
  return b.GetString();
}

std::string normalized(const AssemblyReport& r) { return normalized_to_json(r.normalized); }

std::vector<std::string> codes(const AssemblyReport& r) {
  std::vector<std::string> v;
  for (const Diagnostic& d : r.diagnostics) v.emplace_back(name(d.code));
  return v;
}

size_t utf8_chars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

const NormalizedOutput& out0(const AssemblyReport& r) {
  static const NormalizedOutput kNone;
  if (r.normalized.outputs.size() != 1) {
    ADD_FAILURE() << "expected one output, got " << r.normalized.outputs.size();
    return kNone;
  }
  return r.normalized.outputs[0];
}

// Whole, one byte per feed, and every split into two feeds give the same report.
void expect_chunking_independent(std::string_view body, const AssembleOptions& o = named()) {
  const std::string whole = assemble(body, {}, o).json_compact;
  std::vector<size_t> every;
  for (size_t i = 1; i < body.size(); ++i) every.push_back(i);
  EXPECT_EQ(assemble(body, every, o).json_compact, whole) << "one byte per feed";
  for (size_t i = 0; i <= body.size(); ++i) {
    const size_t cut[] = {i};
    ASSERT_EQ(assemble(body, cut, o).json_compact, whole) << "split at " << i;
  }
}

Interaction interaction(const std::string& path, size_t i) {
  const CassetteResult loaded = load_cassette_file(path);
  EXPECT_TRUE(loaded.ok()) << loaded.message;
  if (!loaded.ok() || loaded.cassette.interactions.size() <= i) {
    ADD_FAILURE() << path << ": no interaction " << i;
    return {};
  }
  return loaded.cassette.interactions[i];
}

// ---- The four recordings: /work/shared/cassettes/README.md, @google/genai 2.32.0 ----

struct RecordedFact {
  const char* file;
  size_t interaction;
  std::string text;
  size_t text_chars;  // the README's "Text lengths in characters"
  size_t reasoning_chars;
  std::vector<std::pair<std::string, std::string>> calls;  // name, arguments
  uint64_t in, out;
};

const std::vector<RecordedFact>& recorded_facts() {
  static const std::vector<RecordedFact> kFacts = {
      {"gemini-2.5-flash-multi-tool-streaming.yaml", 0, "", 0, 0,
       {{"add", R"({"b":3,"a":2})"}, {"multiply", R"({"a":2,"b":3})"}}, 121, 36},
      {"gemini-2.5-flash-multi-tool-streaming.yaml", 1, "The sum of 2 and 3 is 5. The product of 2 and 3 is 6.", 53, 0,
       {}, 218, 22},
      {"gemini-2.5-flash-simple-streaming.yaml", 0, "Olá!", 4, 0, {}, 11, 2},
      {"gemini-2.5-flash-tool-streaming.yaml", 0, "", 0, 0, {{"weather", R"({"location":"Florence,Italy"})"}}, 54, 15},
      {"gemini-2.5-flash-tool-streaming.yaml", 1, "The weather in Florence,Italy is 40 C.", 38, 0, {}, 127, 12},
      {"gemini-2.5-flash-thinking-streaming.yaml", 0, "", 0, 327, {{"weather", R"({"location":"Florence, Italy"})"}},
       54, 14},
      {"gemini-2.5-flash-thinking-streaming.yaml", 1, "The weather in Florence, Italy is 40 C.", 39, 0, {}, 146, 12},
  };
  return kFacts;
}

TEST(GeminiRecorded, MatchesTheSdkFacts) {
  for (const RecordedFact& f : recorded_facts()) {
    SCOPED_TRACE(std::string(f.file) + " #" + std::to_string(f.interaction));
    const Interaction it = interaction(kRecorded + f.file, f.interaction);
    const AssemblyReport r = run(it.response_body).report;
    EXPECT_EQ(r.counts.fatal, 0u);
    EXPECT_EQ(r.counts.deviation, 0u);
    EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics.size();
    EXPECT_EQ(r.state, StreamState::finished);
    EXPECT_FALSE(r.stats.terminator_seen);
    EXPECT_EQ(r.stats.data_chunks, r.stats.events);
    const NormalizedOutput& o = out0(r);
    EXPECT_EQ(o.text, f.text);
    EXPECT_EQ(utf8_chars(o.text), f.text_chars);
    EXPECT_EQ(utf8_chars(o.reasoning), f.reasoning_chars);
    ASSERT_EQ(o.tool_calls.size(), f.calls.size());
    for (size_t i = 0; i < f.calls.size(); ++i) {
      EXPECT_EQ(o.tool_calls[i].name, f.calls[i].first);
      EXPECT_EQ(o.tool_calls[i].arguments, f.calls[i].second);
      EXPECT_FALSE(o.tool_calls[i].id.has_value());  // the recordings send no functionCall.id
    }
    EXPECT_EQ(o.finish_reason, std::optional<std::string>("STOP"));
    EXPECT_EQ(r.normalized.usage.input_tokens, std::optional<uint64_t>(f.in));
    EXPECT_EQ(r.normalized.usage.output_tokens, std::optional<uint64_t>(f.out));
    EXPECT_EQ(r.normalized.model, std::optional<std::string>("gemini-2.5-flash"));
    EXPECT_FALSE(r.normalized.error.has_value());
  }
}

TEST(GeminiRecorded, ChunkingIndependentAndSameUnderAutoAndBothBackends) {
  for (const RecordedFact& f : recorded_facts()) {
    SCOPED_TRACE(std::string(f.file) + " #" + std::to_string(f.interaction));
    const Interaction it = interaction(kRecorded + f.file, f.interaction);
    expect_chunking_independent(it.response_body);
    const AssembleResult by_name = run(it.response_body);
    EXPECT_EQ(run(it.response_body, named("auto")).json_compact, by_name.json_compact);
    AssembleOptions rapid = named();
    rapid.json_backend = JsonBackend::rapidjson;
    EXPECT_EQ(run(it.response_body, rapid).json_compact, by_name.json_compact);
    // Found by URL and by its first event.
    EXPECT_EQ(dialect_for_request(it.url), &kGeminiDialect) << it.url;
    const std::string& body = it.response_body;
    const size_t end = body.find("\r\n");
    ASSERT_NE(end, std::string::npos);
    EXPECT_EQ(dialect_for_event("message", std::string_view(body).substr(6, end - 6)), &kGeminiDialect);
  }
}

TEST(GeminiRecorded, IdsFromTheBytes) {
  const AssemblyReport r =
      run(interaction(kRecorded + "gemini-2.5-flash-tool-streaming.yaml", 0).response_body).report;
  EXPECT_EQ(canon(normalized(r)),
            canon(R"({"dialect":"gemini","id":"WQCzaayhL8Xmz7IP-63dqQk","model":"gemini-2.5-flash","outputs":[)"
                  R"({"index":0,"text":"","reasoning":"","refusal":"","tool_calls":[{"id":null,"name":"weather",)"
                  R"("arguments":{"location":"Florence,Italy"}}],"finish_reason":"STOP"}],)"
                  R"("usage":{"input_tokens":54,"output_tokens":15},"error":null})"));
}

TEST(GeminiRecorded, NativeObjectOfTheSimpleStream) {
  const AssemblyReport r =
      run(interaction(kRecorded + "gemini-2.5-flash-simple-streaming.yaml", 0).response_body).report;
  // The one chunk, as sent, with the candidate's members in the writer's order
  // (content, the others as first seen, index).
  EXPECT_EQ(canon(r.native_json),
            canon(R"({"candidates":[{"content":{"parts":[{"text":"Olá!"}],"role":"model"},"finishReason":"STOP",)"
                  R"("index":0}],"usageMetadata":{"promptTokenCount":11,"candidatesTokenCount":2,)"
                  R"("totalTokenCount":34,"promptTokensDetails":[{"modality":"TEXT","tokenCount":11}],)"
                  R"("thoughtsTokenCount":21},"modelVersion":"gemini-2.5-flash","responseId":"VwCzabneCuzPz7IP0aL64A0"})"));
}

TEST(GeminiRecorded, NativeObjectOfTheThinkingStream) {
  const AssemblyReport r =
      run(interaction(kRecorded + "gemini-2.5-flash-thinking-streaming.yaml", 0).response_body).report;
  rapidjson::Document d;
  d.Parse(r.native_json.c_str());
  ASSERT_TRUE(d.IsObject());
  const auto& cands = d["candidates"];
  ASSERT_EQ(cands.Size(), 1u);
  const auto& parts = cands[0]["content"]["parts"];
  ASSERT_EQ(parts.Size(), 2u);  // the thought part, then the functionCall part as sent
  EXPECT_TRUE(parts[0]["thought"].GetBool());
  EXPECT_EQ(utf8_chars(parts[0]["text"].GetString()), 327u);
  EXPECT_STREQ(parts[1]["functionCall"]["name"].GetString(), "weather");
  EXPECT_EQ(std::string(parts[1]["thoughtSignature"].GetString()).substr(0, 12), "CiQBvj72+y6V");
  EXPECT_STREQ(cands[0]["finishReason"].GetString(), "STOP");
  EXPECT_STREQ(cands[0]["finishMessage"].GetString(), "Model generated function call(s).");
  EXPECT_EQ(d["usageMetadata"]["candidatesTokenCount"].GetUint64(), 14u);  // the last one
  EXPECT_EQ(d["usageMetadata"]["totalTokenCount"].GetUint64(), 130u);
}

struct Recorder : StreamObserver {
  std::vector<std::string> log;
  void on_content(uint32_t o, std::string_view t) override { log.push_back("content " + std::to_string(o) + " " + std::string(t)); }
  void on_reasoning(uint32_t o, std::string_view t) override {
    log.push_back("reasoning " + std::to_string(o) + " " + std::to_string(utf8_chars(t)));
  }
  void on_tool_call_started(uint32_t o, uint32_t t, std::string_view id, std::string_view n) override {
    log.push_back("tool " + std::to_string(o) + " " + std::to_string(t) + " [" + std::string(id) + "] " + std::string(n));
  }
  void on_tool_arguments(uint32_t, uint32_t t, std::string_view a) override {
    log.push_back("args " + std::to_string(t) + " " + std::string(a));
  }
  void on_output_finished(uint32_t o, std::string_view f) override {
    log.push_back("finished " + std::to_string(o) + " " + std::string(f));
  }
};

TEST(GeminiRecorded, ObserverSeesTheStreamInOrder) {
  Recorder rec;
  AssembleOptions o = named();
  o.observer = &rec;
  run(interaction(kRecorded + "gemini-2.5-flash-thinking-streaming.yaml", 0).response_body, o);
  const std::vector<std::string> expected = {"reasoning 0 327", "tool 0 0 [] weather",
                                             R"(args 0 {"location":"Florence, Italy"})", "finished 0 STOP"};
  EXPECT_EQ(rec.log, expected);
}

// The dialect's own noise ({"usageMetadata": U} repeating the previous U) changes nothing.
TEST(GeminiRecorded, NoiseChangesNothing) {
  for (const RecordedFact& f : recorded_facts()) {
    SCOPED_TRACE(std::string(f.file) + " #" + std::to_string(f.interaction));
    const std::string body = interaction(kRecorded + f.file, f.interaction).response_body;
    std::vector<std::string> events;
    for (size_t at = 0; at < body.size();) {
      const size_t end = body.find("\r\n\r\n", at);
      ASSERT_NE(end, std::string::npos);
      events.push_back(body.substr(at + 6, end - at - 6));  // after "data: "
      at = end + 4;
    }
    std::string noisy, memo;
    size_t inserted = 0;
    for (size_t i = 0; i < events.size(); ++i) {
      noisy += "data: " + events[i] + "\r\n\r\n";
      if (i + 1 == events.size()) break;
      const size_t before = noisy.size();
      kGeminiDialect.noise("message", events[i], "message", events[i + 1], "\r\n", memo, noisy);
      inserted += noisy.size() > before;
    }
    EXPECT_EQ(inserted, events.size() - 1);  // every recorded chunk carries usageMetadata
    const AssemblyReport clean = run(body).report;
    const AssemblyReport with_noise = run(noisy).report;
    EXPECT_EQ(with_noise.native_json, clean.native_json);
    EXPECT_EQ(normalized(with_noise), normalized(clean));
    EXPECT_EQ(codes(with_noise), codes(clean));
    EXPECT_EQ(with_noise.stats.noise_events, inserted);
    EXPECT_EQ(run(noisy, named("auto")).json_compact, run(noisy).json_compact);
    expect_chunking_independent(noisy);
  }
}

TEST(GeminiNoise, NothingAfterAnEventWithoutUsage) {
  std::string out, memo;
  kGeminiDialect.noise("message", R"({"candidates":[]})", "message", "{}", "\n", memo, out);
  kGeminiDialect.noise("message", R"({"error":{"code":500},"usageMetadata":{}})", "message", "{}", "\n", memo, out);
  kGeminiDialect.noise("message", "not json", "message", "{}", "\n", memo, out);
  kGeminiDialect.noise("ping", R"({"usageMetadata":{"promptTokenCount":1}})", "message", "{}", "\n", memo, out);
  EXPECT_EQ(out, "");
  kGeminiDialect.noise("message", R"({"usageMetadata": {"promptTokenCount": 1}})", "message", "{}", "\n", memo, out);
  EXPECT_EQ(out, "data: {\"usageMetadata\":{\"promptTokenCount\":1}}\n\n");
}

// ---- Synthetic cassettes: corpus/cassettes/synthetic/gemini/EXPECTED.md ----

struct Synth {
  Interaction it;
  AssemblyReport r;
};

Synth synth(const std::string& file) {
  Synth s;
  s.it = interaction(kSynthetic + file, 0);
  EXPECT_EQ(dialect_for_request(s.it.url), &kGeminiDialect) << s.it.url;
  expect_chunking_independent(s.it.response_body);
  const AssembleResult by_name = run(s.it.response_body);
  EXPECT_EQ(run(s.it.response_body, named("auto")).json_compact, by_name.json_compact);
  s.r = by_name.report;
  return s;
}

void must(const AssemblyReport& r, std::initializer_list<D> cs) {
  for (D c : cs) EXPECT_TRUE(r.has(c)) << "missing " << name(c);
}
void must_not(const AssemblyReport& r, std::initializer_list<D> cs) {
  for (D c : cs) EXPECT_FALSE(r.has(c)) << "unexpected " << name(c);
}

TEST(GeminiSynthetic, SafetyBlock) {
  const Synth s = synth("safety-block.yaml");
  const NormalizedOutput& o = out0(s.r);
  EXPECT_EQ(s.r.normalized.id, std::optional<std::string>("SafeBlk01"));
  EXPECT_EQ(o.text, "Here is an overview of the");
  EXPECT_EQ(o.finish_reason, std::optional<std::string>("SAFETY"));
  EXPECT_EQ(s.r.normalized.usage.input_tokens, std::optional<uint64_t>(7));
  EXPECT_EQ(s.r.normalized.usage.output_tokens, std::optional<uint64_t>(6));
  EXPECT_EQ(codes(s.r), std::vector<std::string>{"abnormal_finish_reason"});
  must_not(s.r, {D::truncated, D::provider_error, D::parts_after_finish_reason});
  EXPECT_EQ(s.r.state, StreamState::finished);
  rapidjson::Document d;
  d.Parse(s.r.native_json.c_str());
  const auto& ratings = d["candidates"][0]["safetyRatings"];
  ASSERT_EQ(ratings.Size(), 4u);
  EXPECT_TRUE(ratings[3]["blocked"].GetBool());
  EXPECT_EQ(d["candidates"][0]["content"]["parts"].Size(), 1u);
}

TEST(GeminiSynthetic, PromptBlocked) {
  const Synth s = synth("prompt-blocked.yaml");
  const NormalizedOutput& o = out0(s.r);
  EXPECT_EQ(o.text, "");
  EXPECT_TRUE(o.tool_calls.empty());
  EXPECT_EQ(o.finish_reason, std::optional<std::string>("PROHIBITED_CONTENT"));
  EXPECT_EQ(s.r.normalized.id, std::optional<std::string>("PrmBlk02"));
  EXPECT_EQ(s.r.normalized.usage.input_tokens, std::optional<uint64_t>(5));
  EXPECT_FALSE(s.r.normalized.usage.output_tokens.has_value());
  EXPECT_EQ(codes(s.r), std::vector<std::string>{"prompt_blocked"});
  must_not(s.r, {D::truncated, D::not_a_generate_content_response});
  EXPECT_EQ(s.r.native_json.find("\"candidates\""), std::string::npos);
  EXPECT_NE(s.r.native_json.find(R"("promptFeedback":{"blockReason":"PROHIBITED_CONTENT"})"), std::string::npos);
}

TEST(GeminiSynthetic, ParallelFunctionCalls) {
  const Synth s = synth("parallel-function-calls.yaml");
  const NormalizedOutput& o = out0(s.r);
  EXPECT_EQ(o.text, "");
  ASSERT_EQ(o.tool_calls.size(), 3u);
  EXPECT_EQ(o.tool_calls[0].name, "get_weather");
  EXPECT_EQ(o.tool_calls[0].arguments, R"({"city":"Oslo"})");
  EXPECT_FALSE(o.tool_calls[0].id.has_value());
  EXPECT_EQ(o.tool_calls[1].name, "get_time");
  EXPECT_EQ(o.tool_calls[1].arguments, R"({"tz":"Europe/Oslo"})");
  EXPECT_FALSE(o.tool_calls[1].id.has_value());
  EXPECT_EQ(o.tool_calls[2].name, "get_weather");
  EXPECT_EQ(o.tool_calls[2].arguments, R"({"city":"Bergen"})");
  EXPECT_EQ(o.tool_calls[2].id, std::optional<std::string>("fc-bergen-3"));
  EXPECT_EQ(o.finish_reason, std::optional<std::string>("STOP"));
  EXPECT_EQ(s.r.normalized.usage.output_tokens, std::optional<uint64_t>(29));
  EXPECT_TRUE(s.r.diagnostics.empty());
  rapidjson::Document d;
  d.Parse(s.r.native_json.c_str());
  const auto& parts = d["candidates"][0]["content"]["parts"];
  ASSERT_EQ(parts.Size(), 3u);
  EXPECT_STREQ(parts[0]["thoughtSignature"].GetString(), "c2lnLW9zbG8=");
  EXPECT_STREQ(d["candidates"][0]["finishMessage"].GetString(), "Model generated function call(s).");
}

TEST(GeminiSynthetic, ErrorObjectMidStream) {
  const Synth s = synth("error-object-mid-stream.yaml");
  EXPECT_EQ(out0(s.r).text, "Once upon a time");
  EXPECT_FALSE(out0(s.r).finish_reason.has_value());
  ASSERT_TRUE(s.r.normalized.error.has_value());
  EXPECT_EQ(s.r.normalized.error->type, "INTERNAL");
  EXPECT_EQ(s.r.normalized.error->message,
            "An internal error has occurred. Please retry or report in "
            "https://developers.generativeai.google/guide/troubleshooting");
  EXPECT_EQ(s.r.normalized.usage.input_tokens, std::optional<uint64_t>(6));
  EXPECT_EQ(s.r.normalized.usage.output_tokens, std::optional<uint64_t>(4));
  EXPECT_EQ(s.r.state, StreamState::errored);
  EXPECT_EQ(codes(s.r), std::vector<std::string>{"provider_error"});
  must_not(s.r, {D::truncated, D::invalid_json});
  EXPECT_TRUE(s.r.failed());
}

TEST(GeminiSynthetic, TruncatedMidEvent) {
  const Synth s = synth("truncated-mid-event.yaml");
  EXPECT_EQ(out0(s.r).text, "Hello wor");
  EXPECT_FALSE(out0(s.r).finish_reason.has_value());
  EXPECT_EQ(s.r.normalized.usage.output_tokens, std::optional<uint64_t>(2));
  EXPECT_EQ(s.r.state, StreamState::truncated);
  must(s.r, {D::truncated, D::incomplete_event});
  must_not(s.r, {D::invalid_json, D::provider_error});
  EXPECT_TRUE(s.r.failed());
}

TEST(GeminiSynthetic, TwoCandidates) {
  const Synth s = synth("two-candidates.yaml");
  EXPECT_EQ(out0(s.r).text, "Deep blue.");
  EXPECT_EQ(out0(s.r).finish_reason, std::optional<std::string>("STOP"));
  EXPECT_EQ(s.r.normalized.usage.output_tokens, std::optional<uint64_t>(6));
  EXPECT_TRUE(s.r.diagnostics.empty());
  rapidjson::Document d;
  d.Parse(s.r.native_json.c_str());
  const auto& c = d["candidates"];
  ASSERT_EQ(c.Size(), 2u);
  EXPECT_EQ(c[1]["index"].GetUint(), 1u);
  EXPECT_STREQ(c[1]["content"]["parts"][0]["text"].GetString(), "Bright yel");
  EXPECT_EQ(c[1]["content"]["parts"].Size(), 1u);
  EXPECT_STREQ(c[1]["finishReason"].GetString(), "MAX_TOKENS");
}

TEST(GeminiSynthetic, ThoughtAndTextSplit) {
  const Synth s = synth("thought-and-text-split.yaml");
  EXPECT_EQ(out0(s.r).reasoning, "**Planning**\n\nOne short line about the city.");
  EXPECT_EQ(utf8_chars(out0(s.r).reasoning), 44u);
  EXPECT_EQ(out0(s.r).text, "Florence smells of caff\xC3\xA8.");
  EXPECT_EQ(utf8_chars(out0(s.r).text), 25u);
  EXPECT_EQ(s.r.normalized.usage.output_tokens, std::optional<uint64_t>(8));
  EXPECT_TRUE(s.r.diagnostics.empty());
  rapidjson::Document d;
  d.Parse(s.r.native_json.c_str());
  const auto& parts = d["candidates"][0]["content"]["parts"];
  ASSERT_EQ(parts.Size(), 2u);
  EXPECT_TRUE(parts[0]["thought"].GetBool());
  EXPECT_FALSE(parts[1].HasMember("thought"));
}

TEST(GeminiSynthetic, VertexTrailingSignature) {
  const Synth s = synth("vertex-trailing-signature.yaml");
  EXPECT_NE(s.it.url.find("/publishers/google/models/gemini-3-flash-preview:streamGenerateContent"),
            std::string::npos);
  EXPECT_EQ(out0(s.r).text, "Hello! How can I help?");
  EXPECT_EQ(out0(s.r).finish_reason, std::optional<std::string>("STOP"));
  EXPECT_EQ(s.r.normalized.model, std::optional<std::string>("gemini-3-flash-preview"));
  EXPECT_EQ(s.r.normalized.usage.input_tokens, std::optional<uint64_t>(3));
  EXPECT_EQ(s.r.normalized.usage.output_tokens, std::optional<uint64_t>(7));
  EXPECT_TRUE(s.r.diagnostics.empty());
  EXPECT_EQ(canon(s.r.native_json),
            canon(R"({"candidates":[{"content":{"parts":[{"text":"Hello! How can I help?",)"
                  R"("thoughtSignature":"U2lnbmVkSGVsbG8="}],"role":"model"},"finishReason":"STOP","index":0}],)"
                  R"("usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":7,"totalTokenCount":10,)"
                  R"("trafficType":"ON_DEMAND"},"modelVersion":"gemini-3-flash-preview",)"
                  R"("createTime":"2026-03-10T14:54:45.066123Z","responseId":"VtxSig08"})"));
}

TEST(GeminiSynthetic, CodeExecution) {
  const Synth s = synth("code-execution.yaml");
  EXPECT_EQ(out0(s.r).text, "Let me compute it.12! is 479001600.");
  EXPECT_TRUE(out0(s.r).tool_calls.empty());
  EXPECT_EQ(s.r.normalized.usage.output_tokens, std::optional<uint64_t>(30));
  EXPECT_TRUE(s.r.diagnostics.empty());
  rapidjson::Document d;
  d.Parse(s.r.native_json.c_str());
  const auto& parts = d["candidates"][0]["content"]["parts"];
  ASSERT_EQ(parts.Size(), 4u);
  EXPECT_STREQ(parts[1]["executableCode"]["language"].GetString(), "PYTHON");
  EXPECT_STREQ(parts[2]["codeExecutionResult"]["output"].GetString(), "479001600\n");
  EXPECT_STREQ(parts[3]["text"].GetString(), "12! is 479001600.");
}

// ---- One case per rule and diagnostic ----

constexpr std::string_view kHi = R"({"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"index":0}]})";
constexpr std::string_view kStop = R"({"candidates":[{"content":{"parts":[{"text":"!"}],"role":"model"},"finishReason":"STOP","index":0}]})";

TEST(GeminiRules, TextFragmentsMergeSignatureClosesThePart) {
  const std::string body = sse({
      R"({"candidates":[{"content":{"parts":[{"text":"a"},{"text":"b"}],"role":"model"}}]})",
      R"({"candidates":[{"content":{"parts":[{"text":"","thoughtSignature":"S1"}]}}]})",
      R"({"candidates":[{"content":{"parts":[{"text":"c"},{"text":"d","thought":true},{"text":"e","thought":true,"thoughtSignature":"S2"},{"text":"f","thought":true}]},"finishReason":"STOP"}]})",
  });
  const AssemblyReport r = run(body).report;
  EXPECT_TRUE(r.diagnostics.empty());
  EXPECT_EQ(out0(r).text, "abc");
  EXPECT_EQ(out0(r).reasoning, "def");
  EXPECT_EQ(canon(r.native_json),
            canon(R"({"candidates":[{"content":{"parts":[{"text":"ab","thoughtSignature":"S1"},{"text":"c"},)"
                  R"({"text":"de","thought":true,"thoughtSignature":"S2"},{"text":"f","thought":true}],)"
                  R"("role":"model"},"finishReason":"STOP","index":0}]})"));
  expect_chunking_independent(body);
}

TEST(GeminiRules, PartsWithOtherMembersAreKeptAsSent) {
  const std::string body = sse({
      R"({"candidates":[{"content":{"parts":[{"text":"x","partMetadata":{"k":1}},{"inlineData":{"mimeType":"image/png","data":"iVBO"}},{"text":"y"}]},"finishReason":"STOP"}]})",
  });
  const AssemblyReport r = run(body).report;
  EXPECT_TRUE(r.diagnostics.empty());
  EXPECT_EQ(out0(r).text, "xy");
  EXPECT_NE(r.native_json.find(R"({"text":"x","partMetadata":{"k":1}})"), std::string::npos);
  EXPECT_NE(r.native_json.find(R"({"inlineData":{"mimeType":"image/png","data":"iVBO"}})"), std::string::npos);
}

TEST(GeminiRules, ArgumentsAreCompactJsonOrEmptyObject) {
  const AssemblyReport r = run(sse({
      R"({"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":{ "a" : [1, 2.5, "x"], "b":{} }}},{"functionCall":{"name":"g","args":null}},{"functionCall":{"id":"","name":"h"}}]},"finishReason":"STOP"}]})",
  })).report;
  EXPECT_TRUE(r.diagnostics.empty());
  const NormalizedOutput& o = out0(r);
  ASSERT_EQ(o.tool_calls.size(), 3u);
  EXPECT_EQ(o.tool_calls[0].arguments, R"({"a":[1,2.5,"x"],"b":{}})");
  EXPECT_EQ(o.tool_calls[1].arguments, "{}");
  EXPECT_EQ(o.tool_calls[2].arguments, "{}");
  EXPECT_FALSE(o.tool_calls[2].id.has_value());  // an empty id is no id
}

TEST(GeminiRules, CandidateIndexDefaultsToPosition) {
  const AssemblyReport r = run(sse({
      R"({"candidates":[{"content":{"parts":[{"text":"zero"}]}},{"content":{"parts":[{"text":"one"}]}}]})",
      R"({"candidates":[{"finishReason":"STOP"},{"finishReason":"STOP","index":1}]})",
  })).report;
  EXPECT_TRUE(r.diagnostics.empty());
  EXPECT_EQ(out0(r).text, "zero");
  EXPECT_NE(r.native_json.find(R"({"content":{"parts":[{"text":"one"}]},"finishReason":"STOP","index":1})"),
            std::string::npos);
}

TEST(GeminiRules, CompleteOnlyWhenEveryCandidateStopped) {
  const AssemblyReport r = run(sse({
      R"({"candidates":[{"content":{"parts":[{"text":"a"}]},"finishReason":"STOP","index":0},{"content":{"parts":[{"text":"b"}]},"index":1}]})",
  })).report;
  EXPECT_EQ(codes(r), std::vector<std::string>{"truncated"});
  EXPECT_EQ(r.state, StreamState::truncated);
}

TEST(GeminiRules, EmptyStreamIsTruncatedWithNoOutput) {
  const AssemblyReport r = run("").report;
  EXPECT_EQ(codes(r), std::vector<std::string>{"truncated"});
  EXPECT_TRUE(r.normalized.outputs.empty());
  EXPECT_EQ(r.native_json, "{}");
}

TEST(GeminiRules, ErrorStopsTheStream) {
  const AssemblyReport r = run(sse({std::string(kHi), R"({"error":{"code":429,"message":"Resource exhausted","status":"RESOURCE_EXHAUSTED"}})",
                                    std::string(kStop)}))
                               .report;
  EXPECT_EQ(codes(r), std::vector<std::string>{"provider_error"});
  EXPECT_EQ(r.state, StreamState::errored);
  EXPECT_EQ(out0(r).text, "Hi");  // the chunk after the error is ignored
  EXPECT_EQ(r.normalized.error->type, "RESOURCE_EXHAUSTED");
  EXPECT_NE(r.native_json.find(R"("error":{"code":429,"message":"Resource exhausted","status":"RESOURCE_EXHAUSTED"})"),
            std::string::npos);
  // Without a status the code names the error; a bare string is the message.
  EXPECT_EQ(run(sse({R"({"error":{"code":500}})"})).report.normalized.error->type, "500");
  EXPECT_EQ(run(sse({R"({"error":"boom"})"})).report.normalized.error->message, "boom");
}

TEST(GeminiRules, FirstIdAndModelWin) {
  const AssemblyReport r = run(sse({
      R"({"candidates":[{"content":{"parts":[{"text":"a"}]}}],"modelVersion":"m1","responseId":"r1"})",
      R"({"candidates":[{"finishReason":"STOP"}],"modelVersion":"m2","responseId":"r2"})",
  })).report;
  EXPECT_EQ(codes(r), (std::vector<std::string>{"model_version_changed", "chunk_response_id_changed"}));
  EXPECT_EQ(r.normalized.model, std::optional<std::string>("m1"));
  EXPECT_EQ(r.normalized.id, std::optional<std::string>("r1"));
}

TEST(GeminiCodes, EachCodeFromItsOwnInput) {
  struct Case {
    std::string body;
    std::vector<std::string> codes;
  };
  const std::vector<Case> cases = {
      {sse({kHi, R"({"candidates":[{"content":{"parts":[{"text":"x"}]},"index":500}]})", kStop}),
       {"candidate_index_out_of_range"}},
      {sse({kHi, R"([1,2])", R"({"foo":1})", kStop}),
       {"not_a_generate_content_response", "not_a_generate_content_response"}},
      {sse({kStop, kHi}), {"parts_after_finish_reason"}},
      {sse({R"({"candidates":[{"finishReason":"STOP"}]})", R"({"candidates":[{"finishReason":"RECITATION"}]})"}),
       {"candidate_finish_reason_changed", "abnormal_finish_reason"}},
      {sse({R"({"usageMetadata":{"totalTokenCount":9}})", R"({"candidates":[{"finishReason":"STOP"}],"usageMetadata":{"totalTokenCount":8}})"}),
       {"usage_metadata_decreased"}},
      {sse({R"({"candidates":[{"content":{"parts":[{},{"foo":1}]},"finishReason":"STOP"}]})"}),
       {"part_without_known_field", "part_without_known_field"}},
      {sse({R"({"candidates":[{"content":{"parts":[{"functionCall":{"args":{}}}]},"finishReason":"STOP"}]})"}),
       {"function_call_without_name"}},
      {sse({R"({"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","willContinue":true}}]}}]})",
            R"({"candidates":[{"content":{"parts":[{"functionCall":{"partialArgs":[{"jsonPath":"$.a","stringValue":"x"}],"willContinue":true}}]}}]})",
            R"({"candidates":[{"content":{"parts":[{"functionCall":{}}]},"finishReason":"STOP"}]})"}),
       {"streamed_function_call_arguments"}},
      {sse({R"({"candidates":[{"finishReason":"STOP"}],"responseId":"a"})", R"({"responseId":"b"})"}),
       {"chunk_response_id_changed"}},
      {sse({R"({"modelVersion":"a","candidates":[{"finishReason":"STOP"}]})", R"({"modelVersion":"b"})"}),
       {"model_version_changed"}},
      {sse({R"({"promptFeedback":{"blockReason":"OTHER"}})"}), {"prompt_blocked"}},
      {sse({R"({"candidates":[{"finishReason":"MALFORMED_FUNCTION_CALL"}]})"}), {"abnormal_finish_reason"}},
      {sse({R"({"candidates":[{"finishReason":"MAX_TOKENS"}]})"}), {}},
      {sse({kHi}), {"truncated"}},
      {sse({kHi, R"({"error":{"code":500,"message":"x","status":"INTERNAL"}})"}), {"provider_error"}},
      {"data: " + std::string(kHi) + "\n\nevent: ping\ndata: {}\n\ndata: " + std::string(kStop) + "\n\n",
       {"unexpected_event_type"}},
      {sse({kHi, "{not json", kStop}), {"invalid_json"}},
      {sse({R"({"candidates":{},"modelVersion":5})", kStop}), {"field_type_mismatch", "field_type_mismatch"}},
      {sse({R"({"candidates":[{"content":{"parts":[{"text":"a"}]},"content":{"parts":[{"text":"b"}]},"finishReason":"STOP"}]})"}),
       {"duplicate_key"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    const AssemblyReport r = run(c.body).report;
    EXPECT_EQ(codes(r), c.codes);
    expect_chunking_independent(c.body);
  }
}

TEST(GeminiCodes, DuplicateKeyUsesTheLastValue) {
  const AssemblyReport r = run(sse({
      R"({"candidates":[{"content":{"parts":[{"text":"a","text":"b"}]},"finishReason":"STOP","finishReason":"MAX_TOKENS"}]})",
  })).report;
  EXPECT_EQ(codes(r), (std::vector<std::string>{"duplicate_key", "duplicate_key"}));
  EXPECT_EQ(out0(r).text, "b");
  EXPECT_EQ(out0(r).finish_reason, std::optional<std::string>("MAX_TOKENS"));
}

TEST(GeminiCodes, SeveritiesAndLayer) {
  const std::pair<D, Severity> expected[] = {
      {D::candidate_index_out_of_range, Severity::fatal},   {D::too_many_candidate_parts, Severity::fatal},
      {D::too_many_function_calls, Severity::fatal},        {D::not_a_generate_content_response, Severity::deviation},
      {D::parts_after_finish_reason, Severity::deviation},  {D::candidate_finish_reason_changed, Severity::deviation},
      {D::usage_metadata_decreased, Severity::deviation},   {D::part_without_known_field, Severity::deviation},
      {D::function_call_without_name, Severity::deviation}, {D::streamed_function_call_arguments, Severity::deviation},
      {D::chunk_response_id_changed, Severity::deviation},  {D::model_version_changed, Severity::deviation},
      {D::prompt_blocked, Severity::note},                  {D::abnormal_finish_reason, Severity::note},
  };
  for (const auto& [code, severity] : expected) {
    EXPECT_EQ(info(code).severity, severity) << name(code);
    EXPECT_EQ(info(code).layer, "gemini") << name(code);
  }
}

// ---- Limits ----

TEST(GeminiLimits, CandidatesPartsCallsAndBytes) {
  AssembleOptions o = named();
  o.limits.max_outputs = 2;
  o.limits.max_tool_calls = 1;
  const std::string body = sse({
      R"({"candidates":[{"content":{"parts":[{"text":"a"},{"inlineData":{"data":"x"}},{"inlineData":{"data":"y"}}]},"index":0},{"index":2,"content":{"parts":[{"text":"z"}]}}]})",
      R"({"candidates":[{"content":{"parts":[{"functionCall":{"name":"f"}},{"functionCall":{"name":"g"}}]},"index":1}]})",
      R"({"candidates":[{"index":1,"finishReason":"STOP"},{"index":0,"finishReason":"STOP"}]})",
  });
  const AssemblyReport r = run(body, o).report;
  EXPECT_EQ(codes(r), (std::vector<std::string>{"too_many_candidate_parts", "candidate_index_out_of_range",
                                                "too_many_function_calls"}));
  EXPECT_EQ(out0(r).text, "a");
  EXPECT_TRUE(r.failed());
  expect_chunking_independent(body, o);

  AssembleOptions small = named();
  small.limits.max_assembled_bytes = 5;
  const AssemblyReport t = run(sse({kHi, R"({"candidates":[{"content":{"parts":[{"text":"long text"}]},"finishReason":"STOP"}]})"}), small).report;
  EXPECT_EQ(codes(t), std::vector<std::string>{"assembled_too_large"});
  EXPECT_LE(t.stats.assembled_bytes, 5u);
  EXPECT_EQ(out0(t).text, "Hi");
}

TEST(GeminiLimits, HugeAndNegativeIndices) {
  const AssemblyReport r = run(sse({
      R"({"candidates":[{"index":18446744073709551615,"content":{"parts":[{"text":"x"}]}},{"index":-1,"finishReason":"STOP"},{"index":1.5,"finishReason":"STOP"}]})",
  })).report;
  // The negative and fractional indices fall back to their positions (1 and 2); the
  // skipped candidates are reported once, after the array.
  EXPECT_EQ(codes(r), (std::vector<std::string>{"field_type_mismatch", "field_type_mismatch",
                                                "candidate_index_out_of_range"}));
  EXPECT_TRUE(r.normalized.outputs.empty());  // no candidate 0
}

TEST(GeminiLimits, HostileArraysStayLinearAndQuiet) {
  std::string many = R"({"candidates":[)";
  for (int i = 0; i < 20000; ++i) many += std::string(i ? "," : "") + R"({"index":)" + std::to_string(1000 + i) + "}";
  many += "]}";
  std::string usage = R"({"usageMetadata":{)";
  for (int i = 0; i < 20000; ++i) usage += std::string(i ? "," : "") + "\"k" + std::to_string(i) + "Count\":" + std::to_string(i);
  usage += "}}";
  const AssemblyReport r = run(sse({many, usage, usage, kStop})).report;
  EXPECT_EQ(codes(r), std::vector<std::string>{"candidate_index_out_of_range"});
  EXPECT_NE(r.diagnostics[0].message.find("20000 candidates were skipped"), std::string::npos)
      << r.diagnostics[0].message;
  EXPECT_EQ(r.stats.noise_events, 1u);  // the repeated usage-only chunk
}

TEST(GeminiLimits, DeepJsonIsRefused) {
  std::string deep = R"({"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":{"a":)";
  for (int i = 0; i < 100; ++i) deep += "[";
  for (int i = 0; i < 100; ++i) deep += "]";
  deep += "}}}]}}]}";
  const AssemblyReport r = run(sse({kHi, deep, kStop})).report;
  EXPECT_EQ(codes(r), std::vector<std::string>{"json_too_deep"});
  EXPECT_TRUE(out0(r).tool_calls.empty());
}

// ---- Hostile input: wrong types everywhere, garbage, mutations ----

TEST(GeminiHostile, WrongTypesAreMismatchesNotCrashes) {
  const std::string body = sse({
      R"({"candidates":[7,{"content":[]},{"content":{"parts":{},"role":5}},{"content":{"parts":["x",{"text":5},{"text":"t","thought":"yes"},{"text":"s","thoughtSignature":9},{"functionCall":[]},{"functionCall":{"name":7,"id":9,"args":[1]}}]},"finishReason":3}],"usageMetadata":[],"promptFeedback":"no","responseId":{}})",
      R"({"usageMetadata":{"promptTokenCount":"5","candidatesTokenCount":-1},"promptFeedback":{"blockReason":4},"createTime":1})",
  });
  const AssemblyReport r = run(body).report;
  EXPECT_GE(r.counts.of(D::field_type_mismatch), 15u);
  EXPECT_EQ(r.counts.fatal, 1u);  // truncated: nothing stopped
  EXPECT_TRUE(r.has(D::truncated));
  expect_chunking_independent(body);
}

TEST(GeminiHostile, GarbageAndMutationsNeverCrash) {
  const std::string garbage[] = {
      std::string("\0\xff\xfe garbage\n\ndata: {{{\n\n", 24),
      "data: [DONE]\n\n",
      "data: null\n\ndata: 1e999\n\ndata: \"\"\n\n",
      "data:\n\ndata: {}\n\n:comment\n\nretry: 5\n\n",
      "event: error\ndata: {\"error\":{}}\n\n",
  };
  for (const std::string& g : garbage) {
    SCOPED_TRACE(g);
    expect_chunking_independent(g);
    EXPECT_TRUE(run(g).report.failed());
  }
  // Deterministic byte mutations of every recording, both JSON back ends.
  uint64_t seed = 0x9E3779B97F4A7C15u;
  auto next = [&] {
    seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
    return seed;
  };
  for (const RecordedFact& f : recorded_facts()) {
    const std::string body = interaction(kRecorded + f.file, f.interaction).response_body;
    for (int round = 0; round < 60; ++round) {
      std::string m = body;
      for (int k = 0; k < 1 + round % 5; ++k) m[next() % m.size()] = static_cast<char>(next() & 0xff);
      AssembleOptions fast = named(), rapid = named();
      rapid.json_backend = JsonBackend::rapidjson;
      const std::string a = run(m, fast).json_compact;
      EXPECT_EQ(run(m, rapid).json_compact, a);
      if (round % 20 == 0) {
        std::vector<size_t> every;
        for (size_t i = 1; i < m.size(); ++i) every.push_back(i);
        EXPECT_EQ(assemble(m, every, fast).json_compact, a);
      }
    }
  }
}

// ---- Routes and detection ----

TEST(GeminiInfo, Routes) {
  for (std::string_view url : {
           "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
           "/v1/models/gemini-2.5-pro:streamGenerateContent",
           "/v1beta/tunedModels/my-model-123:streamGenerateContent?alt=sse&key=K",
           "https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/publishers/google/models/"
           "gemini-2.5-flash:streamGenerateContent?alt=sse",
           "https://aiplatform.googleapis.com/v1/publishers/google/models/gemini-2.5-flash:streamGenerateContent",
           "/v1beta1/projects/p/locations/l/endpoints/123:streamGenerateContent?alt=sse",
           "https://gateway.ai.cloudflare.com/v1/acct/gw/google-ai-studio/v1beta/models/gemini-2.0-flash:"
           "streamGenerateContent?alt=sse",
           "/gemini/v1beta/models/gemini-2.5-flash%3AstreamGenerateContent?alt=sse",
       })
    EXPECT_TRUE(kGeminiDialect.matches_request(url)) << url;
  for (std::string_view url : {
           "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent",
           "https://api.openai.com/v1/chat/completions",
           "https://api.anthropic.com/v1/messages",
           "https://api.openai.com/v1/responses",
           "/v1beta/models/:streamGenerateContent",
           "/v1beta/models/x:streamGenerateContent/extra",
           "/search?q=models/x:streamGenerateContent",
           "",
       })
    EXPECT_FALSE(kGeminiDialect.matches_request(url)) << url;
  EXPECT_EQ(find_dialect("gemini"), &kGeminiDialect);
}

Recognition recognize(std::string_view type, std::string_view data) {
  json::EventJson p(JsonBackend::rapidjson);
  json::Value root;
  if (p.parse(data) == json::Status::ok) root = p.root();
  return kGeminiDialect.recognize(type, data, root);
}

TEST(GeminiInfo, RecognizesOnlyItsOwnEvents) {
  EXPECT_EQ(recognize("message", kHi), Recognition::yes);
  EXPECT_EQ(recognize("message", R"({"usageMetadata":{"promptTokenCount":1}})"), Recognition::yes);
  EXPECT_EQ(recognize("message", R"({"promptFeedback":{"blockReason":"SAFETY"}})"), Recognition::yes);
  EXPECT_EQ(recognize("message", R"({"error":{"code":500,"message":"x","status":"INTERNAL"}})"), Recognition::maybe);
  EXPECT_EQ(recognize("message",
                      R"({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[]})"),
            Recognition::no);
  EXPECT_EQ(recognize("message_start", R"({"type":"message_start","message":{"id":"msg_1"}})"), Recognition::no);
  EXPECT_EQ(recognize("message", R"({"type":"message_start","message":{}})"), Recognition::no);
  EXPECT_EQ(recognize("response.created", R"({"type":"response.created","sequence_number":0,"response":{}})"),
            Recognition::no);
  EXPECT_EQ(recognize("message", R"({"type":"response.output_text.delta","sequence_number":3,"delta":"x"})"),
            Recognition::no);
  EXPECT_EQ(recognize("message", R"({"error":{"message":"x","type":"server_error","param":null,"code":null}})"),
            Recognition::no);
  EXPECT_EQ(recognize("message", "[DONE]"), Recognition::no);
  EXPECT_EQ(recognize("ping", kHi), Recognition::no);
  // The lines a Gemini stream starts with are recognised through the registry too.
  EXPECT_EQ(dialect_for_event("message", kHi), &kGeminiDialect);
  EXPECT_EQ(run(sse({kHi, kStop}), named("auto")).report.dialect, "gemini");
}

}  // namespace
}  // namespace ssecheck
