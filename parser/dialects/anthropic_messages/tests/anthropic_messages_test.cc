// anthropic-messages dialect: recordings, every diagnostic code, the native object,
// chunking independence, limits, routes, detection, noise and hostile input.
//
// Every expectation is derived by hand from the Anthropic streaming documentation
// (https://docs.anthropic.com/en/docs/build-with-claude/streaming), the SDK rules quoted
// in messages_dialect.cc, the event bytes written here, or the facts in
// /work/shared/cassettes/README.md (what @anthropic-ai/sdk assembled from the recordings).
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "ssecheck/anthropic_messages/anthropic_messages.h"
#include "ssecheck/assemble.h"
#include "ssecheck/cassette.h"
#include "ssecheck/json/event_json.h"
#include "ssecheck/json/out.h"
#include "ssecheck/registry.h"

namespace ssecheck {
namespace {

// ---- building streams -------------------------------------------------------------

std::string ev(std::string_view type, std::string_view data) {
  return "event: " + std::string(type) + "\ndata: " + std::string(data) + "\n\n";
}

const std::string kStart = ev("message_start",
                              R"({"type":"message_start","message":{"id":"msg_t","type":"message","role":"assistant",)"
                              R"("model":"claude-test","content":[],"stop_reason":null,"stop_sequence":null,)"
                              R"("usage":{"input_tokens":7,"output_tokens":1}}})");
const std::string kStop = ev("message_stop", R"({"type":"message_stop"})");
const std::string kPing = ev("ping", R"({"type": "ping"})");

std::string idx(int i) { return std::to_string(i); }

std::string text_start(int i) {
  return ev("content_block_start",
            R"({"type":"content_block_start","index":)" + idx(i) + R"(,"content_block":{"type":"text","text":""}})");
}
std::string tool_start(int i, std::string_view id, std::string_view name) {
  return ev("content_block_start", R"({"type":"content_block_start","index":)" + idx(i) +
                                       R"(,"content_block":{"type":"tool_use","id":")" + std::string(id) +
                                       R"(","name":")" + std::string(name) + R"(","input":{}}})");
}
std::string thinking_start(int i) {
  return ev("content_block_start", R"({"type":"content_block_start","index":)" + idx(i) +
                                       R"(,"content_block":{"type":"thinking","thinking":"","signature":""}})");
}
// delta_json is the delta object's JSON.
std::string delta(int i, std::string_view delta_json) {
  return ev("content_block_delta",
            R"({"type":"content_block_delta","index":)" + idx(i) + R"(,"delta":)" + std::string(delta_json) + "}");
}
// text is inserted into the JSON as written (escape it yourself).
std::string text_delta(int i, std::string_view text) {
  return delta(i, R"({"type":"text_delta","text":")" + std::string(text) + R"("})");
}
std::string json_delta(int i, std::string_view escaped_partial) {
  return delta(i, R"({"type":"input_json_delta","partial_json":")" + std::string(escaped_partial) + R"("})");
}
std::string block_stop(int i) {
  return ev("content_block_stop", R"({"type":"content_block_stop","index":)" + idx(i) + "}");
}
std::string message_delta(std::string_view reason, int output_tokens) {
  return ev("message_delta", R"({"type":"message_delta","delta":{"stop_reason":")" + std::string(reason) +
                                 R"(","stop_sequence":null},"usage":{"output_tokens":)" + idx(output_tokens) + "}}");
}

// A plain, correct stream: "Hello!" in one text block.
std::string hello_stream() {
  return kStart + text_start(0) + kPing + text_delta(0, "Hello") + text_delta(0, "!") + block_stop(0) +
         message_delta("end_turn", 3) + kStop;
}

AssembleOptions named(DialectLimits limits = {}) {
  AssembleOptions o;
  o.dialect = "anthropic-messages";
  o.limits = limits;
  return o;
}

AssembleResult run(std::string_view body, const AssembleOptions& options = named()) {
  return assemble(body, {}, options);
}

std::vector<std::string> codes(const AssemblyReport& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics) out.emplace_back(name(d.code));
  return out;
}
using Codes = std::vector<std::string>;

const NormalizedOutput& only_output(const AssemblyReport& r) {
  static const NormalizedOutput kNone;
  EXPECT_EQ(r.normalized.outputs.size(), 1u);
  return r.normalized.outputs.empty() ? kNone : r.normalized.outputs[0];
}

std::string compact(std::string_view json_text) {
  json::EventJson p(JsonBackend::rapidjson);
  if (p.parse(json_text) != json::Status::ok) return "<invalid: " + std::string(json_text) + ">";
  return json::to_json(p.root());
}

size_t code_points(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// The report must not depend on how the body is cut: whole, byte by byte, and split
// once at every position.
void expect_chunking_independent(std::string_view body, const AssembleOptions& options = named()) {
  const std::string whole = assemble(body, {}, options).json_compact;
  std::vector<size_t> every;
  for (size_t i = 1; i < body.size(); ++i) every.push_back(i);
  EXPECT_EQ(assemble(body, every, options).json_compact, whole) << "byte by byte";
  for (size_t i = 0; i <= body.size(); ++i) {
    const size_t cut[] = {i};
    const std::string split = assemble(body, cut, options).json_compact;
    if (split != whole) {
      ADD_FAILURE() << "split at " << i << " differs:\n" << split << "\nwhole:\n" << whole;
      return;
    }
  }
}

// ---- the four recordings (facts from /work/shared/cassettes/README.md) ----------------

struct RecordingFact {
  const char* file;
  size_t interaction;
  const char* text_prefix;  // the README's text, without its "..." cut
  size_t text_chars;        // "Text lengths in characters"
  size_t reasoning_chars;
  std::vector<std::pair<std::string, std::string>> tools;  // name, arguments (compact JSON)
  const char* finish;
  uint64_t in, out;
};

const std::vector<RecordingFact>& recording_facts() {
  static const std::vector<RecordingFact> kFacts = {
      {"claude-sonnet-4-multi-tool-streaming.yaml", 0, "I'll add and multiply the numbers 2 and 3 for you.", 50, 0,
       {{"add", R"({"a":2,"b":3})"}, {"multiply", R"({"a":2,"b":3})"}}, "tool_use", 502, 137},
      {"claude-sonnet-4-multi-tool-streaming.yaml", 1, "The results are:\n- 2 + 3 = 5\n- 2 \u00d7 3 = 6", 40, 0, {},
       "end_turn", 700, 31},
      {"claude-sonnet-4-simple-streaming.yaml", 0, "Ol\u00e1! (That's \"hi\" in Portuguese)\n\nYou could also say \"O",
       110, 0, {}, "end_turn", 16, 38},
      {"claude-sonnet-4-tool-streaming.yaml", 0, "I'll get the weather information for Florence, Italy for ", 61, 0,
       {{"weather", R"({"location":"Florence,Italy"})"}}, "tool_use", 394, 67},
      {"claude-sonnet-4-tool-streaming.yaml", 1, "The current weather in Florence, Italy shows a temperatur", 170, 0, {},
       "end_turn", 476, 46},
      {"claude-sonnet-4-thinking-streaming.yaml", 0, "", 0, 301, {{"weather", R"({"location":"Florence, Italy"})"}},
       "tool_use", 424, 119},
      {"claude-sonnet-4-thinking-streaming.yaml", 1, "The current weather in Florence, Italy is 40\u00b0C (104\u00b0F). T",
       202, 0, {}, "end_turn", 558, 51},
  };
  return kFacts;
}

std::string recorded_body(const char* file, size_t interaction) {
  const CassetteResult c =
      load_cassette_file(std::string(SSECHECK_CORPUS_DIR "/cassettes/anthropic_messages/") + file);
  EXPECT_TRUE(c.ok()) << c.message;
  if (!c.ok() || interaction >= c.cassette.interactions.size()) return {};
  EXPECT_EQ(c.cassette.interactions[interaction].url, "https://api.anthropic.com/v1/messages");
  return c.cassette.interactions[interaction].response_body;
}

TEST(AnthropicRecordings, MatchTheSdkFacts) {
  for (const RecordingFact& f : recording_facts()) {
    SCOPED_TRACE(std::string(f.file) + "#" + std::to_string(f.interaction));
    const std::string body = recorded_body(f.file, f.interaction);
    ASSERT_FALSE(body.empty());
    const AssemblyReport r = run(body).report;
    EXPECT_EQ(r.counts.fatal, 0u);
    EXPECT_EQ(r.counts.deviation, 0u);
    EXPECT_EQ(r.counts.note, 0u);
    EXPECT_EQ(r.state, StreamState::done);
    EXPECT_TRUE(r.stats.terminator_seen);
    EXPECT_EQ(r.stats.noise_events, 1u);  // each recording has one ping
    const NormalizedOutput& o = only_output(r);
    EXPECT_EQ(o.text.substr(0, std::string_view(f.text_prefix).size()), f.text_prefix);
    EXPECT_EQ(code_points(o.text), f.text_chars);
    EXPECT_EQ(code_points(o.reasoning), f.reasoning_chars);
    EXPECT_EQ(o.refusal, "");
    ASSERT_EQ(o.tool_calls.size(), f.tools.size());
    for (size_t i = 0; i < f.tools.size(); ++i) {
      EXPECT_EQ(o.tool_calls[i].name, f.tools[i].first);
      EXPECT_EQ(compact(o.tool_calls[i].arguments), f.tools[i].second);
      ASSERT_TRUE(o.tool_calls[i].id.has_value());
      EXPECT_EQ(o.tool_calls[i].id->substr(0, 6), "toolu_");
    }
    EXPECT_EQ(o.finish_reason, f.finish);
    EXPECT_EQ(r.normalized.usage.input_tokens, f.in);
    EXPECT_EQ(r.normalized.usage.output_tokens, f.out);
    EXPECT_EQ(r.normalized.model, "claude-sonnet-4-20250514");
    ASSERT_TRUE(r.normalized.id.has_value());
    EXPECT_EQ(r.normalized.id->substr(0, 4), "msg_");
    EXPECT_FALSE(r.normalized.error.has_value());
  }
}

TEST(AnthropicRecordings, ThinkingTextAndSignatureMatchTheNextRequest) {
  // Interaction 1's request sends interaction 0's assistant turn back, as the SDK
  // assembled it: the thinking text, its signature and the tool input.
  const CassetteResult c =
      load_cassette_file(SSECHECK_CORPUS_DIR "/cassettes/anthropic_messages/claude-sonnet-4-thinking-streaming.yaml");
  ASSERT_TRUE(c.ok()) << c.message;
  ASSERT_EQ(c.cassette.interactions.size(), 2u);
  const AssemblyReport r = run(c.cassette.interactions[0].response_body).report;
  json::EventJson req(JsonBackend::rapidjson);
  ASSERT_EQ(req.parse(c.cassette.interactions[1].request_body), json::Status::ok);
  const json::Value sent = req.root()["messages"];
  ASSERT_TRUE(sent.is_array());
  json::Value assistant;
  sent.each_element([&](const json::Value& m) {
    if (m["role"].string_or() == "assistant") assistant = m;
  });
  ASSERT_TRUE(assistant.is_object());
  std::string thinking, signature;
  assistant["content"].each_element([&](const json::Value& b) {
    if (b["type"].string_or() == "thinking") {
      thinking = std::string(b["thinking"].string_or());
      signature = std::string(b["signature"].string_or());
    }
  });
  EXPECT_EQ(only_output(r).reasoning, thinking);
  EXPECT_EQ(code_points(thinking), 301u);
  // The native message carries the same signature (signature_delta replaces "").
  EXPECT_NE(r.native_json.find("\"signature\":\"" + signature + "\""), std::string::npos);
}

TEST(AnthropicRecordings, NativeMessageHasTheSdkShape) {
  const std::string body = recorded_body("claude-sonnet-4-tool-streaming.yaml", 0);
  const AssemblyReport r = run(body).report;
  json::EventJson p(JsonBackend::rapidjson);
  ASSERT_EQ(p.parse(r.native_json), json::Status::ok) << r.native_json;
  const json::Value m = p.root();
  EXPECT_EQ(m["type"].string_or(), "message");
  EXPECT_EQ(m["role"].string_or(), "assistant");
  EXPECT_EQ(m["stop_reason"].string_or(), "tool_use");
  EXPECT_TRUE(m["stop_sequence"].is_null());
  // usage: message_start's fields, with message_delta's output_tokens (67) and the
  // non-null input/cache counts copied over; service_tier stays from message_start.
  EXPECT_EQ(m["usage"]["output_tokens"].uint64(), 67u);
  EXPECT_EQ(m["usage"]["input_tokens"].uint64(), 394u);
  EXPECT_EQ(m["usage"]["service_tier"].string_or(), "standard");
  ASSERT_EQ(m["content"].size(), 2u);
  std::vector<json::Value> blocks;
  m["content"].each_element([&](const json::Value& b) { blocks.push_back(b); });
  EXPECT_EQ(blocks[0]["type"].string_or(), "text");
  EXPECT_EQ(blocks[1]["type"].string_or(), "tool_use");
  EXPECT_EQ(blocks[1]["name"].string_or(), "weather");
  EXPECT_EQ(json::to_json(blocks[1]["input"]), R"({"location":"Florence,Italy"})");
  EXPECT_EQ(json::to_json(blocks[1]["caller"]), R"({"type":"direct"})");  // kept as sent
}

TEST(AnthropicRecordings, ChunkingIndependent) {
  for (const RecordingFact& f : recording_facts()) {
    SCOPED_TRACE(std::string(f.file) + "#" + std::to_string(f.interaction));
    expect_chunking_independent(recorded_body(f.file, f.interaction));
  }
}

TEST(AnthropicRecordings, DetectedByUrlAndByFirstEvent) {
  const DialectInfo* by_url = dialect_for_request("https://api.anthropic.com/v1/messages");
  ASSERT_NE(by_url, nullptr);
  EXPECT_EQ(by_url->name, "anthropic-messages");
  const std::string body = recorded_body("claude-sonnet-4-simple-streaming.yaml", 0);
  AssembleOptions automatic;
  automatic.dialect = "auto";
  const AssemblyReport r = assemble(body, {}, automatic).report;
  EXPECT_EQ(r.dialect, "anthropic-messages");
  EXPECT_EQ(r.counts.note + r.counts.deviation + r.counts.fatal, 0u);
  EXPECT_EQ(only_output(r).finish_reason, "end_turn");
}

// ---- the synthetic cassettes (facts from corpus/cassettes/synthetic/anthropic_messages/EXPECTED.md) ----

AssemblyReport synthetic(const char* file) {
  const CassetteResult c =
      load_cassette_file(std::string(SSECHECK_CORPUS_DIR "/cassettes/synthetic/anthropic_messages/") + file);
  EXPECT_TRUE(c.ok()) << c.message;
  if (!c.ok() || c.cassette.interactions.size() != 1) return {};
  const Interaction& i = c.cassette.interactions[0];
  EXPECT_EQ(i.url, "https://api.anthropic.com/v1/messages");
  EXPECT_EQ(i.body_kind, BodyKind::event_stream);
  // Found by its URL, as the CLI does.
  const DialectInfo* d = dialect_for_request(i.url);
  EXPECT_TRUE(d && d->name == "anthropic-messages");
  expect_chunking_independent(i.response_body);
  return run(i.response_body).report;
}

TEST(AnthropicSynthetic, OverloadedErrorMidStream) {
  const AssemblyReport r = synthetic("overloaded-error-mid-stream.yaml");
  EXPECT_EQ(r.normalized.id, "msg_synthErr01");
  EXPECT_EQ(only_output(r).text, "Once upon a time");
  EXPECT_EQ(only_output(r).finish_reason, std::nullopt);
  EXPECT_EQ(r.normalized.usage.input_tokens, 21u);
  EXPECT_EQ(r.normalized.usage.output_tokens, 1u);
  ASSERT_TRUE(r.normalized.error.has_value());
  EXPECT_EQ(r.normalized.error->type, "overloaded_error");
  EXPECT_EQ(r.normalized.error->message, "Overloaded");
  EXPECT_EQ(r.state, StreamState::errored);
  EXPECT_EQ(codes(r), Codes{"provider_error"});
}

TEST(AnthropicSynthetic, ParallelToolCallsSplitJson) {
  const AssemblyReport r = synthetic("parallel-tool-calls-split-json.yaml");
  EXPECT_EQ(r.normalized.id, "msg_synthPar02");
  const NormalizedOutput& o = only_output(r);
  EXPECT_EQ(o.text, "Checking both cities.");
  ASSERT_EQ(o.tool_calls.size(), 2u);
  EXPECT_EQ(o.tool_calls[0].id, "toolu_synthA1");
  EXPECT_EQ(o.tool_calls[0].name, "get_weather");
  EXPECT_EQ(o.tool_calls[0].arguments, R"({"city": "Z\u00fcrich", "unit": "celsius"})");
  EXPECT_EQ(compact(o.tool_calls[0].arguments), "{\"city\":\"Z\xC3\xBCrich\",\"unit\":\"celsius\"}");
  EXPECT_EQ(o.tool_calls[1].id, "toolu_synthB2");
  EXPECT_EQ(o.tool_calls[1].arguments, "{\"city\": \"K\xC3\xB8" "benhavn\", \"note\": \"\\ud83c\\udf27\"}");
  EXPECT_EQ(compact(o.tool_calls[1].arguments), "{\"city\":\"K\xC3\xB8" "benhavn\",\"note\":\"\xF0\x9F\x8C\xA7\"}");
  EXPECT_EQ(o.finish_reason, "tool_use");
  EXPECT_EQ(r.normalized.usage.input_tokens, 412u);
  EXPECT_EQ(r.normalized.usage.output_tokens, 96u);
  EXPECT_EQ(codes(r), Codes{});
}

TEST(AnthropicSynthetic, TruncatedMidEvent) {
  const AssemblyReport r = synthetic("truncated-mid-event.yaml");
  EXPECT_EQ(r.normalized.id, "msg_synthTrunc03");
  EXPECT_EQ(only_output(r).text, "The answer is");
  EXPECT_EQ(only_output(r).finish_reason, std::nullopt);
  EXPECT_EQ(r.normalized.usage.input_tokens, 18u);
  EXPECT_EQ(r.state, StreamState::truncated);
  EXPECT_EQ(codes(r), (Codes{"incomplete_event", "truncated"}));
}

TEST(AnthropicSynthetic, DeltaForUnknownIndex) {
  const AssemblyReport r = synthetic("delta-for-unknown-index.yaml");
  EXPECT_EQ(only_output(r).text, "Hello world");
  EXPECT_EQ(only_output(r).finish_reason, "end_turn");
  EXPECT_EQ(r.normalized.usage.output_tokens, 4u);
  EXPECT_EQ(codes(r), Codes{"delta_for_unknown_block"});
}

TEST(AnthropicSynthetic, InvalidToolInputJson) {
  const AssemblyReport r = synthetic("invalid-tool-input-json.yaml");
  const NormalizedOutput& o = only_output(r);
  EXPECT_EQ(o.text, "");
  ASSERT_EQ(o.tool_calls.size(), 1u);
  EXPECT_EQ(o.tool_calls[0].id, "toolu_synthBad5");
  EXPECT_EQ(o.tool_calls[0].name, "lookup");
  EXPECT_EQ(o.tool_calls[0].arguments, R"({"query": "ssecheck", "limit": })");
  EXPECT_EQ(o.finish_reason, "tool_use");
  EXPECT_EQ(r.normalized.usage.input_tokens, 330u);
  EXPECT_EQ(r.normalized.usage.output_tokens, 22u);
  EXPECT_EQ(codes(r), Codes{"tool_arguments_invalid_json"});
  EXPECT_EQ(r.diagnostics.at(0).event_index, 5u);
}

TEST(AnthropicSynthetic, MissingMessageStop) {
  const AssemblyReport r = synthetic("missing-message-stop.yaml");
  EXPECT_EQ(only_output(r).text, "Done.");
  EXPECT_EQ(only_output(r).finish_reason, "end_turn");
  EXPECT_EQ(r.normalized.usage.input_tokens, 14u);
  EXPECT_EQ(r.normalized.usage.output_tokens, 3u);
  EXPECT_EQ(r.state, StreamState::finished);
  EXPECT_EQ(codes(r), Codes{"message_stop_missing"});
}

TEST(AnthropicSynthetic, RefusalStopReason) {
  const AssemblyReport r = synthetic("refusal-stop-reason.yaml");
  EXPECT_EQ(only_output(r).text, "I can't help with that.");
  EXPECT_EQ(only_output(r).refusal, "");
  EXPECT_EQ(only_output(r).finish_reason, "refusal");
  EXPECT_EQ(r.normalized.usage.output_tokens, 7u);
  EXPECT_EQ(codes(r), Codes{});
}

TEST(AnthropicSynthetic, CitationsDelta) {
  const AssemblyReport r = synthetic("citations-delta.yaml");
  EXPECT_EQ(only_output(r).text, "According to the handbook, you get 25 days of paid vacation.");
  EXPECT_EQ(only_output(r).finish_reason, "end_turn");
  EXPECT_EQ(r.normalized.usage.input_tokens, 610u);
  EXPECT_EQ(r.normalized.usage.output_tokens, 19u);
  EXPECT_EQ(codes(r), Codes{});
  json::EventJson p(JsonBackend::rapidjson);
  ASSERT_EQ(p.parse(r.native_json), json::Status::ok);
  std::vector<json::Value> blocks;
  p.root()["content"].each_element([&](const json::Value& b) { blocks.push_back(b); });
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_TRUE(blocks[0]["citations"].absent());
  EXPECT_TRUE(blocks[2]["citations"].absent());
  ASSERT_EQ(blocks[1]["citations"].size(), 1u);
  json::Value cite;
  blocks[1]["citations"].each_element([&](const json::Value& c) { cite = c; });
  EXPECT_EQ(cite["type"].string_or(), "char_location");
  EXPECT_EQ(cite["cited_text"].string_or(), "Employees get 25 days of paid vacation.");
  EXPECT_EQ(cite["end_char_index"].uint64(), 39u);
}

TEST(AnthropicSynthetic, RedactedThinkingSignature) {
  const AssemblyReport r = synthetic("redacted-thinking-signature.yaml");
  EXPECT_EQ(only_output(r).reasoning, "The user wants 2+2. That is 4.");
  EXPECT_EQ(only_output(r).text, "4");
  EXPECT_EQ(only_output(r).finish_reason, "end_turn");
  EXPECT_EQ(r.normalized.usage.input_tokens, 40u);
  EXPECT_EQ(r.normalized.usage.output_tokens, 35u);
  EXPECT_EQ(codes(r), Codes{});
  EXPECT_NE(r.native_json.find(R"({"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj"},)"
                                  R"({"type":"thinking","thinking":"The user wants 2+2. That is 4.","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"},)"
                                  R"({"type":"text","text":"4"}])"),
            std::string::npos)
      << r.native_json;
}

// ---- a correct stream and the native object ---------------------------------------------

TEST(AnthropicStream, PlainTextStream) {
  const AssemblyReport r = run(hello_stream()).report;
  EXPECT_EQ(codes(r), Codes{});
  EXPECT_EQ(r.state, StreamState::done);
  EXPECT_EQ(normalized_to_json(r.normalized),
            R"({"dialect":"anthropic-messages","id":"msg_t","model":"claude-test","outputs":[{"index":0,"text":"Hello!",)"
            R"("reasoning":"","refusal":"","tool_calls":[],"finish_reason":"end_turn"}],)"
            R"("usage":{"input_tokens":7,"output_tokens":3},"error":null})");
  EXPECT_EQ(r.native_json,
            R"({"id":"msg_t","type":"message","role":"assistant","model":"claude-test",)"
            R"("content":[{"type":"text","text":"Hello!"}],"stop_reason":"end_turn","stop_sequence":null,)"
            R"("usage":{"input_tokens":7,"output_tokens":3}})");
  EXPECT_EQ(r.stats.noise_events, 1u);
  EXPECT_EQ(r.stats.data_chunks, 7u);  // 8 events, the ping is noise
  EXPECT_EQ(r.stats.events, 8u);
  EXPECT_TRUE(r.stats.terminator_seen);
}

TEST(AnthropicStream, NativeObjectFieldForField) {
  // thinking + signature, text + citation (the start had no citations key: appended),
  // tool_use input parsed, redacted_thinking and web_search_tool_result kept as sent,
  // a server_tool_use block, usage merged as MessageStream does.
  const std::string body =
      kStart + thinking_start(0) + delta(0, R"({"type":"thinking_delta","thinking":"Hm"})") +
      delta(0, R"({"type":"signature_delta","signature":"sig"})") + block_stop(0) + text_start(1) +
      text_delta(1, "Hi") +
      delta(1, R"({"type":"citations_delta","citation":{"type":"char_location","cited_text":"x","document_index":0,"start_char_index":0,"end_char_index":1}})") +
      text_delta(1, "!") + block_stop(1) + tool_start(2, "toolu_1", "f") + json_delta(2, R"({\"a\": 1})") +
      block_stop(2) +
      ev("content_block_start", R"({"type":"content_block_start","index":3,"content_block":{"type":"redacted_thinking","data":"abc"}})") +
      block_stop(3) +
      ev("content_block_start", R"({"type":"content_block_start","index":4,"content_block":{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}})") +
      json_delta(4, R"({\"query\":\"q\"})") + block_stop(4) +
      ev("content_block_start", R"({"type":"content_block_start","index":5,"content_block":{"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[{"type":"web_search_result","url":"u"}]}})") +
      block_stop(5) +
      ev("message_delta",
         R"({"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":9,"cache_read_input_tokens":null,"output_tokens":20,"server_tool_use":{"web_search_requests":1},"other":5}})") +
      kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{});
  EXPECT_EQ(r.native_json,
            R"({"id":"msg_t","type":"message","role":"assistant","model":"claude-test","content":[)"
            R"({"type":"thinking","thinking":"Hm","signature":"sig"},)"
            R"({"type":"text","text":"Hi!","citations":[{"type":"char_location","cited_text":"x","document_index":0,"start_char_index":0,"end_char_index":1}]},)"
            R"({"type":"tool_use","id":"toolu_1","name":"f","input":{"a":1}},)"
            R"({"type":"redacted_thinking","data":"abc"},)"
            R"({"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"q"}},)"
            R"({"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[{"type":"web_search_result","url":"u"}]}],)"
            R"("stop_reason":"tool_use","stop_sequence":null,)"
            R"("usage":{"input_tokens":9,"output_tokens":20,"server_tool_use":{"web_search_requests":1}}})");
  const NormalizedOutput& o = only_output(r);
  EXPECT_EQ(o.text, "Hi!");
  EXPECT_EQ(o.reasoning, "Hm");
  ASSERT_EQ(o.tool_calls.size(), 2u);
  EXPECT_EQ(o.tool_calls[0].id, "toolu_1");
  EXPECT_EQ(o.tool_calls[0].name, "f");
  EXPECT_EQ(o.tool_calls[0].arguments, R"({"a": 1})");  // the assembled text, as sent
  EXPECT_EQ(o.tool_calls[1].id, "srvtoolu_1");
  EXPECT_EQ(o.tool_calls[1].name, "web_search");
  EXPECT_EQ(o.tool_calls[1].arguments, R"({"query":"q"})");
  EXPECT_EQ(r.normalized.usage.input_tokens, 9u);
  EXPECT_EQ(r.normalized.usage.output_tokens, 20u);
  expect_chunking_independent(body);
}

TEST(AnthropicStream, KeyOrderAndDuplicateKeysFollowJavaScript) {
  // message_start without stop_sequence: message_delta's stop_sequence is appended at
  // the end; a repeated key keeps its first position with the last value.
  const std::string body =
      ev("message_start",
         R"({"type":"message_start","message":{"model":"m","id":"a","id":"b","content":[],"stop_reason":null,"usage":{"output_tokens":1}}})") +
      ev("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":"##"},"usage":{"output_tokens":2}})") +
      kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(r.native_json,
            R"({"model":"m","id":"b","content":[],"stop_reason":"end_turn","usage":{"output_tokens":2},"stop_sequence":"##"})");
  EXPECT_EQ(r.normalized.id, "b");
}

TEST(AnthropicStream, EmptyToolInputMeansEmptyObject) {
  const std::string body = kStart + tool_start(0, "toolu_e", "noargs") + json_delta(0, "") + block_stop(0) +
                           message_delta("tool_use", 5) + kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{});
  ASSERT_EQ(only_output(r).tool_calls.size(), 1u);
  EXPECT_EQ(only_output(r).tool_calls[0].arguments, "{}");
  EXPECT_NE(r.native_json.find(R"({"type":"tool_use","id":"toolu_e","name":"noargs","input":{}})"), std::string::npos);
}

TEST(AnthropicStream, ToolInputSplitInsideEscapes) {
  // {"city": "Z\u00fcrich", "e": "\ud83d\ude00"} cut inside both \u escapes.
  const std::string body = kStart + tool_start(0, "toolu_z", "where") + json_delta(0, R"({\"city\": \"Z\\u00)") +
                           json_delta(0, R"(fcrich\", \"e\": \"\\ud83d\\u)") + json_delta(0, R"(de00\"})") +
                           block_stop(0) + message_delta("tool_use", 9) + kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{});
  ASSERT_EQ(only_output(r).tool_calls.size(), 1u);
  EXPECT_EQ(only_output(r).tool_calls[0].arguments, R"({"city": "Z\u00fcrich", "e": "\ud83d\ude00"})");
  EXPECT_NE(r.native_json.find("\"input\":{\"city\":\"Z\xC3\xBCrich\",\"e\":\"\xF0\x9F\x98\x80\"}"), std::string::npos)
      << r.native_json;
  expect_chunking_independent(body);
}

TEST(AnthropicStream, RefusalIsAFinishReason) {
  const std::string body = kStart + text_start(0) + text_delta(0, "I can't") + block_stop(0) +
                           message_delta("refusal", 4) + kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{});
  EXPECT_EQ(only_output(r).finish_reason, "refusal");
  EXPECT_EQ(only_output(r).refusal, "");
  EXPECT_EQ(only_output(r).text, "I can't");
  // stop_details (newer API versions) arrives on message_delta and is appended to the
  // message (message_start had no such key), as newer SDKs copy it when non-null.
  const std::string details =
      kStart + ev("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"refusal","stop_sequence":null,"stop_details":{"type":"refusal","category":"cyber"}},"usage":{"output_tokens":2}})") +
      kStop;
  const AssemblyReport d = run(details).report;
  EXPECT_EQ(codes(d), Codes{});
  EXPECT_EQ(d.native_json,
            R"({"id":"msg_t","type":"message","role":"assistant","model":"claude-test","content":[],)"
            R"("stop_reason":"refusal","stop_sequence":null,"usage":{"input_tokens":7,"output_tokens":2},)"
            R"("stop_details":{"type":"refusal","category":"cyber"}})");
}

TEST(AnthropicStream, RedactedThinkingIsNotReasoning) {
  const std::string body =
      kStart + ev("content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"redacted_thinking","data":"EmwK"}})") +
      block_stop(0) + thinking_start(1) + delta(1, R"({"type":"thinking_delta","thinking":"visible"})") +
      delta(1, R"({"type":"signature_delta","signature":"s1"})") +
      delta(1, R"({"type":"signature_delta","signature":"s2"})") + block_stop(1) + message_delta("end_turn", 2) + kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{});
  EXPECT_EQ(only_output(r).reasoning, "visible");
  // signature_delta replaces (s2), it does not append.
  EXPECT_NE(r.native_json.find(R"([{"type":"redacted_thinking","data":"EmwK"},{"type":"thinking","thinking":"visible","signature":"s2"}])"),
            std::string::npos)
      << r.native_json;
}

TEST(AnthropicStream, UsageInputTokensFromMessageDeltaWhenPresent) {
  const std::string body =
      kStart + ev("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":70,"output_tokens":3}})") +
      kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{});
  EXPECT_EQ(r.normalized.usage.input_tokens, 70u);
  EXPECT_EQ(r.normalized.usage.output_tokens, 3u);
  // No content block: one output with nothing in it.
  EXPECT_EQ(only_output(r).text, "");
}

// ---- every diagnostic code --------------------------------------------------------------

TEST(AnthropicDiagnostics, SseEventNameMismatchUsesTheDataType) {
  const std::string body = kStart + text_start(0) +
                           "event: content_block_start\ndata: " +
                           R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}})" +
                           "\n\n" + block_stop(0) + message_delta("end_turn", 2) + kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{"sse_event_name_mismatch"});
  EXPECT_EQ(only_output(r).text, "x");
}

// "Each server-sent event includes a named event type and associated JSON data"
// (Anthropic's streaming docs), and @anthropic-ai/sdk dispatches on that name: data-only
// events are dropped there. So a stream without names deviates, once, and still assembles.
TEST(AnthropicDiagnostics, SseEventNameMissingIsADeviationReportedOnce) {
  std::string body;
  for (const std::string& e : {kStart, text_start(0), text_delta(0, "a"), block_stop(0), message_delta("end_turn", 2), kStop})
    body += e.substr(e.find('\n') + 1);  // drop the event: line
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{"sse_event_name_missing"});
  EXPECT_EQ(r.counts.deviation, 1u);
  EXPECT_EQ(r.counts.note, 0u);
  EXPECT_EQ(only_output(r).text, "a");
  EXPECT_EQ(r.state, StreamState::done);
}

TEST(AnthropicDiagnostics, EventDataTypeMissingFallsBackToTheName) {
  const std::string body = hello_stream().substr(0, hello_stream().size() - kStop.size()) + ev("message_stop", "{}");
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{"event_data_type_missing"});
  EXPECT_EQ(r.state, StreamState::done);
}

TEST(AnthropicDiagnostics, EventDataNotObject) {
  const std::string body = kStart + ev("content_block_delta", "[1,2]") + message_delta("end_turn", 2) + kStop;
  EXPECT_EQ(codes(run(body).report), Codes{"event_data_not_object"});
}

TEST(AnthropicDiagnostics, EventBeforeMessageStart) {
  const std::string body = text_start(0) + hello_stream();
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{"event_before_message_start"});
  EXPECT_EQ(only_output(r).text, "Hello!");
}

TEST(AnthropicDiagnostics, MessageStartRepeated) {
  const std::string body = kStart + kStart + text_start(0) + text_delta(0, "a") + block_stop(0) +
                           message_delta("end_turn", 2) + kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{"message_start_repeated"});
  EXPECT_EQ(only_output(r).text, "a");
}

TEST(AnthropicDiagnostics, EventAfterStreamEnd) {
  // A delta and a "[DONE]" (not JSON: it is not parsed after message_stop) are ignored;
  // a ping is only noise.
  const std::string body = hello_stream() + kPing + text_delta(0, "late") + "data: [DONE]\n\n";
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), (Codes{"event_after_stream_end", "event_after_stream_end"}));
  EXPECT_EQ(only_output(r).text, "Hello!");
  EXPECT_EQ(r.stats.noise_events, 2u);
  EXPECT_EQ(r.state, StreamState::done);
}

TEST(AnthropicDiagnostics, ContentBlockIndexOutOfRangeOnce) {
  DialectLimits l;
  l.max_outputs = 2;
  const std::string body = kStart + text_start(0) + text_delta(0, "a") + block_stop(0) + text_start(2) +
                           text_delta(2, "b") + block_stop(2) + message_delta("end_turn", 2) + kStop;
  const AssemblyReport r = run(body, named(l)).report;
  EXPECT_EQ(codes(r), Codes{"content_block_index_out_of_range"});
  EXPECT_EQ(only_output(r).text, "a");
  EXPECT_TRUE(r.failed());
  expect_chunking_independent(body, named(l));
}

TEST(AnthropicDiagnostics, ToolBlockLimitExceeded) {
  DialectLimits l;
  l.max_tool_calls = 1;
  const std::string body = kStart + tool_start(0, "t0", "a") + json_delta(0, "{}") + block_stop(0) +
                           tool_start(1, "t1", "b") + json_delta(1, "{}") + block_stop(1) + text_start(2) +
                           text_delta(2, "after") + block_stop(2) + message_delta("tool_use", 2) + kStop;
  const AssemblyReport r = run(body, named(l)).report;
  EXPECT_EQ(codes(r), Codes{"tool_block_limit_exceeded"});
  ASSERT_EQ(only_output(r).tool_calls.size(), 1u);
  EXPECT_EQ(only_output(r).tool_calls[0].name, "a");
  EXPECT_EQ(only_output(r).text, "after");
}

TEST(AnthropicDiagnostics, BlockIndexOutOfOrder) {
  const std::string body = kStart + text_start(1) + text_delta(1, "a") + block_stop(1) + text_start(0) +
                           text_delta(0, "b") + block_stop(0) + message_delta("end_turn", 2) + kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), (Codes{"block_index_out_of_order", "block_index_out_of_order"}));
  EXPECT_EQ(only_output(r).text, "ab");  // start order, as the SDK pushes
}

TEST(AnthropicDiagnostics, BlockStartRepeated) {
  const std::string body = kStart + text_start(0) + text_delta(0, "a") + text_start(0) + text_delta(0, "b") +
                           block_stop(0) + message_delta("end_turn", 2) + kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{"block_start_repeated"});
  EXPECT_EQ(only_output(r).text, "ab");
}

TEST(AnthropicDiagnostics, DeltaForUnknownBlock) {
  const std::string body = kStart + text_start(0) + text_delta(0, "a") + text_delta(5, "zzz") + block_stop(0) +
                           message_delta("end_turn", 2) + kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{"delta_for_unknown_block"});
  EXPECT_EQ(only_output(r).text, "a");
}

TEST(AnthropicDiagnostics, DeltaAfterBlockStop) {
  const std::string body = kStart + text_start(0) + text_delta(0, "a") + block_stop(0) + text_delta(0, "b") +
                           message_delta("end_turn", 2) + kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{"delta_after_block_stop"});
  EXPECT_EQ(only_output(r).text, "a");
}

TEST(AnthropicDiagnostics, StopForUnknownBlock) {
  const std::string body = kStart + text_start(0) + block_stop(0) + block_stop(0) + block_stop(3) +
                           message_delta("end_turn", 2) + kStop;
  EXPECT_EQ(codes(run(body).report), (Codes{"stop_for_unknown_block", "stop_for_unknown_block"}));
}

TEST(AnthropicDiagnostics, BlockStopMissingAtMessageStopStillChecksToolInput) {
  const std::string body = kStart + tool_start(0, "t", "f") + json_delta(0, R"({\"a\":)") +
                           message_delta("tool_use", 2) + kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), (Codes{"block_stop_missing", "tool_arguments_invalid_json"}));
  EXPECT_EQ(r.state, StreamState::done);
}

TEST(AnthropicDiagnostics, DeltaTypeMismatch) {
  const std::string body = kStart + tool_start(0, "t", "f") + text_delta(0, "oops") + json_delta(0, "{}") +
                           block_stop(0) + message_delta("tool_use", 2) + kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{"delta_type_mismatch"});
  EXPECT_EQ(only_output(r).text, "");
  EXPECT_EQ(only_output(r).tool_calls.at(0).arguments, "{}");
}

TEST(AnthropicDiagnostics, DeltaTypeUnknown) {
  const std::string body = kStart + text_start(0) + delta(0, R"({"type":"sparkle_delta","x":1})") +
                           text_delta(0, "a") + block_stop(0) + message_delta("end_turn", 2) + kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{"delta_type_unknown"});
  EXPECT_EQ(only_output(r).text, "a");
}

TEST(AnthropicDiagnostics, ToolInputNotObject) {
  const std::string body = kStart + tool_start(0, "t", "f") + json_delta(0, "[1,2]") + block_stop(0) +
                           message_delta("tool_use", 2) + kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{"tool_input_not_object"});
  EXPECT_NE(r.native_json.find(R"("input":[1,2])"), std::string::npos);
}

TEST(AnthropicDiagnostics, ToolArgumentsInvalidJsonAtBlockStop) {
  const std::string body = kStart + tool_start(0, "t", "f") + json_delta(0, R"({\"a\": 1,)") + block_stop(0) +
                           message_delta("tool_use", 2) + kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{"tool_arguments_invalid_json"});
  EXPECT_TRUE(r.failed());
  EXPECT_EQ(only_output(r).tool_calls.at(0).arguments, R"({"a": 1,)");
  // The native input stays the start's {}.
  EXPECT_NE(r.native_json.find(R"("name":"f","input":{}})"), std::string::npos);
  // Diagnosed at the content_block_stop (event 3, counting from 0).
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].event_index, 3u);
}

TEST(AnthropicDiagnostics, MessageDeltaUsageMissing) {
  const std::string body = kStart + ev("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null}})") + kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{"message_delta_usage_missing"});
  EXPECT_EQ(r.normalized.usage.output_tokens, 1u);  // message_start's, kept
}

TEST(AnthropicDiagnostics, OutputTokensDecreased) {
  const std::string body = kStart + ev("message_delta", R"({"type":"message_delta","delta":{"stop_reason":null},"usage":{"output_tokens":10}})") +
                           message_delta("end_turn", 5) + kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{"output_tokens_decreased"});
  EXPECT_EQ(r.normalized.usage.output_tokens, 5u);  // the last, as the SDK
}

TEST(AnthropicDiagnostics, StopReasonChanged) {
  const std::string body = kStart + message_delta("end_turn", 2) + message_delta("max_tokens", 3) + kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{"stop_reason_changed"});
  EXPECT_EQ(only_output(r).finish_reason, "max_tokens");
}

TEST(AnthropicDiagnostics, StopReasonMissing) {
  const AssemblyReport r = run(kStart + kStop).report;
  EXPECT_EQ(codes(r), Codes{"stop_reason_missing"});
  EXPECT_EQ(r.state, StreamState::done);
  EXPECT_EQ(only_output(r).finish_reason, std::nullopt);
}

TEST(AnthropicDiagnostics, MessageStopMissing) {
  const std::string body = kStart + text_start(0) + text_delta(0, "a") + block_stop(0) + message_delta("end_turn", 2);
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{"message_stop_missing"});
  EXPECT_EQ(r.state, StreamState::finished);
  EXPECT_FALSE(r.failed());
  EXPECT_FALSE(r.stats.terminator_seen);
}

TEST(AnthropicDiagnostics, TruncatedBeforeStopReason) {
  const std::string body = kStart + text_start(0) + text_delta(0, "a");
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{"truncated"});
  EXPECT_EQ(r.state, StreamState::truncated);
  EXPECT_EQ(only_output(r).text, "a");
  const AssemblyReport empty = run("").report;
  EXPECT_EQ(codes(empty), Codes{"truncated"});
  EXPECT_TRUE(empty.normalized.outputs.empty());
  EXPECT_EQ(empty.native_json, "null");
}

TEST(AnthropicDiagnostics, TruncatedMidEvent) {
  // The body ends inside a content_block_delta's data line.
  const std::string whole = kStart + text_start(0) + text_delta(0, "Hel") + text_delta(0, "lo");
  const std::string body = whole.substr(0, whole.size() - 12);
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), (Codes{"incomplete_event", "truncated"}));
  EXPECT_EQ(only_output(r).text, "Hel");
  expect_chunking_independent(body);
}

TEST(AnthropicDiagnostics, ProviderErrorMidStream) {
  const std::string body = kStart + text_start(0) + text_delta(0, "Par") +
                           ev("error", R"({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})");
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{"provider_error"});
  EXPECT_EQ(r.state, StreamState::errored);
  ASSERT_TRUE(r.normalized.error.has_value());
  EXPECT_EQ(r.normalized.error->type, "overloaded_error");
  EXPECT_EQ(r.normalized.error->message, "Overloaded");
  EXPECT_EQ(only_output(r).text, "Par");
  EXPECT_EQ(only_output(r).finish_reason, std::nullopt);
}

TEST(AnthropicDiagnostics, ProviderErrorBeforeMessageStartIsTheNativeObject) {
  const std::string data = R"({"type":"error","error":{"type":"api_error","message":"Internal"}})";
  const AssemblyReport r = run(ev("error", data)).report;
  EXPECT_EQ(codes(r), Codes{"provider_error"});
  EXPECT_EQ(r.native_json, data);
  EXPECT_TRUE(r.normalized.outputs.empty());
}

TEST(AnthropicDiagnostics, UnexpectedEventType) {
  const std::string body = kStart + ev("future_event", R"({"type":"future_event","x":1})") + message_delta("end_turn", 2) + kStop;
  EXPECT_EQ(codes(run(body).report), Codes{"unexpected_event_type"});
}

TEST(AnthropicDiagnostics, FieldTypeMismatch) {
  const std::string body =
      kStart + text_start(0) +
      ev("content_block_delta", R"({"type":"content_block_delta","index":"0","delta":{"type":"text_delta","text":"x"}})") +
      delta(0, R"({"type":"text_delta","text":7})") + block_stop(0) + message_delta("end_turn", 2) + kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), (Codes{"field_type_mismatch", "field_type_mismatch"}));
  EXPECT_EQ(only_output(r).text, "");
}

TEST(AnthropicDiagnostics, InvalidJsonSkipsTheEvent) {
  const std::string body = kStart + text_start(0) + ev("content_block_delta", "{\"type\":") + text_delta(0, "a") +
                           block_stop(0) + message_delta("end_turn", 2) + kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{"invalid_json"});
  EXPECT_EQ(only_output(r).text, "a");
}

// ---- limits and hostile input ---------------------------------------------------------

TEST(AnthropicLimits, AssembledBytes) {
  DialectLimits l;
  l.max_assembled_bytes = 8;
  const std::string body = kStart + text_start(0) + text_delta(0, "12345") + text_delta(0, "6789") +
                           text_delta(0, "0") + block_stop(0) + message_delta("end_turn", 2) + kStop;
  const AssemblyReport r = run(body, named(l)).report;
  EXPECT_EQ(codes(r), Codes{"assembled_too_large"});
  EXPECT_EQ(only_output(r).text, "12345");
  EXPECT_EQ(r.stats.assembled_bytes, 5u);
}

TEST(AnthropicLimits, HugeAndNegativeIndices) {
  const std::string body =
      kStart +
      ev("content_block_start", R"({"type":"content_block_start","index":18446744073709551615,"content_block":{"type":"text","text":""}})") +
      ev("content_block_delta", R"({"type":"content_block_delta","index":-1,"delta":{"type":"text_delta","text":"x"}})") +
      ev("content_block_delta", R"({"type":"content_block_delta","index":1e300,"delta":{"type":"text_delta","text":"x"}})") +
      message_delta("end_turn", 2) + kStop;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), (Codes{"content_block_index_out_of_range", "field_type_mismatch", "field_type_mismatch"}));
  EXPECT_EQ(only_output(r).text, "");
}

TEST(AnthropicLimits, DeepJsonIsRefused) {
  std::string deep = R"({"type":"content_block_delta","index":0,"delta":)";
  for (int i = 0; i < 200; ++i) deep += "[";
  for (int i = 0; i < 200; ++i) deep += "]";
  deep += "}";
  const std::string body = kStart + text_start(0) + ev("content_block_delta", deep) + block_stop(0) +
                           message_delta("end_turn", 2) + kStop;
  EXPECT_EQ(codes(run(body).report), Codes{"json_too_deep"});
  // Deep tool input: refused by the same depth limit when validated.
  std::string nested;
  for (int i = 0; i < 100; ++i) nested += R"({\"a\":)";
  nested += "1";
  for (int i = 0; i < 100; ++i) nested += "}";
  const std::string tool = kStart + tool_start(0, "t", "f") + json_delta(0, nested) + block_stop(0) +
                           message_delta("tool_use", 2) + kStop;
  EXPECT_EQ(codes(run(tool).report), Codes{"tool_arguments_invalid_json"});
}

TEST(AnthropicLimits, WrongTypesEverywhereDoNotCrash) {
  const std::vector<std::string> datas = {
      R"({"type":"message_start","message":"x"})",
      R"({"type":"message_start","message":{"id":1,"model":[],"content":{},"usage":"u","stop_reason":5}})",
      R"({"type":"content_block_start","index":0,"content_block":[]})",
      R"({"type":"content_block_start","index":1,"content_block":{"type":7,"text":null}})",
      R"({"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":3,"name":null,"input":"s"}})",
      R"({"type":"content_block_start","index":3,"content_block":{"type":"text","citations":null}})",
      R"({"type":"content_block_delta","index":2,"delta":null})",
      R"({"type":"content_block_delta","index":2,"delta":{"type":null}})",
      R"({"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":{}}})",
      R"({"type":"content_block_delta","index":3,"delta":{"type":"citations_delta"}})",
      R"({"type":"content_block_delta","index":3,"delta":{"type":"citations_delta","citation":"c"}})",
      R"({"type":"content_block_stop"})",
      R"({"type":"message_delta","delta":[],"usage":{"output_tokens":"9"}})",
      R"({"type":"message_delta","delta":{"stop_reason":7},"usage":[]})",
      R"({"type":"error","error":"nope"})",
      R"({"type":"message_stop"})",
      R"(null)",
      R"("message_start")",
  };
  std::string body;
  for (const std::string& d : datas) body += ev("message", d);
  const AssembleResult r = run(body);
  EXPECT_GT(r.report.counts.deviation + r.report.counts.fatal, 0u);
  json::EventJson p(JsonBackend::rapidjson);
  EXPECT_EQ(p.parse(r.report.native_json), json::Status::ok) << r.report.native_json;
  expect_chunking_independent(body);
}

TEST(AnthropicLimits, GarbageDoesNotCrash) {
  std::string garbage;
  uint32_t x = 12345;
  for (int i = 0; i < 4000; ++i) {
    x = x * 1103515245u + 12345u;
    const char pool[] = "event: data:{}[]\":,0123456789abcdefghijklmnopqrstuvwxyz_\n\n\r\xff\xc3";
    garbage.push_back(pool[(x >> 16) % (sizeof(pool) - 1)]);
  }
  const AssembleResult r = run(kStart + garbage + hello_stream());
  json::EventJson p(JsonBackend::rapidjson);
  EXPECT_EQ(p.parse(r.report.native_json), json::Status::ok);
  EXPECT_EQ(p.parse(r.json_compact), json::Status::ok);
}

// ---- routes, detection, noise, observer ---------------------------------------------------

TEST(AnthropicInfo, Routes) {
  const auto m = kAnthropicMessagesDialect.matches_request;
  EXPECT_TRUE(m("https://api.anthropic.com/v1/messages"));
  EXPECT_TRUE(m("/v1/messages"));
  EXPECT_TRUE(m("/v1/messages?beta=true"));
  EXPECT_TRUE(m("https://api.anthropic.com/v1/messages/"));
  EXPECT_TRUE(m("https://gateway.example.com/proxy/anthropic/v1/messages"));
  EXPECT_TRUE(m("https://res.services.ai.azure.com/anthropic/v1/messages"));
  EXPECT_TRUE(m("https://us-east5-aiplatform.googleapis.com/v1/projects/p/locations/us-east5/publishers/anthropic/"
                "models/claude-sonnet-4@20250514:streamRawPredict"));
  EXPECT_FALSE(m("https://api.anthropic.com/v1/messages/count_tokens"));
  EXPECT_FALSE(m("https://api.anthropic.com/v1/messages/batches"));
  EXPECT_FALSE(m("https://api.openai.com/v1/chat/completions"));
  EXPECT_FALSE(m("https://api.openai.com/v1/responses"));
  EXPECT_FALSE(m("https://api.openai.com/v1/threads/t/messages"));
  EXPECT_FALSE(m("https://x-aiplatform.googleapis.com/v1/projects/p/locations/l/publishers/google/models/"
                 "gemini-2.5-flash:streamGenerateContent?alt=sse"));
  EXPECT_FALSE(m("https://x-aiplatform.googleapis.com/v1/projects/p/locations/l/publishers/google/models/g:streamRawPredict"));
  EXPECT_FALSE(m("https://api.example.com/v1/messagesX"));
  EXPECT_FALSE(m(""));
}

Recognition recognise(std::string_view type, std::string_view data) {
  json::EventJson p(JsonBackend::rapidjson);
  const bool ok = p.parse(data) == json::Status::ok;
  return kAnthropicMessagesDialect.recognize(type, data, ok ? p.root() : json::Value{});
}

TEST(AnthropicInfo, Recognize) {
  EXPECT_EQ(recognise("message_start", R"({"type":"message_start","message":{"id":"m"}})"), Recognition::yes);
  EXPECT_EQ(recognise("message", R"({"type":"message_start","message":{"id":"m"}})"), Recognition::yes);
  EXPECT_EQ(recognise("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{}})"), Recognition::yes);
  EXPECT_EQ(recognise("message_stop", R"({"type":"message_stop"})"), Recognition::yes);
  EXPECT_EQ(recognise("ping", R"({"type": "ping"})"), Recognition::maybe);
  EXPECT_EQ(recognise("error", R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})"),
            Recognition::maybe);
  // Other providers' events.
  EXPECT_EQ(recognise("message", R"({"id":"c","object":"chat.completion.chunk","choices":[]})"), Recognition::no);
  EXPECT_EQ(recognise("response.created", R"({"type":"response.created","sequence_number":0,"response":{}})"),
            Recognition::no);
  EXPECT_EQ(recognise("error", R"({"type":"error","code":"x","message":"m","sequence_number":3})"), Recognition::no);
  EXPECT_EQ(recognise("message", R"({"candidates":[],"usageMetadata":{},"modelVersion":"g"})"), Recognition::no);
  EXPECT_EQ(recognise("message", R"({"error":{"message":"x","code":429}})"), Recognition::no);
  EXPECT_EQ(recognise("message", "[DONE]"), Recognition::no);
  EXPECT_EQ(recognise("message_start", R"({"type":"message_start","message":{},"choices":[]})"), Recognition::no);
}

TEST(AnthropicInfo, NoiseChangesOnlyNoiseCounts) {
  for (const RecordingFact& f : recording_facts()) {
    SCOPED_TRACE(std::string(f.file) + "#" + std::to_string(f.interaction));
    const std::string body = recorded_body(f.file, f.interaction);
    // Re-emit the body with the dialect's noise between every two events.
    std::vector<std::pair<std::string, std::string>> events;  // type, data
    size_t pos = 0;
    while (pos < body.size()) {
      const size_t end = body.find("\n\n", pos);
      const std::string block = body.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
      pos = end == std::string::npos ? body.size() : end + 2;
      std::string type = "message", data;
      size_t lp = 0;
      while (lp < block.size()) {
        const size_t le = block.find('\n', lp);
        const std::string line = block.substr(lp, le == std::string::npos ? std::string::npos : le - lp);
        lp = le == std::string::npos ? block.size() : le + 1;
        if (line.rfind("event: ", 0) == 0) type = line.substr(7);
        if (line.rfind("data: ", 0) == 0) data = line.substr(6);
      }
      if (!data.empty()) events.emplace_back(type, data);
    }
    ASSERT_GT(events.size(), 5u);
    std::string noisy, memo;
    size_t inserted = 0;
    for (size_t i = 0; i < events.size(); ++i) {
      if (i > 0) {
        const size_t before = noisy.size();
        kAnthropicMessagesDialect.noise(events[i - 1].first, events[i - 1].second, events[i].first, events[i].second,
                                        "\n", memo, noisy);
        inserted += noisy.size() > before;
      }
      noisy += "event: " + events[i].first + "\ndata: " + events[i].second + "\n\n";
    }
    EXPECT_EQ(inserted, events.size() - 1);
    const AssemblyReport a = run(body).report;
    const AssemblyReport b = run(noisy).report;
    EXPECT_EQ(a.native_json, b.native_json);
    EXPECT_EQ(normalized_to_json(a.normalized), normalized_to_json(b.normalized));
    EXPECT_EQ(codes(a), codes(b));
    EXPECT_EQ(b.stats.noise_events, a.stats.noise_events + inserted);
    EXPECT_EQ(a.stats.data_chunks, b.stats.data_chunks);
  }
  std::string none, memo;
  kAnthropicMessagesDialect.noise("message_stop", "{}", "message_start", "{}", "\n", memo, none);
  EXPECT_EQ(none, "");
}

TEST(AnthropicInfo, NameTitleLimits) {
  EXPECT_EQ(kAnthropicMessagesDialect.name, "anthropic-messages");
  EXPECT_FALSE(kAnthropicMessagesDialect.title.empty());
  ASSERT_NE(find_dialect("anthropic-messages"), nullptr);
  EXPECT_EQ(find_dialect("anthropic-messages"), &kAnthropicMessagesDialect);
  bool outputs = false, tools = false;
  for (std::string_view l : kAnthropicMessagesDialect.limits) {
    outputs |= l == "max_outputs";
    tools |= l == "max_tool_calls";
  }
  EXPECT_TRUE(outputs && tools);
  for (const DiagInfo& d : all_diagnostics())
    if (d.layer == "anthropic-messages") {
      EXPECT_FALSE(d.description.empty()) << d.name;
    }
}

struct Recorder : StreamObserver {
  std::string log;
  void on_content(uint32_t o, std::string_view t) override { log += "c" + std::to_string(o) + ":" + std::string(t) + ";"; }
  void on_reasoning(uint32_t, std::string_view t) override { log += "r:" + std::string(t) + ";"; }
  void on_tool_call_started(uint32_t, uint32_t tool, std::string_view id, std::string_view name) override {
    log += "t" + std::to_string(tool) + ":" + std::string(id) + "/" + std::string(name) + ";";
  }
  void on_tool_arguments(uint32_t, uint32_t tool, std::string_view t) override {
    log += "a" + std::to_string(tool) + ":" + std::string(t) + ";";
  }
  void on_output_finished(uint32_t, std::string_view reason) override { log += "f:" + std::string(reason) + ";"; }
};

TEST(AnthropicInfo, ObserverSeesDeltasInOrder) {
  Recorder rec;
  AssembleOptions o = named();
  o.observer = &rec;
  const std::string body = kStart + thinking_start(0) + delta(0, R"({"type":"thinking_delta","thinking":"hm"})") +
                           block_stop(0) + text_start(1) + text_delta(1, "Hi") + block_stop(1) +
                           tool_start(2, "t1", "f") + json_delta(2, R"({\"a\")") + json_delta(2, ":1}") +
                           block_stop(2) + message_delta("tool_use", 4) + kStop;
  run(body, o);
  EXPECT_EQ(rec.log, R"(r:hm;c0:Hi;t0:t1/f;a0:{"a";a0::1};f:tool_use;)");
}

}  // namespace
}  // namespace ssecheck
