// openai-responses: the recorded streams (facts from /work/shared/cassettes/README.md,
// what openai 6.49.0's finalResponse() assembled), every diagnostic code this dialect
// files, chunking independence, limits and hostile input. Expected values are read off
// the event bytes and the API reference by hand.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ssecheck/assemble.h"
#include "ssecheck/cassette.h"
#include "ssecheck/openai_responses/openai_responses.h"
#include "ssecheck/registry.h"

namespace ssecheck {
namespace {

constexpr std::string_view kDialect = "openai-responses";

AssembleResult run(std::string_view body, DialectLimits limits = {}, StreamObserver* observer = nullptr,
                   std::string dialect = std::string(kDialect), bool strict = false) {
  AssembleOptions o;
  o.dialect = std::move(dialect);
  o.limits = limits;
  o.observer = observer;
  o.strict = strict;
  return assemble(body, {}, o);
}

std::vector<std::string> codes(const AssemblyReport& r) {
  std::vector<std::string> v;
  for (const Diagnostic& d : r.diagnostics) v.emplace_back(name(d.code));
  return v;
}

using Codes = std::vector<std::string>;

size_t utf8_chars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Where one cut can matter: within 3 bytes of a line break (CR/LF pairs, blank lines),
// in the first 8 bytes of a line (the field name, ':' and the space after it) and
// within 3 bytes of a multi-byte UTF-8 sequence; plus every 97th byte for the rest
// (a cut anywhere else inside a data line only moves it from the zero-copy view to
// the parser's buffer, which the every-97th cuts already exercise).
bool structural(std::string_view body, size_t i) {
  if (i % 97 == 0) return true;
  const size_t line = body.rfind('\n', i - 1);
  if (line == std::string_view::npos || i - line <= 8) return true;
  const size_t lo = i >= 3 ? i - 3 : 0, hi = std::min(body.size(), i + 3);
  for (size_t k = lo; k < hi; ++k) {
    const unsigned char c = static_cast<unsigned char>(body[k]);
    if (c == '\n' || c == '\r' || c >= 0x80) return true;
  }
  return false;
}

// The report must not depend on how the body is cut: fed whole, byte by byte, and split
// in two at every position (every_position=false: at every structural() position, for
// the large recordings, where all positions cost O(n^2) assembles).
void expect_chunking_independent(std::string_view body, bool every_position = true) {
  AssembleOptions opt;
  opt.dialect = std::string(kDialect);
  const std::string whole = assemble(body, {}, opt).json_compact;
  std::vector<size_t> each;
  for (size_t i = 1; i < body.size(); ++i) each.push_back(i);
  EXPECT_EQ(assemble(body, each, opt).json_compact, whole) << "byte by byte";
  for (size_t i = 1; i < body.size(); ++i) {
    if (!every_position && !structural(body, i)) continue;
    const size_t cut[] = {i};
    const std::string split = assemble(body, cut, opt).json_compact;
    if (split != whole) {
      ADD_FAILURE() << "split at " << i;
      return;
    }
  }
}

// Builds a stream: each event gets an SSE event field equal to its type and the next
// sequence_number.
struct Stream {
  std::string body;
  uint64_t seq = 0;
  Stream& ev(std::string_view type, std::string_view fields = {}) {
    std::string data = "{\"type\":\"" + std::string(type) + "\"";
    if (!fields.empty()) data += "," + std::string(fields);
    data += ",\"sequence_number\":" + std::to_string(seq++) + "}";
    body += "event: " + std::string(type) + "\ndata: " + data + "\n\n";
    return *this;
  }
  Stream& raw(std::string_view s) {
    body += s;
    return *this;
  }
};

const std::string kCreated =
    R"("response":{"id":"resp_1","object":"response","status":"in_progress","model":"gpt-t","output":[],"usage":null})";

std::string completed(std::string_view output, std::string_view status = "completed") {
  return R"("response":{"id":"resp_1","object":"response","status":")" + std::string(status) +
         R"(","model":"gpt-t","output":)" + std::string(output) +
         R"(,"usage":{"input_tokens":5,"output_tokens":7}})";
}

const std::string kMsgAdded =
    R"("output_index":0,"item":{"id":"msg_1","type":"message","status":"in_progress","role":"assistant","content":[]})";
const std::string kPartAdded =
    R"("output_index":0,"item_id":"msg_1","content_index":0,"part":{"type":"output_text","annotations":[],"text":""})";
std::string delta(std::string_view text, int output_index = 0, int content_index = 0) {
  return R"("output_index":)" + std::to_string(output_index) + R"(,"item_id":"msg_1","content_index":)" +
         std::to_string(content_index) + R"(,"delta":")" + std::string(text) + "\"";
}
std::string text_done(std::string_view text) {
  return R"("output_index":0,"item_id":"msg_1","content_index":0,"text":")" + std::string(text) + "\"";
}
std::string part_done(std::string_view text) {
  return R"("output_index":0,"item_id":"msg_1","content_index":0,"part":{"type":"output_text","annotations":[],"text":")" +
         std::string(text) + "\"}";
}
std::string msg_item(std::string_view text, std::string_view status = "completed") {
  return R"({"id":"msg_1","type":"message","status":")" + std::string(status) +
         R"(","role":"assistant","content":[{"type":"output_text","annotations":[],"text":")" + std::string(text) +
         "\"}]}";
}
std::string item_done(std::string_view item, int index = 0) {
  return R"("output_index":)" + std::to_string(index) + R"(,"item":)" + std::string(item);
}

// A well-formed one-message stream saying "Hi there".
Stream hi_stream() {
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.in_progress", kCreated)
      .ev("response.output_item.added", kMsgAdded)
      .ev("response.content_part.added", kPartAdded)
      .ev("response.output_text.delta", delta("Hi"))
      .ev("response.output_text.delta", delta(" there"))
      .ev("response.output_text.done", text_done("Hi there"))
      .ev("response.content_part.done", part_done("Hi there"))
      .ev("response.output_item.done", item_done(msg_item("Hi there")))
      .ev("response.completed", completed("[" + msg_item("Hi there") + "]"));
  return s;
}

const NormalizedOutput& only_output(const AssemblyReport& r) {
  static const NormalizedOutput none;
  EXPECT_EQ(r.normalized.outputs.size(), 1u);
  return r.normalized.outputs.empty() ? none : r.normalized.outputs[0];
}

rapidjson::Document native(const AssemblyReport& r) {
  rapidjson::Document d;
  d.Parse(r.native_json.c_str(), r.native_json.size());
  EXPECT_FALSE(d.HasParseError()) << r.native_json;
  return d;
}

// ---------------------------------------------------------------- recordings

struct Fact {
  const char* file;
  size_t interaction;
  const char* text_prefix;  // the README's text (its shown prefix when cut with ...)
  size_t text_chars;
  size_t reasoning_chars;
  std::vector<std::pair<std::string, std::string>> tools;
  uint64_t in, out;
};

const std::vector<Fact>& facts() {
  static const std::vector<Fact> f = {
      {"openai-gpt-5-multi-tool-streaming.yaml", 0, "", 0, 0,
       {{"add", R"({"a":2,"b":3})"}, {"multiply", R"({"a":2,"b":3})"}}, 109, 223},
      {"openai-gpt-5-multi-tool-streaming.yaml", 1, "Results:\n- Addition (2 + 3) = 5\n- Multiplication (2 × 3", 60, 0,
       {}, 167, 30},
      {"openai-gpt-5-simple-streaming.yaml", 0, "Oi!", 3, 0, {}, 19, 118},
      {"openai-gpt-5-tool-streaming.yaml", 0, "", 0, 0, {{"weather", R"({"location":"Florence, Italy"})"}}, 63, 77},
      {"openai-gpt-5-tool-streaming.yaml", 1, "Florence, Italy is currently about 40°C (104°F). It’s ver", 145, 0, {},
       92, 194},
      {"openai-gpt-5-thinking-streaming.yaml", 0, "", 0, 424, {{"weather", R"({"location":"Florence, Italy"})"}}, 63,
       121},
      {"openai-gpt-5-thinking-streaming.yaml", 1, "Right now in Florence, Italy, it’s about 40°C (104°F). Wo", 115, 417,
       {}, 92, 456},
  };
  return f;
}

std::string recorded_body(const char* file, size_t interaction) {
  const CassetteResult c =
      load_cassette_file(std::string(SSECHECK_CORPUS_DIR) + "/cassettes/openai_responses/" + file);
  EXPECT_TRUE(c.ok()) << c.message;
  if (!c.ok() || interaction >= c.cassette.interactions.size()) return {};
  const Interaction& i = c.cassette.interactions[interaction];
  EXPECT_TRUE(kOpenAiResponsesDialect.matches_request(i.url)) << i.url;
  return i.response_body;
}

TEST(OpenAiResponsesRecorded, MatchesTheSdkFacts) {
  for (const Fact& f : facts()) {
    SCOPED_TRACE(std::string(f.file) + " #" + std::to_string(f.interaction));
    const std::string body = recorded_body(f.file, f.interaction);
    ASSERT_FALSE(body.empty());
    for (const char* dialect : {"openai-responses", "auto"}) {
      const AssemblyReport r = run(body, {}, nullptr, dialect).report;
      EXPECT_EQ(r.dialect, kDialect);
      EXPECT_EQ(r.counts.fatal, 0u) << testing::PrintToString(codes(r));
      EXPECT_EQ(r.counts.deviation, 0u) << testing::PrintToString(codes(r));
      EXPECT_EQ(r.state, StreamState::done);
      EXPECT_TRUE(r.stats.terminator_seen);
      const NormalizedOutput& o = only_output(r);
      EXPECT_EQ(o.text.substr(0, std::string_view(f.text_prefix).size()), f.text_prefix);
      EXPECT_EQ(utf8_chars(o.text), f.text_chars);
      EXPECT_EQ(utf8_chars(o.reasoning), f.reasoning_chars);
      ASSERT_EQ(o.tool_calls.size(), f.tools.size());
      for (size_t t = 0; t < f.tools.size(); ++t) {
        EXPECT_EQ(o.tool_calls[t].name, f.tools[t].first);
        EXPECT_EQ(o.tool_calls[t].arguments, f.tools[t].second);
        ASSERT_TRUE(o.tool_calls[t].id.has_value());
        EXPECT_EQ(o.tool_calls[t].id->substr(0, 5), "call_");
      }
      EXPECT_EQ(o.refusal, "");
      EXPECT_EQ(o.finish_reason, std::optional<std::string>("completed"));
      EXPECT_EQ(r.normalized.usage.input_tokens, std::optional<uint64_t>(f.in));
      EXPECT_EQ(r.normalized.usage.output_tokens, std::optional<uint64_t>(f.out));
      EXPECT_EQ(r.normalized.model, std::optional<std::string>("gpt-5-2025-08-07"));
      ASSERT_TRUE(r.normalized.id.has_value());
      EXPECT_EQ(r.normalized.id->substr(0, 5), "resp_");
      EXPECT_FALSE(r.normalized.error.has_value());
    }
  }
}

TEST(OpenAiResponsesRecorded, SimpleNativeIsTheSdkFinalResponse) {
  const AssemblyReport r = run(recorded_body("openai-gpt-5-simple-streaming.yaml", 0)).report;
  const rapidjson::Document d = native(r);
  ASSERT_TRUE(d.IsObject());
  // response.completed's response, plus what finalResponse() adds.
  EXPECT_STREQ(d["id"].GetString(), "resp_0f80f320b6d3bc2b016a3c121983f08192898904ff92319f9f");
  EXPECT_STREQ(d["status"].GetString(), "completed");
  EXPECT_STREQ(d["service_tier"].GetString(), "default");  // "auto" in created: the completed one wins
  EXPECT_EQ(d["completed_at"].GetInt64(), 1782321691);
  EXPECT_STREQ(d["output_text"].GetString(), "Oi!");
  EXPECT_TRUE(d["output_parsed"].IsNull());
  ASSERT_EQ(d["output"].Size(), 2u);
  EXPECT_STREQ(d["output"][0]["type"].GetString(), "reasoning");
  EXPECT_FALSE(d["output"][0].HasMember("parsed"));
  const auto& part = d["output"][1]["content"][0];
  EXPECT_STREQ(part["text"].GetString(), "Oi!");
  EXPECT_TRUE(part.HasMember("parsed") && part["parsed"].IsNull());
  EXPECT_EQ(d["usage"]["total_tokens"].GetInt(), 137);
  // The SDK's order: the response's keys, then output_text, then output_parsed.
  auto it = d.MemberEnd();
  --it;
  EXPECT_STREQ(it->name.GetString(), "output_parsed");
  --it;
  EXPECT_STREQ(it->name.GetString(), "output_text");
}

TEST(OpenAiResponsesRecorded, FunctionCallsGetParsedArgumentsNull) {
  const AssemblyReport r = run(recorded_body("openai-gpt-5-tool-streaming.yaml", 0)).report;
  const rapidjson::Document d = native(r);
  ASSERT_TRUE(d.IsObject());
  EXPECT_STREQ(d["output_text"].GetString(), "");
  const auto& call = d["output"][1];
  EXPECT_STREQ(call["type"].GetString(), "function_call");
  EXPECT_STREQ(call["name"].GetString(), "weather");
  EXPECT_STREQ(call["arguments"].GetString(), R"({"location":"Florence, Italy"})");
  EXPECT_TRUE(call.HasMember("parsed_arguments") && call["parsed_arguments"].IsNull());
}

TEST(OpenAiResponsesRecorded, ChunkingIndependent) {
  for (const char* file : {"openai-gpt-5-simple-streaming.yaml", "openai-gpt-5-multi-tool-streaming.yaml",
                           "openai-gpt-5-tool-streaming.yaml", "openai-gpt-5-thinking-streaming.yaml"}) {
    for (size_t i = 0; i < 2; ++i) {
      if (std::string_view(file) == "openai-gpt-5-simple-streaming.yaml" && i == 1) continue;
      SCOPED_TRACE(std::string(file) + " #" + std::to_string(i));
      const std::string body = recorded_body(file, i);
      expect_chunking_independent(body, body.size() <= 8000);
    }
  }
}

// ---------------------------------------------------------------- synthetic cassettes

// The facts of corpus/cassettes/synthetic/openai_responses/EXPECTED.md.
struct Synthetic {
  const char* file;
  const char* id;
  const char* text;
  const char* refusal;
  std::vector<std::array<const char*, 3>> tools;  // id, name, arguments
  std::optional<std::string> finish;
  std::optional<uint64_t> in, out;
  std::optional<std::pair<std::string, std::string>> error;
  Codes codes;
};

TEST(OpenAiResponsesSynthetic, MatchesExpectedFacts) {
  const std::vector<Synthetic> cases = {
      {"response-failed.yaml", "resp_syn_failed01", "Soft rain on the", "", {}, "failed", {}, {},
       std::make_pair("server_error", "The server had an error processing your request."), {"provider_error"}},
      {"refusal.yaml", "resp_syn_refusal02", "", "I'm sorry, but I can't help with that.", {}, "completed", 21, 11, {}, {}},
      {"parallel-function-calls.yaml", "resp_syn_parallel03", "", "",
       {{"call_Oslo1A", "get_weather", R"({"city":"Oslo"})"}, {"call_Oslo2B", "get_time", R"({"tz":"Europe/Oslo"})"}},
       "completed", 64, 38, {}, {}},
      {"truncated-mid-event.yaml", "resp_syn_trunc04", "Hello, wor", "", {}, {}, {}, {}, {},
       {"incomplete_event", "truncated"}},
      {"sequence-number-gap.yaml", "resp_syn_gap05", "One two three", "", {}, "completed", 8, 3, {},
       {"sequence_number_gap", "done_differs_from_deltas"}},
      {"output-text-done-disagrees.yaml", "resp_syn_donediff06", "Hello, world", "", {}, "completed", 10, 4, {},
       {"done_differs_from_deltas"}},
      {"delta-without-item.yaml", "resp_syn_noitem07", "Bonjour!", "", {}, "completed", 12, 3, {},
       {"output_item_missing"}},
      {"response-incomplete.yaml", "resp_syn_incomplete08", "The three primary colors are red,", "", {}, "incomplete",
       11, 16, {}, {"response_incomplete"}},
      {"error-event.yaml", "resp_syn_error09", "", "", {}, {}, {}, {},
       std::make_pair("rate_limit_exceeded", "Rate limit reached for gpt-4.1-mini. Please try again in 20s."),
       {"provider_error"}},
  };
  for (const Synthetic& c : cases) {
    SCOPED_TRACE(c.file);
    const CassetteResult cas =
        load_cassette_file(std::string(SSECHECK_CORPUS_DIR) + "/cassettes/synthetic/openai_responses/" + c.file);
    ASSERT_TRUE(cas.ok()) << cas.message;
    ASSERT_EQ(cas.cassette.interactions.size(), 1u);
    const Interaction& i = cas.cassette.interactions[0];
    EXPECT_EQ(dialect_for_request(i.url), &kOpenAiResponsesDialect) << i.url;
    for (const char* dialect : {"openai-responses", "auto"}) {
      const AssemblyReport r = run(i.response_body, {}, nullptr, dialect).report;
      EXPECT_EQ(codes(r), c.codes);
      EXPECT_EQ(r.normalized.id, std::optional<std::string>(c.id));
      EXPECT_EQ(r.normalized.model, std::optional<std::string>("gpt-4.1-mini-2025-04-14"));
      const NormalizedOutput& o = only_output(r);
      EXPECT_EQ(o.text, c.text);
      EXPECT_EQ(o.refusal, c.refusal);
      EXPECT_EQ(o.reasoning, "");
      ASSERT_EQ(o.tool_calls.size(), c.tools.size());
      for (size_t t = 0; t < c.tools.size(); ++t) {
        EXPECT_EQ(o.tool_calls[t].id, std::optional<std::string>(c.tools[t][0]));
        EXPECT_EQ(o.tool_calls[t].name, c.tools[t][1]);
        EXPECT_EQ(o.tool_calls[t].arguments, c.tools[t][2]);
      }
      EXPECT_EQ(o.finish_reason, c.finish);
      EXPECT_EQ(r.normalized.usage.input_tokens, c.in);
      EXPECT_EQ(r.normalized.usage.output_tokens, c.out);
      ASSERT_EQ(r.normalized.error.has_value(), c.error.has_value());
      if (c.error) {
        EXPECT_EQ(r.normalized.error->type, c.error->first);
        EXPECT_EQ(r.normalized.error->message, c.error->second);
      }
    }
    expect_chunking_independent(i.response_body, false);
  }
}

TEST(OpenAiResponsesRecorded, JsonBackendsAgree) {
  for (const Fact& f : facts()) {
    SCOPED_TRACE(std::string(f.file) + " #" + std::to_string(f.interaction));
    const std::string body = recorded_body(f.file, f.interaction);
    AssembleOptions fast, rapid;
    fast.dialect = rapid.dialect = std::string(kDialect);
    rapid.json_backend = JsonBackend::rapidjson;
    EXPECT_EQ(assemble(body, {}, fast).json_compact, assemble(body, {}, rapid).json_compact);
  }
}

// ---------------------------------------------------------------- well-formed streams

TEST(OpenAiResponses, WellFormedTextStream) {
  const std::string body = hi_stream().body;
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{});
  const NormalizedOutput& o = only_output(r);
  EXPECT_EQ(o.text, "Hi there");
  EXPECT_EQ(o.finish_reason, std::optional<std::string>("completed"));
  EXPECT_EQ(r.normalized.id, std::optional<std::string>("resp_1"));
  EXPECT_EQ(r.normalized.model, std::optional<std::string>("gpt-t"));
  EXPECT_EQ(r.normalized.usage.input_tokens, std::optional<uint64_t>(5));
  EXPECT_EQ(r.normalized.usage.output_tokens, std::optional<uint64_t>(7));
  EXPECT_EQ(r.stats.data_chunks, 10u);
  EXPECT_EQ(r.stats.assembled_bytes, 8u);  // "Hi" + " there"
  EXPECT_EQ(r.state, StreamState::done);
  expect_chunking_independent(body);
}

TEST(OpenAiResponses, DataOnlyEventsAreFine) {
  // No SSE event field at all (some proxies): the data's type decides, nothing to report.
  std::string body;
  const std::string with_events = hi_stream().body;
  size_t pos = 0;
  while (pos < with_events.size()) {
    const size_t eol = with_events.find('\n', pos);
    const std::string_view line(with_events.data() + pos, eol - pos);
    if (!line.starts_with("event: ")) body.append(line).push_back('\n');
    pos = eol + 1;
  }
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{});
  EXPECT_EQ(only_output(r).text, "Hi there");
}

TEST(OpenAiResponses, RefusalParts) {
  const std::string refusal_part = R"({"type":"refusal","refusal":""})";
  const std::string item = R"({"id":"msg_1","type":"message","status":"completed","role":"assistant","content":[{"type":"refusal","refusal":"No, sorry."}]})";
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.output_item.added", kMsgAdded)
      .ev("response.content_part.added", R"("output_index":0,"item_id":"msg_1","content_index":0,"part":)" + refusal_part)
      .ev("response.refusal.delta", R"("output_index":0,"item_id":"msg_1","content_index":0,"delta":"No, ")")
      .ev("response.refusal.delta", R"("output_index":0,"item_id":"msg_1","content_index":0,"delta":"sorry.")")
      .ev("response.refusal.done", R"("output_index":0,"item_id":"msg_1","content_index":0,"refusal":"No, sorry.")")
      .ev("response.content_part.done",
          R"("output_index":0,"item_id":"msg_1","content_index":0,"part":{"type":"refusal","refusal":"No, sorry."})")
      .ev("response.output_item.done", item_done(item))
      .ev("response.completed", completed("[" + item + "]"));
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), Codes{});
  EXPECT_EQ(only_output(r).refusal, "No, sorry.");
  EXPECT_EQ(only_output(r).text, "");
  const rapidjson::Document d = native(r);
  EXPECT_TRUE(d["output"][0]["content"][0]["parsed"].IsNull());  // every message part gets parsed: null
  EXPECT_STREQ(d["output_text"].GetString(), "");
}

TEST(OpenAiResponses, ReasoningSummaryPartsJoinedWithBlankLine) {
  const std::string added = R"("output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[]})";
  auto sp = [](int i, std::string_view t) {
    return R"("output_index":0,"item_id":"rs_1","summary_index":)" + std::to_string(i) +
           R"(,"part":{"type":"summary_text","text":")" + std::string(t) + "\"}";
  };
  auto sd = [](int i, std::string_view t) {
    return R"("output_index":0,"item_id":"rs_1","summary_index":)" + std::to_string(i) + R"(,"delta":")" +
           std::string(t) + "\"";
  };
  const std::string item =
      R"({"id":"rs_1","type":"reasoning","summary":[{"type":"summary_text","text":"A b"},{"type":"summary_text","text":"C"}]})";
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.output_item.added", added)
      .ev("response.reasoning_summary_part.added", sp(0, ""))
      .ev("response.reasoning_summary_text.delta", sd(0, "A "))
      .ev("response.reasoning_summary_text.delta", sd(0, "b"))
      .ev("response.reasoning_summary_text.done", R"("output_index":0,"item_id":"rs_1","summary_index":0,"text":"A b")")
      .ev("response.reasoning_summary_part.done", sp(0, "A b"))
      .ev("response.reasoning_summary_part.added", sp(1, ""))
      .ev("response.reasoning_summary_text.delta", sd(1, "C"))
      .ev("response.reasoning_summary_text.done", R"("output_index":0,"item_id":"rs_1","summary_index":1,"text":"C")")
      .ev("response.reasoning_summary_part.done", sp(1, "C"))
      .ev("response.output_item.done", item_done(item))
      .ev("response.completed", completed("[" + item + "]"));
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), Codes{});
  EXPECT_EQ(only_output(r).reasoning, "A b\n\nC");
  expect_chunking_independent(s.body);
}

TEST(OpenAiResponses, ReasoningTextWhenNoSummary) {
  // gpt-oss style: raw reasoning_text content parts, no summary.
  const std::string added = R"("output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[]})";
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.output_item.added", added)
      .ev("response.content_part.added",
          R"("output_index":0,"item_id":"rs_1","content_index":0,"part":{"type":"reasoning_text","text":""})")
      .ev("response.reasoning_text.delta", R"("output_index":0,"item_id":"rs_1","content_index":0,"delta":"think")")
      .ev("response.reasoning_text.done", R"("output_index":0,"item_id":"rs_1","content_index":0,"text":"think")");
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), Codes{"truncated"});
  EXPECT_EQ(only_output(r).reasoning, "think");
  EXPECT_EQ(only_output(r).finish_reason, std::nullopt);
  const rapidjson::Document d = native(r);
  // The SDK creates the missing content array on the first reasoning_text part.
  EXPECT_STREQ(d["output"][0]["content"][0]["text"].GetString(), "think");
  EXPECT_FALSE(d["output"][0]["content"][0].HasMember("parsed"));  // not a message part
}

TEST(OpenAiResponses, ParallelFunctionCallsInterleaved) {
  auto fc = [](int i, std::string_view id, std::string_view name, std::string_view args, std::string_view status) {
    return R"({"id":"fc_)" + std::to_string(i) + R"(","type":"function_call","status":")" + std::string(status) +
           R"(","arguments":")" + std::string(args) + R"(","call_id":")" + std::string(id) + R"(","name":")" +
           std::string(name) + "\"}";
  };
  auto ad = [](int i, std::string_view d) {
    return R"("output_index":)" + std::to_string(i) + R"(,"item_id":"fc_)" + std::to_string(i) + R"(","delta":")" +
           std::string(d) + "\"";
  };
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.output_item.added", item_done(fc(0, "call_A", "get_weather", "", "in_progress"), 0))
      .ev("response.output_item.added", item_done(fc(1, "call_B", "get_time", "", "in_progress"), 1))
      .ev("response.function_call_arguments.delta", ad(0, R"({\"city\")"))
      .ev("response.function_call_arguments.delta", ad(1, R"({\"tz\":)"))
      .ev("response.function_call_arguments.delta", ad(0, R"(:\"Oslo\"})"))
      .ev("response.function_call_arguments.delta", ad(1, R"(\"CET\"})"))
      .ev("response.function_call_arguments.done", R"("output_index":0,"item_id":"fc_0","arguments":"{\"city\":\"Oslo\"}")")
      .ev("response.function_call_arguments.done", R"("output_index":1,"item_id":"fc_1","arguments":"{\"tz\":\"CET\"}")")
      .ev("response.output_item.done", item_done(fc(0, "call_A", "get_weather", R"({\"city\":\"Oslo\"})", "completed"), 0))
      .ev("response.output_item.done", item_done(fc(1, "call_B", "get_time", R"({\"tz\":\"CET\"})", "completed"), 1))
      .ev("response.completed",
          completed("[" + fc(0, "call_A", "get_weather", R"({\"city\":\"Oslo\"})", "completed") + "," +
                    fc(1, "call_B", "get_time", R"({\"tz\":\"CET\"})", "completed") + "]"));
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), Codes{});
  const NormalizedOutput& o = only_output(r);
  ASSERT_EQ(o.tool_calls.size(), 2u);
  EXPECT_EQ(o.tool_calls[0].id, std::optional<std::string>("call_A"));
  EXPECT_EQ(o.tool_calls[0].name, "get_weather");
  EXPECT_EQ(o.tool_calls[0].arguments, R"({"city":"Oslo"})");
  EXPECT_EQ(o.tool_calls[1].id, std::optional<std::string>("call_B"));
  EXPECT_EQ(o.tool_calls[1].name, "get_time");
  EXPECT_EQ(o.tool_calls[1].arguments, R"({"tz":"CET"})");
  expect_chunking_independent(s.body);
}

// ---------------------------------------------------------------- terminal events

TEST(OpenAiResponses, FailedIsProviderError) {
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.failed",
          R"("response":{"id":"resp_1","status":"failed","model":"gpt-t","output":[],"error":{"code":"server_error","message":"The model crashed."},"usage":null})");
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), Codes{"provider_error"});
  EXPECT_EQ(r.state, StreamState::errored);
  EXPECT_TRUE(r.failed());
  ASSERT_TRUE(r.normalized.error.has_value());
  EXPECT_EQ(r.normalized.error->type, "server_error");
  EXPECT_EQ(r.normalized.error->message, "The model crashed.");
  EXPECT_EQ(only_output(r).finish_reason, std::optional<std::string>("failed"));
  EXPECT_EQ(r.normalized.usage.input_tokens, std::nullopt);
}

TEST(OpenAiResponses, IncompleteIsANoteWithTheReason) {
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.output_item.added", kMsgAdded)
      .ev("response.content_part.added", kPartAdded)
      .ev("response.output_text.delta", delta("Hi"))
      .ev("response.incomplete",
          R"("response":{"id":"resp_1","status":"incomplete","model":"gpt-t","incomplete_details":{"reason":"max_output_tokens"},"output":[)" +
              msg_item("Hi", "incomplete") + R"(],"usage":{"input_tokens":5,"output_tokens":1}})");
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), Codes{"response_incomplete"});
  EXPECT_NE(r.diagnostics[0].message.find("max_output_tokens"), std::string::npos);
  EXPECT_EQ(r.state, StreamState::done);
  EXPECT_FALSE(r.failed());
  EXPECT_EQ(only_output(r).text, "Hi");
  EXPECT_EQ(only_output(r).finish_reason, std::optional<std::string>("incomplete"));
  EXPECT_EQ(r.normalized.usage.output_tokens, std::optional<uint64_t>(1));
}

TEST(OpenAiResponses, ErrorEvent) {
  Stream s;
  s.ev("response.created", kCreated)
      .ev("error", R"("code":"rate_limit_exceeded","message":"Slow down.","param":null)");
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), Codes{"provider_error"});
  EXPECT_EQ(r.state, StreamState::errored);
  ASSERT_TRUE(r.normalized.error.has_value());
  EXPECT_EQ(r.normalized.error->type, "rate_limit_exceeded");
  EXPECT_EQ(r.normalized.error->message, "Slow down.");
  EXPECT_EQ(only_output(r).finish_reason, std::nullopt);
}

TEST(OpenAiResponses, ErrorEventWithoutCodeAndNested) {
  Stream a;
  a.ev("error", R"("code":null,"message":"Oops","param":null)");
  AssemblyReport r = run(a.body).report;
  ASSERT_TRUE(r.normalized.error.has_value());
  EXPECT_EQ(r.normalized.error->type, "error");
  EXPECT_EQ(r.normalized.error->message, "Oops");
  EXPECT_TRUE(r.normalized.outputs.empty());
  // No response at all: the native object is the error event's data.
  EXPECT_EQ(r.native_json, R"({"type":"error","code":null,"message":"Oops","param":null,"sequence_number":0})");
  Stream b;
  b.ev("error", R"("error":{"type":"invalid_request_error","code":"bad_input","message":"Nope"})");
  r = run(b.body).report;
  ASSERT_TRUE(r.normalized.error.has_value());
  EXPECT_EQ(r.normalized.error->type, "bad_input");
  EXPECT_EQ(r.normalized.error->message, "Nope");
}

TEST(OpenAiResponses, FailedAfterErrorEventIsAccepted) {
  Stream s;
  s.ev("response.created", kCreated)
      .ev("error", R"("code":"server_error","message":"A","param":null)")
      .ev("response.failed",
          R"("response":{"id":"resp_1","status":"failed","output":[],"error":{"code":"server_error","message":"B"}})");
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), (Codes{"provider_error", "provider_error"}));
  EXPECT_EQ(r.normalized.error->message, "A");  // the first error
  EXPECT_EQ(only_output(r).finish_reason, std::optional<std::string>("failed"));
}

TEST(OpenAiResponses, TruncatedMidEvent) {
  const std::string whole = hi_stream().body;
  const std::string body = whole.substr(0, whole.find("response.output_text.done") + 60);
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), (Codes{"incomplete_event", "truncated"}));
  EXPECT_EQ(r.state, StreamState::truncated);
  EXPECT_EQ(only_output(r).text, "Hi there");
  EXPECT_EQ(only_output(r).finish_reason, std::nullopt);
  expect_chunking_independent(body);
}

TEST(OpenAiResponses, EmptyStreamIsTruncatedWithNullNative) {
  const AssemblyReport r = run("").report;
  EXPECT_EQ(codes(r), Codes{"truncated"});
  EXPECT_EQ(r.native_json, "null");
  EXPECT_TRUE(r.normalized.outputs.empty());
}

TEST(OpenAiResponses, EventsAfterTheEnd) {
  Stream s = hi_stream();
  s.ev("response.output_text.delta", delta("!"));
  AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), Codes{"event_after_response_end"});
  EXPECT_EQ(only_output(r).text, "Hi there");

  Stream e;
  e.ev("response.created", kCreated)
      .ev("error", R"("code":"x","message":"y","param":null)")
      .ev("response.in_progress", kCreated);
  r = run(e.body).report;
  EXPECT_EQ(codes(r), (Codes{"provider_error", "event_after_response_end"}));
}

TEST(OpenAiResponses, DoneMarkerIsIgnoredWithEverythingAfterIt) {
  Stream s = hi_stream();
  s.raw("data: [DONE]\n\n").ev("response.created", kCreated);
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), (Codes{"done_marker_ignored", "event_after_response_end"}));
  EXPECT_EQ(r.counts.deviation, 1u);
  EXPECT_EQ(r.stats.noise_events, 1u);
  EXPECT_EQ(only_output(r).text, "Hi there");
}

// ---------------------------------------------------------------- sequence numbers

TEST(OpenAiResponses, SequenceNumberGap) {
  Stream s = hi_stream();
  // Drop the sequence_number 5 event (the second delta): 4 -> 6 is a gap of one.
  std::string body = s.body;
  const size_t at = body.find("\"sequence_number\":5}");
  const size_t begin = body.rfind("event:", at);
  const size_t end = body.find("\n\n", at) + 2;
  body.erase(begin, end - begin);
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), (Codes{"sequence_number_gap", "done_differs_from_deltas"}));
  EXPECT_NE(r.diagnostics[0].message.find("6 follows 4: 1 missing"), std::string::npos) << r.diagnostics[0].message;
  EXPECT_EQ(only_output(r).text, "Hi there");  // the .done and the completed response carry it all
}

TEST(OpenAiResponses, SequenceNumberRepeatedOrBackwards) {
  Stream s;
  s.ev("response.created", kCreated);
  s.seq = 0;
  s.ev("response.in_progress", kCreated);  // 0 again
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), (Codes{"sequence_number_not_increasing", "truncated"}));
}

TEST(OpenAiResponses, SequenceNumberMayStartAnywhere) {
  Stream late;
  late.seq = 40;  // a retrieval with starting_after=39
  late.ev("response.created", kCreated).ev("response.completed", completed("[]"));
  const AssemblyReport r = run(late.body).report;
  EXPECT_EQ(codes(r), Codes{});
}

TEST(OpenAiResponses, SequenceNumberMissingIsNotedOnce) {
  std::string body = "event: response.created\ndata: {\"type\":\"response.created\"," + kCreated + "}\n\n";
  body += "event: response.completed\ndata: {\"type\":\"response.completed\"," + completed("[]") + "}\n\n";
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{"sequence_number_missing"});
  EXPECT_EQ(only_output(r).finish_reason, std::optional<std::string>("completed"));
}

TEST(OpenAiResponses, SequenceNumberWrongType) {
  const std::string body =
      "data: {\"type\":\"response.created\"," + kCreated + ",\"sequence_number\":\"0\"}\n\n";
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), (Codes{"field_type_mismatch", "truncated"}));
}

// ---------------------------------------------------------------- lookups and order

TEST(OpenAiResponses, DeltaForAnOutputIndexWithNoItem) {
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.output_item.added", kMsgAdded)
      .ev("response.content_part.added", kPartAdded)
      .ev("response.output_text.delta", delta("Hi"))
      .ev("response.output_text.delta", delta("zz", 1))  // no item at output_index 1
      .ev("response.output_text.done", text_done("Hi"))
      .ev("response.completed", completed("[" + msg_item("Hi") + "]"));
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), Codes{"output_item_missing"});
  EXPECT_EQ(only_output(r).text, "Hi");
  expect_chunking_independent(s.body);
}

TEST(OpenAiResponses, DeltaBeforeItsItemOrPart) {
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.output_text.delta", delta("Hi"))  // before output_item.added
      .ev("response.output_item.added", kMsgAdded)
      .ev("response.output_text.delta", delta("Hi"))  // before content_part.added
      .ev("response.content_part.added", kPartAdded)
      .ev("response.output_text.delta", delta("Hi"));
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), (Codes{"output_item_missing", "content_part_missing", "truncated"}));
  EXPECT_EQ(only_output(r).text, "Hi");
}

TEST(OpenAiResponses, SummaryIndexWithNoPart) {
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.output_item.added", R"("output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[]})")
      .ev("response.reasoning_summary_text.delta", R"("output_index":0,"item_id":"rs_1","summary_index":0,"delta":"x")");
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), (Codes{"content_part_missing", "truncated"}));
  EXPECT_EQ(only_output(r).reasoning, "");
}

TEST(OpenAiResponses, AddedIndexNotNext) {
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.output_item.added",
          R"("output_index":3,"item":{"id":"msg_1","type":"message","role":"assistant","content":[]})")
      .ev("response.content_part.added",
          R"("output_index":0,"item_id":"msg_1","content_index":2,"part":{"type":"output_text","text":""})")
      .ev("response.output_text.delta", delta("ok"));  // the SDK appended both at 0
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), (Codes{"added_index_not_next", "added_index_not_next", "truncated"}));
  EXPECT_EQ(only_output(r).text, "ok");
}

TEST(OpenAiResponses, EventDoesNotFitItsItem) {
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.output_item.added",
          R"("output_index":0,"item":{"id":"fc_1","type":"function_call","arguments":"","call_id":"c","name":"f"})")
      .ev("response.output_text.delta", R"("output_index":0,"item_id":"fc_1","content_index":0,"delta":"x")")
      .ev("response.content_part.added",
          R"("output_index":0,"item_id":"fc_1","content_index":0,"part":{"type":"output_text","text":""})")
      .ev("response.output_item.added", item_done(R"({"id":"msg_1","type":"message","content":[]})", 1))
      .ev("response.content_part.added",
          R"("output_index":1,"item_id":"msg_1","content_index":0,"part":{"type":"refusal","refusal":""})")
      .ev("response.output_text.delta", delta("x", 1))  // a refusal part
      .ev("response.function_call_arguments.delta", R"("output_index":1,"item_id":"msg_1","delta":"{}")");
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), (Codes{"event_item_type_mismatch", "event_item_type_mismatch", "event_item_type_mismatch",
                             "event_item_type_mismatch", "truncated"}));
  EXPECT_EQ(only_output(r).text, "");
  EXPECT_EQ(only_output(r).tool_calls[0].arguments, "");
}

TEST(OpenAiResponses, ItemIdMismatch) {
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.output_item.added", kMsgAdded)
      .ev("response.content_part.added", kPartAdded)
      .ev("response.output_text.delta", R"("output_index":0,"item_id":"msg_other","content_index":0,"delta":"x")");
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), (Codes{"item_id_mismatch", "truncated"}));
  EXPECT_EQ(only_output(r).text, "x");  // the output_index decides, as the SDK does
}

TEST(OpenAiResponses, ResponseCreatedMissing) {
  Stream s;
  s.ev("response.output_item.added", kMsgAdded)
      .ev("response.content_part.added", kPartAdded)
      .ev("response.output_text.delta", delta("Hi"))
      .ev("response.completed", completed("[" + msg_item("Hi") + "]"));
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), Codes{"response_created_missing"});
  EXPECT_EQ(only_output(r).text, "Hi");
  EXPECT_EQ(r.normalized.id, std::optional<std::string>("resp_1"));

  Stream t;
  t.ev("response.in_progress", kCreated).ev("response.completed", completed("[]"));
  EXPECT_EQ(codes(run(t.body).report), Codes{"response_created_missing"});
}

// ---------------------------------------------------------------- .done checks

TEST(OpenAiResponses, TextDoneDiffersFromDeltas) {
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.output_item.added", kMsgAdded)
      .ev("response.content_part.added", kPartAdded)
      .ev("response.output_text.delta", delta("Hello wor"))
      .ev("response.output_text.delta", delta("ld"))
      .ev("response.output_text.done", text_done("Hello, world"))
      .ev("response.content_part.done", part_done("Hello, world"))
      .ev("response.output_item.done", item_done(msg_item("Hello, world")))
      .ev("response.completed", completed("[" + msg_item("Hello, world") + "]"));
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), Codes{"done_differs_from_deltas"});
  EXPECT_EQ(only_output(r).text, "Hello, world");
}

TEST(OpenAiResponses, ArgumentsAndPartDoneDiffer) {
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.output_item.added",
          R"("output_index":0,"item":{"id":"fc_1","type":"function_call","arguments":"","call_id":"c","name":"f"})")
      .ev("response.function_call_arguments.delta", R"("output_index":0,"item_id":"fc_1","delta":"{\"a\":1")")
      .ev("response.function_call_arguments.done", R"("output_index":0,"item_id":"fc_1","arguments":"{\"a\":1}")")
      .ev("response.output_item.added", item_done(R"({"id":"msg_1","type":"message","content":[]})", 1))
      .ev("response.content_part.added",
          R"("output_index":1,"item_id":"msg_1","content_index":0,"part":{"type":"output_text","text":""})")
      .ev("response.output_text.delta", delta("a", 1))
      .ev("response.content_part.done",
          R"("output_index":1,"item_id":"msg_1","content_index":0,"part":{"type":"output_text","text":"b"})");
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), (Codes{"done_differs_from_deltas", "done_differs_from_deltas", "truncated"}));
  EXPECT_EQ(only_output(r).tool_calls[0].arguments, R"({"a":1})");
  EXPECT_EQ(only_output(r).text, "b");
}

TEST(OpenAiResponses, ItemDoneDiffersFromAssembled) {
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.output_item.added", kMsgAdded)
      .ev("response.content_part.added", kPartAdded)
      .ev("response.output_text.delta", delta("Hi"))
      .ev("response.output_item.done", item_done(msg_item("Ho")))
      .ev("response.completed", completed("[" + msg_item("Ho") + "]"));
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), Codes{"item_done_differs_from_assembled"});
  EXPECT_EQ(only_output(r).text, "Ho");
}

TEST(OpenAiResponses, CompletedOutputDiffersFromAssembled) {
  Stream s = hi_stream();
  std::string body = s.body;
  // The completed response says something else than everything before it.
  const std::string from = "\"text\":\"Hi there\"}]}]";
  const size_t at = body.rfind(from);
  body.replace(at, from.size(), "\"text\":\"Bye\"}]}]");
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), Codes{"response_output_differs_from_assembled"});
  EXPECT_EQ(only_output(r).text, "Bye");  // the SDK's final object is the completed response

  Stream e;  // an empty completed output drops what was streamed
  e.ev("response.created", kCreated)
      .ev("response.output_item.added", kMsgAdded)
      .ev("response.completed", completed("[]"));
  const AssemblyReport r2 = run(e.body).report;
  EXPECT_EQ(codes(r2), Codes{"response_output_differs_from_assembled"});
  EXPECT_NE(r2.diagnostics[0].message.find("1 output items assembled, 0 in the response"), std::string::npos);
}

// ---------------------------------------------------------------- event types

TEST(OpenAiResponses, EventFieldDiffersFromType) {
  const std::string body = "event: response.in_progress\ndata: {\"type\":\"response.created\"," + kCreated +
                           ",\"sequence_number\":0}\n\n";
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), (Codes{"event_name_differs_from_type", "truncated"}));
  EXPECT_EQ(r.normalized.id, std::optional<std::string>("resp_1"));
}

TEST(OpenAiResponses, TypeMissingFallsBackToEventField) {
  const std::string body = "event: response.created\ndata: {" + kCreated + ",\"sequence_number\":0}\n\n" +
                           "data: {" + kCreated + ",\"sequence_number\":1}\n\n";
  const AssemblyReport r = run(body).report;
  EXPECT_EQ(codes(r), (Codes{"event_type_missing", "unexpected_event_type", "truncated"}));
  EXPECT_EQ(r.normalized.id, std::optional<std::string>("resp_1"));
}

TEST(OpenAiResponses, DataNotAnObject) {
  const AssemblyReport r = run("data: [1,2]\n\ndata: 7\n\n").report;
  EXPECT_EQ(codes(r), (Codes{"event_not_json_object", "event_not_json_object", "truncated"}));
}

TEST(OpenAiResponses, UnknownEventTypes) {
  Stream s;
  s.ev("response.created", kCreated).ev("response.brand_new_thing", R"("x":1)").ev("ping");
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), (Codes{"unexpected_event_type", "unexpected_event_type", "truncated"}));
  EXPECT_EQ(r.stats.data_chunks, 1u);
}

TEST(OpenAiResponses, DocumentedToolEventsAreAccepted) {
  const std::string ws = R"({"id":"ws_1","type":"web_search_call","status":"in_progress"})";
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.output_item.added", item_done(ws))
      .ev("response.web_search_call.in_progress", R"("output_index":0,"item_id":"ws_1")")
      .ev("response.web_search_call.searching", R"("output_index":0,"item_id":"ws_1")")
      .ev("response.audio.delta", R"("delta":"AAAA")")
      .ev("response.mcp_list_tools.in_progress", R"("output_index":0,"item_id":"ws_1")")
      .ev("keepalive")
      .ev("response.queued", kCreated);
  const AssemblyReport r = run(s.body).report;
  // queued replaces the snapshot (output []), as the SDK does.
  EXPECT_EQ(codes(r), (Codes{"response_output_differs_from_assembled", "truncated"}));
  EXPECT_EQ(r.stats.noise_events, 1u);

  Stream t;  // the status events update the item in the native object
  t.ev("response.created", kCreated)
      .ev("response.output_item.added", item_done(ws))
      .ev("response.web_search_call.searching", R"("output_index":0,"item_id":"ws_1")")
      .ev("response.code_interpreter_call_code.delta", R"("output_index":0,"item_id":"ws_1","delta":"x")");
  const AssemblyReport r2 = run(t.body).report;
  EXPECT_EQ(codes(r2), (Codes{"event_item_type_mismatch", "truncated"}));
  const rapidjson::Document d = native(r2);
  EXPECT_STREQ(d["output"][0]["status"].GetString(), "searching");
}

TEST(OpenAiResponses, CustomToolAndCodeDeltas) {
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.output_item.added",
          R"("output_index":0,"item":{"id":"ct_1","type":"custom_tool_call","call_id":"c","name":"sh","input":""})")
      .ev("response.custom_tool_call_input.delta", R"("output_index":0,"item_id":"ct_1","delta":"ls ")")
      .ev("response.custom_tool_call_input.delta", R"("output_index":0,"item_id":"ct_1","delta":"-l")")
      .ev("response.custom_tool_call_input.done", R"("output_index":0,"item_id":"ct_1","input":"ls -l")")
      .ev("response.output_item.added",
          R"("output_index":1,"item":{"id":"ci_1","type":"code_interpreter_call","status":"in_progress","code":null})")
      .ev("response.code_interpreter_call_code.delta", R"("output_index":1,"item_id":"ci_1","delta":"1+1")")
      .ev("response.code_interpreter_call.interpreting", R"("output_index":1,"item_id":"ci_1")");
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), Codes{"truncated"});
  const rapidjson::Document d = native(r);
  EXPECT_STREQ(d["output"][0]["input"].GetString(), "ls -l");
  EXPECT_STREQ(d["output"][1]["code"].GetString(), "1+1");  // null + delta: the SDK's ?? ''
  EXPECT_STREQ(d["output"][1]["status"].GetString(), "interpreting");
  EXPECT_TRUE(only_output(r).tool_calls.empty());  // only function_call items are tool calls
}

TEST(OpenAiResponses, AnnotationsAreStored) {
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.output_item.added", kMsgAdded)
      .ev("response.content_part.added", kPartAdded)
      .ev("response.output_text.annotation.added",
          R"("output_index":0,"item_id":"msg_1","content_index":0,"annotation_index":0,"annotation":{"type":"url_citation","url":"https://a"})")
      .ev("response.output_text.annotation.added",
          R"("output_index":0,"item_id":"msg_1","content_index":0,"annotation_index":2,"annotation":{"type":"url_citation","url":"https://c"})");
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), (Codes{"added_index_not_next", "truncated"}));
  const rapidjson::Document d = native(r);
  const auto& ann = d["output"][0]["content"][0]["annotations"];
  ASSERT_EQ(ann.Size(), 3u);
  EXPECT_STREQ(ann[0]["url"].GetString(), "https://a");
  EXPECT_TRUE(ann[1].IsNull());  // a JavaScript hole, as JSON.stringify writes it
  EXPECT_STREQ(ann[2]["url"].GetString(), "https://c");
}

TEST(OpenAiResponses, ToolArgumentsInvalidJson) {
  const std::string item = R"({"id":"fc_1","type":"function_call","status":"completed","arguments":"{\"a\":","call_id":"c","name":"f"})";
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.output_item.added",
          R"("output_index":0,"item":{"id":"fc_1","type":"function_call","arguments":"","call_id":"c","name":"f"})")
      .ev("response.function_call_arguments.delta", R"("output_index":0,"item_id":"fc_1","delta":"{\"a\":")")
      .ev("response.completed", completed("[" + item + "]"));
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), Codes{"tool_arguments_invalid_json"});
  EXPECT_TRUE(r.failed());
}

TEST(OpenAiResponses, DuplicateKeys) {
  Stream s;
  s.ev("response.created",
       R"("response":{"id":"resp_a","id":"resp_b","status":"in_progress","output":[]})")
      .ev("response.completed",
          R"("response":{"id":"resp_b","status":"completed","output":[{"id":"m","type":"message","content":[],"content":[{"type":"output_text","text":"T"}]}]})");
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), (Codes{"duplicate_key", "duplicate_key", "response_output_differs_from_assembled"}));
  EXPECT_EQ(r.normalized.id, std::optional<std::string>("resp_b"));
  EXPECT_EQ(only_output(r).text, "T");
  // First position, last value.
  const rapidjson::Document d = native(r);
  EXPECT_EQ(d["output"][0].MemberCount(), 3u);  // id, type, content (once)
}

TEST(OpenAiResponses, FieldTypeMismatches) {
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.output_item.added", R"("output_index":0,"item":"nope")")
      .ev("response.output_item.added", kMsgAdded)
      .ev("response.content_part.added", kPartAdded)
      .ev("response.output_text.delta", R"("output_index":"0","item_id":"msg_1","content_index":0,"delta":"x")")
      .ev("response.output_text.delta", R"("output_index":0,"item_id":"msg_1","content_index":0,"delta":5)")
      .ev("response.completed", R"("response":[])");
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), (Codes{"field_type_mismatch", "field_type_mismatch", "field_type_mismatch",
                             "field_type_mismatch"}));
  EXPECT_EQ(only_output(r).finish_reason, std::optional<std::string>("completed"));
  EXPECT_EQ(only_output(r).text, "");
}

// ---------------------------------------------------------------- limits

TEST(OpenAiResponses, MaxOutputsBoundsItemsAndParts) {
  DialectLimits l;
  l.max_outputs = 1;
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.output_item.added", kMsgAdded)
      .ev("response.output_item.added", item_done(R"({"id":"msg_2","type":"message","content":[]})", 1))
      .ev("response.output_text.delta", delta("x", 1))  // silenced: index past the limit
      .ev("response.content_part.added", kPartAdded)
      .ev("response.content_part.added",
          R"("output_index":0,"item_id":"msg_1","content_index":1,"part":{"type":"output_text","text":""})")
      .ev("response.output_text.delta", delta("a"));
  const AssemblyReport r = run(s.body, l).report;
  EXPECT_EQ(codes(r), (Codes{"response_index_out_of_range", "response_index_out_of_range", "truncated"}));
  EXPECT_EQ(only_output(r).text, "a");
}

TEST(OpenAiResponses, MaxToolCallsBoundsFunctionCalls) {
  DialectLimits l;
  l.max_tool_calls = 1;
  auto fc = [](int i) {
    return R"("output_index":)" + std::to_string(i) + R"(,"item":{"id":"fc_)" + std::to_string(i) +
           R"(","type":"function_call","arguments":"","call_id":"c)" + std::to_string(i) + R"(","name":"f"})";
  };
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.output_item.added", fc(0))
      .ev("response.output_item.added", fc(1))
      .ev("response.function_call_arguments.delta", R"("output_index":1,"item_id":"fc_1","delta":"{}")")
      .ev("response.function_call_arguments.delta", R"("output_index":0,"item_id":"fc_0","delta":"{}")");
  const AssemblyReport r = run(s.body, l).report;
  EXPECT_EQ(codes(r), (Codes{"response_index_out_of_range", "truncated"}));
  ASSERT_EQ(only_output(r).tool_calls.size(), 1u);
  EXPECT_EQ(only_output(r).tool_calls[0].id, std::optional<std::string>("c0"));
  EXPECT_EQ(only_output(r).tool_calls[0].arguments, "{}");
}

TEST(OpenAiResponses, HugeIndicesAllocateNothing) {
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.output_item.added", kMsgAdded)
      .ev("response.content_part.added", kPartAdded)
      .ev("response.output_text.delta", delta("x", 2000000000))
      .ev("response.output_text.delta", delta("x", 0, 2000000000))
      .ev("response.output_text.annotation.added",
          R"("output_index":0,"item_id":"msg_1","content_index":0,"annotation_index":18446744073709551615,"annotation":{})")
      .ev("response.output_text.delta", delta("x", 2000000000));  // past max_outputs after an overflow: silent
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), (Codes{"output_item_missing", "content_part_missing", "response_index_out_of_range", "truncated"}));
}

TEST(OpenAiResponses, AssembledTooLarge) {
  DialectLimits l;
  l.max_assembled_bytes = 4;
  Stream s = hi_stream();
  const AssemblyReport r = run(s.body, l).report;
  // "Hi" fits, " there" does not; output_text.done's "Hi there" is over the limit too, so
  // "Hi" stays and content_part.done (a copied part, not assembled text) differs again.
  EXPECT_EQ(codes(r), (Codes{"assembled_too_large", "done_differs_from_deltas", "done_differs_from_deltas"}));
  EXPECT_EQ(r.stats.assembled_bytes, 2u);
  EXPECT_EQ(only_output(r).text, "Hi there");  // the completed response's
  EXPECT_TRUE(r.failed());
}

TEST(OpenAiResponses, DeepAndInvalidJson) {
  std::string deep = "data: {\"type\":\"response.created\",\"x\":";
  for (int i = 0; i < 100; ++i) deep += "[";
  for (int i = 0; i < 100; ++i) deep += "]";
  deep += "}\n\n";
  const AssemblyReport r = run(deep + "data: {nope\n\n").report;
  EXPECT_EQ(codes(r), (Codes{"json_too_deep", "invalid_json", "truncated"}));
}

TEST(OpenAiResponses, MaxDiagnosticsKeepsFatalOnes) {
  DialectLimits l;
  l.max_diagnostics = 2;
  Stream s;
  s.ev("response.created", kCreated);
  for (int i = 0; i < 5; ++i) s.ev("response.output_text.delta", delta("x", 9));
  const AssemblyReport r = run(s.body, l).report;
  EXPECT_EQ(r.counts.of(DiagCode::output_item_missing), 5u);
  EXPECT_EQ(r.counts.dropped, 3u);
  EXPECT_EQ(codes(r), (Codes{"output_item_missing", "output_item_missing", "truncated"}));
}

TEST(OpenAiResponses, HostileInputNeverCrashes) {
  const std::string well = hi_stream().body;
  // Every prefix, and the stream with each byte flipped, must give a report.
  for (size_t i = 0; i < well.size(); i += 7) {
    (void)run(well.substr(0, i));
    std::string bad = well;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    const AssemblyReport r = run(bad).report;
    EXPECT_FALSE(r.native_json.empty());
  }
  const char* garbage[] = {
      "data: {\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":{\"type\":\"message\",\"content\":7}}\n\n",
      "data: {\"type\":\"response.content_part.done\",\"output_index\":0,\"content_index\":0,\"part\":null}\n\n",
      ("data: {\"type\":\"response.completed\",\"response\":{\"output\":[1,{\"type\":\"message\",\"content\":[2,{}]}],"
       "\"usage\":{\"input_tokens\":-1,\"output_tokens\":1.5},\"error\":\"x\"}}\n\n"),
      "data: {\"type\":\"response.created\",\"response\":{\"output\":{}}}\n\n",
      "data: {\"type\":\"error\"}\n\ndata: {\"type\":\"error\",\"error\":null}\n\n",
      "\xff\xfe data: \x00\n\n:\n\nevent:\ndata:\n\n",
  };
  for (const char* g : garbage) {
    const AssemblyReport r = run(g).report;
    const rapidjson::Document d = native(r);
    (void)d;
  }
}

TEST(OpenAiResponses, ManyMembersAndManyDeltas) {
  // An item with 20000 members before its text field, then 20000 deltas: each delta
  // finds the live field at its remembered position, so this stays linear.
  std::string part = R"({"type":"output_text")";
  for (int i = 0; i < 20000; ++i) part += ",\"k" + std::to_string(i) + "\":0";
  part += R"(,"text":""})";
  Stream s;
  s.ev("response.created", kCreated)
      .ev("response.output_item.added", kMsgAdded)
      .ev("response.content_part.added", R"("output_index":0,"item_id":"msg_1","content_index":0,"part":)" + part);
  for (int i = 0; i < 20000; ++i) s.ev("response.output_text.delta", delta("x"));
  const AssemblyReport r = run(s.body).report;
  EXPECT_EQ(codes(r), Codes{"truncated"});
  EXPECT_EQ(only_output(r).text, std::string(20000, 'x'));
}

// ---------------------------------------------------------------- observer

struct Recorder : StreamObserver {
  std::string log;
  void on_content(uint32_t o, std::string_view t) override { log += "c" + std::to_string(o) + ":" + std::string(t) + ";"; }
  void on_reasoning(uint32_t, std::string_view t) override { log += "r:" + std::string(t) + ";"; }
  void on_refusal(uint32_t, std::string_view t) override { log += "x:" + std::string(t) + ";"; }
  void on_tool_call_started(uint32_t, uint32_t i, std::string_view id, std::string_view n) override {
    log += "t" + std::to_string(i) + ":" + std::string(id) + "/" + std::string(n) + ";";
  }
  void on_tool_arguments(uint32_t, uint32_t i, std::string_view t) override {
    log += "a" + std::to_string(i) + ":" + std::string(t) + ";";
  }
  void on_output_finished(uint32_t, std::string_view f) override { log += "f:" + std::string(f) + ";"; }
};

TEST(OpenAiResponses, ObserverSeesDeltasInOrder) {
  Recorder rec;
  (void)run(hi_stream().body, {}, &rec);
  EXPECT_EQ(rec.log, "c0:Hi;c0: there;f:completed;");
  Recorder calls;
  (void)run(recorded_body("openai-gpt-5-multi-tool-streaming.yaml", 0), {}, &calls);
  EXPECT_EQ(calls.log,
            "t0:call_inViAUr9eV0GDtyOywkCxp59/add;a0:{\"a\":2,\"b\":3};t1:call_Op66UUnzuOoKmgGeFJQJFTUY/multiply;"
            "a1:{\"a\":2,\"b\":3};f:completed;");
}

// ---------------------------------------------------------------- registry entry

TEST(OpenAiResponsesInfo, Routes) {
  const auto m = kOpenAiResponsesDialect.matches_request;
  EXPECT_TRUE(m("https://api.openai.com/v1/responses"));
  EXPECT_TRUE(m("/v1/responses"));
  EXPECT_TRUE(m("https://openrouter.ai/api/v1/responses"));
  EXPECT_TRUE(m("https://x.openai.azure.com/openai/responses?api-version=2025-04-01-preview"));
  EXPECT_TRUE(m("https://x.openai.azure.com/openai/v1/responses"));
  EXPECT_TRUE(m("https://api.openai.com/v1/responses/resp_123?stream=true"));
  EXPECT_TRUE(m("https://api.openai.com/v1/responses/resp_123?starting_after=4&stream=true"));
  EXPECT_FALSE(m("https://api.openai.com/v1/responses/resp_123"));
  EXPECT_FALSE(m("https://api.openai.com/v1/responses/resp_123/input_items?stream=true"));
  EXPECT_FALSE(m("https://api.openai.com/v1/responses/resp_123/cancel"));
  EXPECT_FALSE(m("https://api.openai.com/v1/chat/completions"));
  EXPECT_FALSE(m("https://api.anthropic.com/v1/messages"));
  EXPECT_FALSE(m("https://example.com/my/responses"));
  EXPECT_FALSE(m(""));
  EXPECT_EQ(dialect_for_request("https://api.openai.com/v1/responses"), &kOpenAiResponsesDialect);
}

Recognition recognize(std::string_view type, std::string_view data) {
  json::EventJson p(JsonBackend::rapidjson);
  json::Value root;
  if (p.parse(data) == json::Status::ok) root = p.root();
  return kOpenAiResponsesDialect.recognize(type, data, root);
}

TEST(OpenAiResponsesInfo, Recognition) {
  EXPECT_EQ(recognize("response.created", "{\"type\":\"response.created\"," + kCreated + ",\"sequence_number\":0}"),
            Recognition::yes);
  EXPECT_EQ(recognize("message", R"({"type":"response.output_text.delta","delta":"x","sequence_number":3})"),
            Recognition::yes);
  EXPECT_EQ(recognize("error", R"({"type":"error","code":"x","message":"y","param":null,"sequence_number":1})"),
            Recognition::yes);
  EXPECT_EQ(recognize("message", R"({"type":"response.something"})"), Recognition::maybe);
  EXPECT_EQ(recognize("response.created", "not json"), Recognition::maybe);
  // Other providers' events.
  EXPECT_EQ(recognize("message",
                      R"({"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"x"}}]})"),
            Recognition::no);
  EXPECT_EQ(recognize("message_start", R"({"type":"message_start","message":{"id":"msg_1"}})"), Recognition::no);
  EXPECT_EQ(recognize("content_block_delta",
                      R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}})"),
            Recognition::no);
  EXPECT_EQ(recognize("error", R"({"type":"error","error":{"type":"overloaded_error","message":"x"}})"),
            Recognition::no);
  EXPECT_EQ(recognize("ping", R"({"type":"ping"})"), Recognition::no);
  EXPECT_EQ(recognize("message", R"({"candidates":[{"content":{"parts":[{"text":"x"}]}}],"modelVersion":"g"})"),
            Recognition::no);
  EXPECT_EQ(recognize("message", "[DONE]"), Recognition::no);
}

TEST(OpenAiResponsesInfo, NoNoiseAndLimits) {
  // Sequence numbers leave no room for inserted events: no noise of its own.
  EXPECT_EQ(kOpenAiResponsesDialect.noise, nullptr);
  EXPECT_EQ(kOpenAiResponsesDialect.name, "openai-responses");
  EXPECT_EQ(find_dialect("openai-responses"), &kOpenAiResponsesDialect);
  bool outputs = false, tools = false;
  for (std::string_view l : kOpenAiResponsesDialect.limits) outputs |= l == "max_outputs", tools |= l == "max_tool_calls";
  EXPECT_TRUE(outputs && tools);
}

TEST(OpenAiResponsesInfo, CodesBelongToTheLayer) {
  size_t n = 0;
  for (const DiagInfo& d : all_diagnostics())
    if (d.layer == "openai-responses") {
      ++n;
      EXPECT_FALSE(d.description.empty());
    }
  EXPECT_EQ(n, 22u);  // counted by hand in codes.h
}

TEST(OpenAiResponses, StrictFailsOnDeviations) {
  Stream s = hi_stream();
  s.ev("response.in_progress", kCreated);
  EXPECT_FALSE(run(s.body).failed());
  EXPECT_TRUE(run(s.body, {}, nullptr, std::string(kDialect), true).failed());
}

}  // namespace
}  // namespace ssecheck
