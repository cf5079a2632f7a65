// DeltaAccumulator: merging rules, every chunk diagnostic, state transitions, limits,
// observer order, strict vs tolerant. Expected values are written by hand from the
// chunks each test sends.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/writer.h>

#include <atomic>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "ssecheck/assemble.h"
#include "ssecheck/openai_chat/completion_json.h"
#include "ssecheck/openai_chat/delta_accumulator.h"
#include "ssecheck/registry.h"

// Counts operator new, to prove that huge indices allocate nothing.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
namespace {
std::atomic<uint64_t> g_new_bytes{0};
std::atomic<uint64_t> g_new_calls{0};
}  // namespace

void* operator new(std::size_t n) {
  g_new_bytes += n;
  ++g_new_calls;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return ::operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
// The nothrow forms too: libsimdjson allocates with them and our inline code frees.
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  g_new_bytes += n;
  ++g_new_calls;
  return std::malloc(n == 0 ? 1 : n);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return ::operator new(n, t); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace ssecheck {
namespace {

using D = DiagCode;

// A chunk with the usual envelope around the given choices JSON.
std::string chunk(const std::string& choices, const std::string& extra = "") {
  return R"({"id":"c1","object":"chat.completion.chunk","created":100,"model":"m1","choices":[)" + choices +
         "]" + extra + "}";
}
std::string delta(const std::string& d, const std::string& rest = "") {
  return chunk(R"({"index":0,"delta":)" + d + rest + "}");
}

// Feeds events straight into the accumulator (no SSE parser in between).
struct Feeder {
  explicit Feeder(AccumulatorOptions o = {}) : acc(o) {}
  DeltaAccumulator acc;
  uint64_t index = 0;
  uint64_t offset = 0;

  void send(std::string_view data, std::string_view type = "message") {
    Event e;
    e.type = type;
    e.data = data;
    e.index = index++;
    e.offset = offset;
    offset += data.size() + 8;
    acc.on_event(e);
  }
  void done() { send("[DONE]"); }
  const AssemblyReport& end() {
    acc.finish(offset);
    return acc.report();
  }
  const Message& msg(size_t choice = 0) { return completion_of(acc.report()).choices.at(choice).message; }
};

// The one normal ending: a stop chunk then [DONE].
void finish_ok(Feeder& f) {
  f.send(delta("{}", R"(,"finish_reason":"stop")"));
  f.done();
}

// The first stored diagnostic with this code; a failure (and a blank one) when none.
const Diagnostic* first(const AssemblyReport& r, D code) {
  for (const Diagnostic& d : r.diagnostics)
    if (d.code == code) return &d;
  ADD_FAILURE() << "no " << name(code) << " diagnostic";
  static const Diagnostic kNone{};
  return &kNone;
}

std::vector<D> codes(const AssemblyReport& r) {
  std::vector<D> out;
  for (const Diagnostic& d : r.diagnostics) out.push_back(d.code);
  return out;
}

// The "native" member (the chat.completion) of the report JSON, compact.
std::string completion_json(const AssemblyReport& r) {
  rapidjson::Document d;
  const std::string json = report_to_json(r);
  d.Parse(json.c_str());
  EXPECT_FALSE(d.HasParseError());
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  d["native"].Accept(w);
  return sb.GetString();
}

// ---------------------------------------------------------------- merging rules

TEST(Merge, ContentConcatenatesAndAbsentStaysNull) {
  Feeder f;
  f.send(delta(R"({"role":"assistant","content":"Hel"})"));
  f.send(delta(R"({"content":"lo"})"));
  finish_ok(f);
  const AssemblyReport& r = f.end();
  EXPECT_EQ(f.msg().content, "Hello");
  EXPECT_EQ(f.msg().role, "assistant");
  EXPECT_FALSE(f.msg().refusal.has_value());
  EXPECT_FALSE(f.msg().reasoning.has_value());
  EXPECT_TRUE(r.diagnostics.empty());
  EXPECT_FALSE(r.failed());
  EXPECT_EQ(r.state, StreamState::done);
}

TEST(Merge, EmptyStringIsSentNotAbsent) {
  Feeder f;
  f.send(delta(R"({"content":""})"));
  finish_ok(f);
  f.end();
  ASSERT_TRUE(f.msg().content.has_value());
  EXPECT_EQ(*f.msg().content, "");
}

TEST(Merge, RefusalAndReasoningConcatenate) {
  Feeder f;
  f.send(delta(R"({"reasoning_content":"think "})"));
  f.send(delta(R"({"reasoning_content":"hard","refusal":"No"})"));
  f.send(delta(R"({"refusal":", sorry"})"));
  finish_ok(f);
  f.end();
  EXPECT_EQ(f.msg().reasoning, "think hard");
  EXPECT_EQ(f.msg().refusal, "No, sorry");
}

TEST(Merge, ReasoningFieldUsedWhenProviderSendsIt) {
  Feeder f;
  f.send(delta(R"({"reasoning":"a"})"));
  f.send(delta(R"({"reasoning":"b"})"));
  finish_ok(f);
  f.end();
  EXPECT_EQ(f.msg().reasoning, "ab");
}

TEST(Merge, ReasoningContentWinsOverReasoningInOneDelta) {
  Feeder f;
  f.send(delta(R"({"reasoning":"x","reasoning_content":"x"})"));
  finish_ok(f);
  f.end();
  EXPECT_EQ(f.msg().reasoning, "x");  // not "xx"
}

TEST(Merge, ReasoningDetailsMergeByIndex) {
  Feeder f;
  f.send(delta(R"({"reasoning_details":[{"type":"reasoning.text","text":"a","index":0}]})"));
  f.send(delta(R"({"reasoning_details":[{"type":"reasoning.text","text":"b","index":0},)"
               R"({"type":"reasoning.summary","summary":"s","index":1}]})"));
  f.send(delta(R"({"reasoning_details":[{"type":"other","text":"c","index":0,"signature":null}]})"));
  finish_ok(f);
  f.end();
  const auto& details = f.msg().reasoning_details;
  ASSERT_EQ(details.size(), 2u);
  EXPECT_EQ(details[0].index, 0u);
  ASSERT_EQ(details[0].fields.size(), 2u);  // type, text (index and null skipped)
  EXPECT_EQ(details[0].fields[0].key, "type");
  EXPECT_EQ(details[0].fields[0].value, "reasoning.text");  // set once
  EXPECT_EQ(details[0].fields[1].key, "text");
  EXPECT_EQ(details[0].fields[1].value, "abc");
  EXPECT_EQ(details[1].fields[1].value, "s");
}

TEST(Merge, ToolCallsKeyedByIndexAndArgumentsConcatenate) {
  Feeder f;
  f.send(delta(R"({"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"add","arguments":""}}]})"));
  f.send(delta(R"({"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"mul","arguments":"{\"x\""}}]})"));
  f.send(delta(R"({"tool_calls":[{"index":0,"function":{"arguments":"{\"a\":"}}]})"));
  f.send(delta(R"({"tool_calls":[{"index":0,"function":{"arguments":"1}"}},{"index":1,"function":{"arguments":":2}"}}]})"));
  // An equal repeat of id, type and name is a no-op.
  f.send(delta(R"({"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"mul"}}]})"));
  f.send(delta("{}", R"(,"finish_reason":"tool_calls")"));
  f.done();
  const AssemblyReport& r = f.end();
  const auto& calls = f.msg().tool_calls;
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].id, "call_a");
  EXPECT_EQ(calls[0].name, "add");
  EXPECT_EQ(calls[0].type, "function");
  EXPECT_EQ(calls[0].arguments, "{\"a\":1}");
  EXPECT_EQ(calls[1].id, "call_b");
  EXPECT_EQ(calls[1].name, "mul");
  EXPECT_EQ(calls[1].arguments, "{\"x\":2}");
  EXPECT_TRUE(r.diagnostics.empty()) << report_to_json(r);
  EXPECT_EQ(completion_of(r).choices[0].finish_reason, "tool_calls");
}

TEST(Merge, ToolIndexAfterFunctionStillKeys) {
  Feeder f;  // grok puts "index" after "function"
  f.send(delta(R"({"tool_calls":[{"id":"c","function":{"name":"n","arguments":"{}"},"index":3,"type":"function"}]})"));
  finish_ok(f);
  f.end();
  ASSERT_EQ(f.msg().tool_calls.size(), 1u);
  EXPECT_EQ(f.msg().tool_calls[0].index, 3u);
}

TEST(Merge, ToolIdTypeNameChangesAreReportedAndFirstKept) {
  Feeder f;
  f.send(delta(R"({"tool_calls":[{"index":0,"id":"a","type":"function","function":{"name":"f","arguments":"{}"}}]})"));
  f.send(delta(R"({"tool_calls":[{"index":0,"id":"b","type":"custom","function":{"name":"g"}}]})"));
  finish_ok(f);
  const AssemblyReport& r = f.end();
  ASSERT_EQ(codes(r), (std::vector<D>{D::tool_id_changed, D::tool_type_changed, D::tool_name_changed}));
  EXPECT_EQ(f.msg().tool_calls[0].id, "a");
  EXPECT_EQ(f.msg().tool_calls[0].type, "function");
  EXPECT_EQ(f.msg().tool_calls[0].name, "f");
  EXPECT_EQ(r.diagnostics[0].event_index, 1u);
  EXPECT_NE(r.diagnostics[0].message.find("'a'"), std::string::npos);
  EXPECT_NE(r.diagnostics[0].message.find("'b'"), std::string::npos);
}

TEST(Merge, ToolIndexMissingFallsBackToIdThenLatest) {
  Feeder f;
  f.send(delta(R"({"tool_calls":[{"id":"a","function":{"name":"f","arguments":"{\"p\":"}}]})"));  // new, index 0
  f.send(delta(R"({"tool_calls":[{"id":"b","function":{"name":"g","arguments":"["}}]})"));        // new, index 1
  f.send(delta(R"({"tool_calls":[{"id":"a","function":{"arguments":"1}"}}]})"));                 // by id
  f.send(delta(R"({"tool_calls":[{"function":{"arguments":"]"}}]})"));                           // latest: a
  finish_ok(f);
  const AssemblyReport& r = f.end();
  EXPECT_EQ(r.counts.of(D::tool_index_missing), 4u);
  const auto& calls = f.msg().tool_calls;
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].arguments, "{\"p\":1}]");  // the id-less fragment went to the latest call (a)
  EXPECT_EQ(calls[1].arguments, "[");
  EXPECT_TRUE(r.has(D::tool_arguments_invalid_json));  // both are now broken JSON
}

TEST(Merge, TopLevelFirstNonEmptyWins) {
  Feeder f;
  f.send(R"({"id":"","object":"chat.completion.chunk","model":"","created":0,"choices":[]})");
  f.send(R"({"id":"x","object":"chat.completion.chunk","model":"m","created":5,"system_fingerprint":"fp1","choices":[]})");
  f.send(R"({"id":"x","object":"chat.completion.chunk","model":"m","created":5,"system_fingerprint":"fp1","choices":[]})");
  f.send(R"({"id":"y","object":"chat.completion.chunk","model":"n","created":6,"system_fingerprint":"fp2","choices":[]})");
  f.send(R"({"id":"z","object":"chat.completion.chunk","model":"m","created":7,"choices":[]})");
  finish_ok(f);
  const AssemblyReport& r = f.end();
  EXPECT_EQ(completion_of(r).id, "x");
  EXPECT_EQ(completion_of(r).model, "m");
  EXPECT_EQ(completion_of(r).created, 5);
  EXPECT_EQ(completion_of(r).system_fingerprint, "fp1");
  // The stop chunk from finish_ok carries id c1 / model m1 / created 100 too.
  EXPECT_EQ(r.counts.of(D::id_changed), 3u);
  EXPECT_EQ(r.counts.of(D::model_changed), 2u);
  EXPECT_EQ(r.counts.of(D::created_changed), 1u);  // reported once
  EXPECT_EQ(r.counts.of(D::system_fingerprint_changed), 1u);
  EXPECT_EQ(first(r, D::created_changed)->severity, Severity::note);
}

TEST(Merge, UsageReplacesNeverSums) {
  Feeder f;
  f.send(delta(R"({"content":"a"})", R"(,"finish_reason":"stop")"));
  f.send(chunk("", R"(,"usage":{"total_tokens":10,"extra":{"k":[1,2]}})"));
  f.send(chunk("", R"(,"usage":{"total_tokens":12,"provider_extra":"v"})"));
  f.send(chunk("", R"(,"usage":null)"));
  f.done();
  const AssemblyReport& r = f.end();
  EXPECT_EQ(completion_of(r).usage_json, R"({"total_tokens":12,"provider_extra":"v"})");
  ASSERT_EQ(codes(r), std::vector<D>{D::usage_repeated});
  EXPECT_EQ(r.diagnostics[0].severity, Severity::note);
  EXPECT_FALSE(r.failed());
}

// Pass-through numbers keep their value. The writer (RapidJSON's Grisu2) does not
// always print the shortest text, but what it prints reads back as the same double,
// which is checked here with std::from_chars, independently of the code under test.
double as_double(std::string_view t) {
  double d = 0;
  std::from_chars(t.data(), t.data() + t.size(), d);
  return d;
}

TEST(Merge, UsageNumbersPassThroughExactly) {
  Feeder f;
  f.send(delta(R"({"content":"a"})", R"(,"finish_reason":"stop")"));
  f.send(chunk("", R"(,"usage":{"a":0.30000000000000004,"b":1.7976931348623157e308,"c":5e-324,)"
                   R"("d":-0,"e":18446744073709551615,"f":-9223372036854775808,"g":1e-400,"h":-1e-400,)"
                   R"("i":18446744073709551616,"j":2.5E+3})"));
  f.done();
  const AssemblyReport& r = f.end();
  // d: -0 is the integer 0; g/h underflow to signed zero; i is past uint64, so a double.
  EXPECT_EQ(completion_of(r).usage_json,
            R"({"a":0.30000000000000007,"b":1.7976931348623157e308,"c":5e-324,"d":0,)"
            R"("e":18446744073709551615,"f":-9223372036854775808,"g":0.0,"h":-0.0,)"
            R"("i":18446744073709553000.0,"j":2500.0})");
  // The printed values read back as the doubles of the literals sent.
  const std::string& u = *completion_of(r).usage_json;
  const auto printed = [&](const char* key) {
    const size_t at = u.find(std::string("\"") + key + "\":") + std::strlen(key) + 3;
    return as_double(std::string_view(u).substr(at, u.find_first_of(",}", at) - at));
  };
  EXPECT_EQ(printed("a"), as_double("0.30000000000000004"));
  EXPECT_EQ(printed("b"), as_double("1.7976931348623157e308"));
  EXPECT_EQ(printed("i"), as_double("18446744073709551616"));
  EXPECT_TRUE(codes(r).empty());
}

TEST(Merge, NullAndEmptyFinishReasonAreAbsent) {
  Feeder f;
  f.send(delta(R"({"content":"a"})", R"(,"finish_reason":null)"));
  f.send(delta(R"({"content":"b"})", R"(,"finish_reason":"")"));
  EXPECT_EQ(f.acc.state(), StreamState::streaming);
  EXPECT_FALSE(completion_of(f.acc.report()).choices[0].finish_reason.has_value());
  f.send(delta("{}", R"(,"finish_reason":"length")"));
  EXPECT_EQ(f.acc.state(), StreamState::finished);
  f.done();
  const AssemblyReport& r = f.end();
  EXPECT_EQ(completion_of(r).choices[0].finish_reason, "length");
  EXPECT_TRUE(r.diagnostics.empty());
}

TEST(Merge, NoOpChunksLeaveTheCompletionUnchanged) {
  Feeder plain;
  plain.send(delta(R"({"role":"assistant","content":"Hi"})"));
  finish_ok(plain);
  Feeder noisy;
  noisy.acc.on_comment(" keep-alive", 0);
  noisy.send(chunk(""));                              // choices: []
  noisy.send(delta(R"({"role":"assistant","content":"Hi"})"));
  noisy.send(delta("{}"));                           // delta: {}
  noisy.send(chunk(R"({"index":0})"));               // no delta
  noisy.send(delta("null"));                         // delta: null
  noisy.acc.on_comment("", 0);
  finish_ok(noisy);
  const AssemblyReport& a = plain.end();
  const AssemblyReport& b = noisy.end();
  EXPECT_EQ(completion_json(a), completion_json(b));
  EXPECT_TRUE(b.diagnostics.empty());
  EXPECT_EQ(b.stats.comments, 2u);
  EXPECT_EQ(b.stats.noise_events, 3u);  // {}, missing, null; not the finish chunk
  EXPECT_EQ(a.stats.noise_events, 0u);
}

TEST(Merge, LogprobsContentArraysConcatenate) {
  Feeder f;
  f.send(delta(R"({"content":"a"})", R"(,"logprobs":{"content":[{"token":"a","logprob":-0.5}]})"));
  f.send(delta(R"({"content":"b"})", R"(,"logprobs":{"content":[{"token":"b","logprob":-1.25}],"refusal":null})"));
  finish_ok(f);
  const AssemblyReport& r = f.end();
  EXPECT_EQ(completion_of(r).choices[0].logprobs_content,
            R"({"token":"a","logprob":-0.5},{"token":"b","logprob":-1.25})");
  EXPECT_FALSE(completion_of(r).choices[0].logprobs_refusal.has_value());
  const std::string json = completion_json(r);
  EXPECT_NE(json.find(R"("logprobs":{"content":[{"token":"a","logprob":-0.5},{"token":"b","logprob":-1.25}],"refusal":null})"),
            std::string::npos)
      << json;
}

TEST(Merge, LogprobsAbsentPrintsNull) {
  Feeder f;
  f.send(delta(R"({"content":"a"})", R"(,"logprobs":null)"));
  finish_ok(f);
  EXPECT_NE(completion_json(f.end()).find(R"("logprobs":null)"), std::string::npos);
}

TEST(Merge, SparseChoicesStaySortedByIndex) {
  Feeder f;
  f.send(chunk(R"({"index":2,"delta":{"content":"two"}},{"index":0,"delta":{"content":"zero"}})"));
  f.send(chunk(R"({"index":0,"delta":{},"finish_reason":"stop"},{"index":2,"delta":{},"finish_reason":"stop"})"));
  f.done();
  const AssemblyReport& r = f.end();
  ASSERT_EQ(completion_of(r).choices.size(), 2u);
  EXPECT_EQ(completion_of(r).choices[0].index, 0u);
  EXPECT_EQ(completion_of(r).choices[0].message.content, "zero");
  EXPECT_EQ(completion_of(r).choices[1].index, 2u);
  EXPECT_EQ(completion_of(r).choices[1].message.content, "two");
  EXPECT_TRUE(r.diagnostics.empty());
}

// ---------------------------------------------------------------- diagnostics

TEST(Diag, InvalidJsonIsFatalSkipsTheEventAndKeepsGoing) {
  Feeder f;
  f.send(delta(R"({"content":"a"})"));
  f.send(R"({"choices":[)");  // event 1, offset 8 + 39 = ...
  f.send(delta(R"({"content":"b"})"));
  finish_ok(f);
  const AssemblyReport& r = f.end();
  EXPECT_EQ(f.msg().content, "ab");
  const Diagnostic* d = first(r, D::invalid_json);
  EXPECT_EQ(d->severity, Severity::fatal);
  EXPECT_EQ(d->event_index, 1u);
  EXPECT_EQ(d->byte_offset, delta(R"({"content":"a"})").size() + 8);
  EXPECT_TRUE(r.failed());
  EXPECT_EQ(r.state, StreamState::done);
}

// 10000e305 is 1e309: past the largest double. RapidJSON 1.1 alone returned
// -3.09e-308 for it; it must be rejected like 1e309, at the number's first byte.
TEST(Diag, NumberPastTheLargestDoubleIsInvalidJson) {
  for (const char* literal : {"10000e305", "1e309", "-0.1e310"}) {
    Feeder f;
    const std::string bad = chunk("", std::string(R"(,"usage":{"x":)") + literal + "}");
    f.send(bad);
    const AssemblyReport& r = f.end();
    const Diagnostic* d = first(r, D::invalid_json);
    const size_t at = bad.find(literal);
    EXPECT_EQ(d->message, "data is not valid JSON: Number too big to be stored in double. at byte " +
                              std::to_string(at)) << literal;
  }
}

TEST(Diag, InvalidUtf8InsideJsonIsInvalidJson) {
  Feeder f;
  f.send(delta("{\"content\":\"\xC3\x28\"}"));
  EXPECT_TRUE(f.acc.report().has(D::invalid_json));
}

TEST(Diag, NulByteInDataIsInvalidJson) {
  Feeder f;
  f.send(std::string_view("{\"a\":1}\0x", 9));
  EXPECT_TRUE(f.acc.report().has(D::invalid_json));
}

TEST(Diag, ProviderErrorObject) {
  Feeder f;
  f.send(delta(R"({"content":"a"})"));
  f.send(R"({"error":{"message":"Rate limit reached","type":"rate_limit","code":429}})");
  f.send(delta(R"({"content":"ignored"})"));
  f.done();
  const AssemblyReport& r = f.end();
  EXPECT_EQ(r.state, StreamState::errored);
  EXPECT_EQ(f.msg().content, "a");
  ASSERT_EQ(codes(r), std::vector<D>{D::provider_error});  // [DONE] came: no truncated, no data_after_done
  EXPECT_NE(r.diagnostics[0].message.find("Rate limit reached"), std::string::npos);
  EXPECT_NE(r.diagnostics[0].message.find("429"), std::string::npos);
  EXPECT_EQ(r.diagnostics[0].event_index, 1u);
  EXPECT_TRUE(r.failed());
  EXPECT_EQ(r.stats.events, 4u);
}

TEST(Diag, ProviderErrorEvent) {
  Feeder f;
  f.send(R"({"error":{"message":"overloaded"}})", "error");
  EXPECT_EQ(f.acc.state(), StreamState::errored);
  const AssemblyReport& r = f.end();
  ASSERT_EQ(codes(r), (std::vector<D>{D::provider_error, D::truncated}));  // no finish, no [DONE]
  EXPECT_EQ(r.state, StreamState::errored);
  EXPECT_NE(r.diagnostics[0].message.find("overloaded"), std::string::npos);
}

TEST(Diag, ProviderErrorEventWithPlainText) {
  Feeder f;
  f.send("upstream went away", "error");
  const AssemblyReport& r = f.end();
  ASSERT_EQ(codes(r), (std::vector<D>{D::provider_error, D::truncated}));
  EXPECT_NE(r.diagnostics[0].message.find("upstream went away"), std::string::npos);
}

TEST(Diag, NullErrorMemberIsNotAnError) {
  Feeder f;
  f.send(delta(R"({"content":"a"})", "") + "");
  f.send(chunk(R"({"index":0,"delta":{},"finish_reason":"stop"})", R"(,"error":null)"));
  f.done();
  EXPECT_TRUE(f.end().diagnostics.empty());
}

TEST(Diag, TruncatedWithoutFinishOrDone) {
  Feeder f;
  f.send(delta(R"({"content":"a"})"));
  const AssemblyReport& r = f.end();
  EXPECT_EQ(r.state, StreamState::truncated);
  ASSERT_EQ(codes(r), std::vector<D>{D::truncated});
  EXPECT_EQ(r.diagnostics[0].severity, Severity::fatal);
  EXPECT_EQ(r.diagnostics[0].event_index, 1u);
  EXPECT_EQ(r.diagnostics[0].byte_offset, f.offset);
  EXPECT_TRUE(r.failed());
}

TEST(Diag, DoneMissingAfterFinish) {
  Feeder f;
  f.send(delta(R"({"content":"a"})", R"(,"finish_reason":"stop")"));
  const AssemblyReport& r = f.end();
  EXPECT_EQ(r.state, StreamState::finished);
  ASSERT_EQ(codes(r), std::vector<D>{D::done_missing});
  EXPECT_EQ(r.diagnostics[0].severity, Severity::deviation);
  EXPECT_FALSE(r.failed());
}

TEST(Diag, DataAfterDone) {
  Feeder f;
  finish_ok(f);
  f.send(delta(R"({"content":"late"})"));
  f.done();
  const AssemblyReport& r = f.end();
  ASSERT_EQ(r.counts.of(D::data_after_done), 2u);
  EXPECT_FALSE(f.msg().content.has_value());
  EXPECT_EQ(r.diagnostics[0].event_index, 2u);
}

TEST(Diag, NotAChunk) {
  Feeder f;
  f.send("[1,2]");
  f.send("\"text\"");
  f.send(R"({"object":"chat.completion","choices":[]})");
  f.send(R"({"object":7,"choices":[]})");
  f.send(" ");
  f.send(R"({"choices":[]})");               // missing object: absent, fine
  f.send(R"({"object":"","choices":[]})");   // "" object: absent, fine
  const AssemblyReport& r = f.end();
  EXPECT_EQ(r.counts.of(D::not_a_chunk), 5u);
  EXPECT_EQ(r.stats.data_chunks, 4u);  // the four objects are still merged
}

TEST(Diag, UnexpectedEventTypeIsIgnored) {
  Feeder f;
  f.send(delta(R"({"content":"x"})"), "ping");
  finish_ok(f);
  const AssemblyReport& r = f.end();
  ASSERT_EQ(codes(r), std::vector<D>{D::unexpected_event_type});
  EXPECT_FALSE(f.msg().content.has_value());
}

TEST(Diag, FinishReasonMissingWhenDoneComesFirst) {
  Feeder f;
  f.send(delta(R"({"content":"a"})"));
  f.done();
  const AssemblyReport& r = f.end();
  EXPECT_EQ(r.state, StreamState::done);
  ASSERT_EQ(codes(r), std::vector<D>{D::finish_reason_missing});
}

TEST(Diag, NoChoices) {
  Feeder f;
  f.done();
  const AssemblyReport& r = f.end();
  EXPECT_EQ(r.state, StreamState::done);
  ASSERT_EQ(codes(r), std::vector<D>{D::no_choices});
}

TEST(Diag, ChoiceIndexMissingAssumesZero) {
  Feeder f;
  f.send(chunk(R"({"delta":{"content":"a"},"finish_reason":"stop"})"));
  f.done();
  const AssemblyReport& r = f.end();
  ASSERT_EQ(codes(r), std::vector<D>{D::choice_index_missing});
  EXPECT_EQ(f.msg().content, "a");
}

TEST(Diag, ContentAfterFinish) {
  Feeder f;
  f.send(delta(R"({"content":"a"})", R"(,"finish_reason":"stop")"));
  f.send(delta(R"({"content":"b"})"));
  f.send(delta(R"({"content":""})"));  // empty: not content
  f.done();
  const AssemblyReport& r = f.end();
  ASSERT_EQ(codes(r), std::vector<D>{D::content_after_finish});
  EXPECT_EQ(f.msg().content, "ab");  // tolerant: still assembled
}

TEST(Diag, FinishReasonChangedKeepsFirst) {
  Feeder f;
  f.send(delta("{}", R"(,"finish_reason":"stop")"));
  f.send(delta("{}", R"(,"finish_reason":"stop")"));
  f.send(delta("{}", R"(,"finish_reason":"length")"));
  f.done();
  const AssemblyReport& r = f.end();
  ASSERT_EQ(codes(r), std::vector<D>{D::finish_reason_changed});
  EXPECT_EQ(completion_of(r).choices[0].finish_reason, "stop");
}

TEST(Diag, RoleChanged) {
  Feeder f;
  f.send(delta(R"({"role":"assistant"})"));
  f.send(delta(R"({"role":"assistant"})"));
  f.send(delta(R"({"role":"tool"})"));
  finish_ok(f);
  const AssemblyReport& r = f.end();
  ASSERT_EQ(codes(r), std::vector<D>{D::role_changed});
  EXPECT_EQ(f.msg().role, "assistant");
}

TEST(Diag, FieldTypeMismatch) {
  Feeder f;
  f.send(delta(R"({"content":5})"));
  f.send(chunk("", R"(,"usage":[1])"));
  f.send(R"({"object":"chat.completion.chunk","choices":{}})");
  f.send(delta(R"({"tool_calls":[{"index":-1}]})"));
  finish_ok(f);
  const AssemblyReport& r = f.end();
  EXPECT_EQ(r.counts.of(D::field_type_mismatch), 4u);
  EXPECT_FALSE(f.msg().content.has_value());
}

TEST(Diag, ToolCallChecksAtEnd) {
  Feeder f;
  f.send(delta(R"({"tool_calls":[)"
               R"({"index":0,"id":"a","function":{"name":"f","arguments":""}},)"
               R"({"index":1,"id":"b","function":{"name":"g","arguments":"{\"x\":"}},)"
               R"({"index":2,"id":"c","function":{"name":"h","arguments":"[1]"}},)"
               R"({"index":3,"function":{"name":"k","arguments":"{}"}},)"
               R"({"index":4,"id":"e","function":{"name":"m","arguments":" {\"ok\":true} "}}]})"));
  f.send(delta("{}", R"(,"finish_reason":"tool_calls")"));
  f.done();
  const AssemblyReport& r = f.end();
  ASSERT_EQ(codes(r), (std::vector<D>{D::tool_arguments_empty, D::tool_arguments_invalid_json,
                                      D::tool_arguments_not_object, D::tool_call_incomplete}));
  EXPECT_EQ(first(r, D::tool_arguments_invalid_json)->severity, Severity::fatal);
  EXPECT_EQ(first(r, D::tool_arguments_empty)->severity, Severity::deviation);
  EXPECT_NE(first(r, D::tool_arguments_invalid_json)->message.find("tool call 1"), std::string::npos);
}

// JSON.parse and Python's json keep a repeated key's last value; RapidJSON's and
// simdjson's lookups return the first. The accumulator keeps the last and says so.
TEST(Diag, DuplicateKeysKeepTheLastValueAndAreReported) {
  for (JsonBackend backend : {JsonBackend::fastest, JsonBackend::rapidjson}) {
    AccumulatorOptions o;
    o.json_backend = backend;
    Feeder f(o);
    f.send(R"({"id":"c1","object":"chat.completion.chunk","model":"m0","model":"m1","choices":[)"
           R"({"index":0,"delta":{"content":"a","content":"b"}}]})");
    f.send(delta(R"({"tool_calls":[{"index":0,"id":"t1","function":{"name":"f","arguments":"{}","name":"g"}}]})",
                 R"(,"finish_reason":"stop","finish_reason":"length")"));
    f.done();
    const AssemblyReport& r = f.end();
    EXPECT_EQ(completion_of(r).model, "m1");  // and the later chunks' m1 is no change
    EXPECT_EQ(f.msg().content, "b");
    ASSERT_EQ(f.msg().tool_calls.size(), 1u);
    EXPECT_EQ(f.msg().tool_calls[0].name, "g");
    EXPECT_EQ(completion_of(r).choices[0].finish_reason, "length");
    ASSERT_EQ(codes(r), (std::vector<D>{D::duplicate_key, D::duplicate_key, D::duplicate_key, D::duplicate_key}));
    EXPECT_EQ(r.diagnostics[0].message, "the chunk repeats key 'model'; the last value is used");
    EXPECT_EQ(r.diagnostics[1].message, "choice 0: the delta repeats key 'content'; the last value is used");
    EXPECT_EQ(r.diagnostics[2].message, "a choice repeats key 'finish_reason'; the last value is used");
    EXPECT_EQ(r.diagnostics[3].message, "choice 0 tool call 0: function repeats key 'name'; the last value is used");
    EXPECT_EQ(r.diagnostics[0].severity, Severity::deviation);
    EXPECT_FALSE(r.failed());
  }
}

TEST(Diag, SseLayerDiagnosticsAreFiledWithCatalogueSeverity) {
  Feeder f;
  f.acc.add_diagnostic(D::invalid_utf8, 3, 77);
  const AssemblyReport& r = f.acc.report();
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].severity, Severity::deviation);
  EXPECT_EQ(r.diagnostics[0].event_index, 3u);
  EXPECT_EQ(r.diagnostics[0].byte_offset, 77u);
  EXPECT_EQ(r.diagnostics[0].message, info(D::invalid_utf8).description);
}

TEST(Diag, EveryOpenAiChatCodeIsCatalogued) {
  size_t chunk_codes = 0;
  for (const DiagInfo& d : all_diagnostics()) {
    if (d.layer != "openai-chat") continue;
    ++chunk_codes;
    EXPECT_FALSE(d.description.empty()) << d.name;
  }
  EXPECT_EQ(chunk_codes, 24u);  // 34 before the json and stream layers took 10 shared ones
  EXPECT_EQ(info(D::invalid_json).severity, Severity::fatal);
  EXPECT_EQ(info(D::provider_error).severity, Severity::fatal);
  EXPECT_EQ(info(D::truncated).severity, Severity::fatal);
  EXPECT_EQ(info(D::tool_arguments_invalid_json).severity, Severity::fatal);
  EXPECT_EQ(info(D::tool_index_missing).severity, Severity::deviation);
  EXPECT_EQ(info(D::usage_repeated).severity, Severity::note);
}

// ---------------------------------------------------------------- limits

TEST(Limits, AllocationCounterWorks) {
  const uint64_t before = g_new_calls.load();
  auto* p = new std::string(100, 'x');
  delete p;
  EXPECT_GE(g_new_calls.load() - before, 2u);  // the string object and its buffer
}

TEST(Limits, HugeChoiceIndexAllocatesNothing) {
  Feeder f;
  f.send(delta(R"({"content":"warm"})"));  // warm the buffers first
  const std::string evil = chunk(R"({"index":4000000000,"delta":{"content":"x"}})");
  const uint64_t before = g_new_bytes.load();
  f.send(evil);
  const uint64_t allocated = g_new_bytes.load() - before;
  EXPECT_LT(allocated, 4096u);  // the diagnostic's message, nothing sized by the index
  const AssemblyReport& r = f.acc.report();
  EXPECT_EQ(completion_of(r).choices.size(), 1u);
  ASSERT_TRUE(r.has(D::choice_index_out_of_range));
  EXPECT_EQ(first(r, D::choice_index_out_of_range)->severity, Severity::fatal);
  EXPECT_NE(first(r, D::choice_index_out_of_range)->message.find("4000000000"), std::string::npos);
}

TEST(Limits, HugeToolIndexAllocatesNothing) {
  Feeder f;
  f.send(delta(R"({"content":"warm"})"));
  const std::string evil = delta(R"({"tool_calls":[{"index":4000000000,"id":"a","function":{"name":"f"}}]})");
  const uint64_t before = g_new_bytes.load();
  f.send(evil);
  EXPECT_LT(g_new_bytes.load() - before, 4096u);
  EXPECT_TRUE(f.acc.report().has(D::tool_index_out_of_range));
  EXPECT_TRUE(f.msg().tool_calls.empty());
}

TEST(Limits, IndexBoundsAreExclusiveAndConfigurable) {
  AccumulatorOptions o;
  o.limits.max_outputs = 2;
  o.limits.max_tool_calls = 2;
  o.limits.max_reasoning_details = 1;
  Feeder f(o);
  f.send(chunk(R"({"index":1,"delta":{}},{"index":2,"delta":{}})"));
  f.send(chunk(R"({"index":1,"delta":{"tool_calls":[{"index":1,"id":"a"},{"index":2,"id":"b"}],)"
               R"("reasoning_details":[{"index":0,"text":"t"},{"index":1,"text":"u"}]}})"));
  const AssemblyReport& r = f.acc.report();
  EXPECT_EQ(r.counts.of(D::choice_index_out_of_range), 1u);
  EXPECT_EQ(r.counts.of(D::tool_index_out_of_range), 1u);
  EXPECT_EQ(r.counts.of(D::detail_index_out_of_range), 1u);
  ASSERT_EQ(completion_of(r).choices.size(), 1u);
  EXPECT_EQ(completion_of(r).choices[0].message.tool_calls.size(), 1u);
  EXPECT_EQ(completion_of(r).choices[0].message.reasoning_details.size(), 1u);
}

std::string nested(size_t depth) {  // an object holding depth-1 nested arrays: depth levels
  return "{\"x\":" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
}

// The default back end is simdjson when the build has it; what it would read
// differently from RapidJSON (zero with an exponent) and options forcing RapidJSON
// bypass it.
TEST(Limits, SimdjsonParsesWhenBuiltWithItAndAllowed) {
  Feeder fast;
  fast.send(delta(R"({"content":"a"})"));
  fast.send(chunk("", R"(,"usage":{"cost":0e5})"));
  fast.send(delta(R"({"content":"b"})"));
  EXPECT_EQ(fast.acc.simdjson_parses(), has_simdjson() ? 2u : 0u);
  AccumulatorOptions o;
  o.json_backend = JsonBackend::rapidjson;
  Feeder reference(o);
  reference.send(delta(R"({"content":"a"})"));
  EXPECT_EQ(reference.acc.simdjson_parses(), 0u);
  EXPECT_EQ(fast.msg().content, "ab");
}

// Run under both JSON back ends: simdjson counts depth differently (an empty innermost
// array is one level less), so the limit is checked with and without a value inside.
class JsonDepth : public testing::TestWithParam<JsonBackend> {};

TEST_P(JsonDepth, LimitIsExactWithEmptyAndNonEmptyInnermost) {
  AccumulatorOptions o;
  o.json_backend = GetParam();
  Feeder f(o);
  f.send(nested(64));
  f.send("{\"x\":" + std::string(63, '[') + "1" + std::string(63, ']') + "}");  // 64 levels, a value inside
  EXPECT_FALSE(f.acc.report().has(D::json_too_deep));
  f.send(nested(65));
  EXPECT_TRUE(f.acc.report().has(D::json_too_deep));
  EXPECT_EQ(first(f.acc.report(), D::json_too_deep)->event_index, 2u);
  f.send("{\"x\":" + std::string(64, '[') + "1" + std::string(64, ']') + "}");  // 65 levels
  EXPECT_EQ(f.acc.report().counts.of(D::json_too_deep), 2u);
  EXPECT_FALSE(f.acc.report().has(D::invalid_json));
  f.send(std::string(1000000, '['));  // a million levels: no recursion, no crash
  EXPECT_EQ(f.acc.report().counts.of(D::json_too_deep), 3u);
}

INSTANTIATE_TEST_SUITE_P(Limits, JsonDepth, testing::Values(JsonBackend::fastest, JsonBackend::rapidjson),
                         [](const testing::TestParamInfo<JsonBackend>& p) {
                           return p.param == JsonBackend::fastest ? std::string("fastest") : std::string("rapidjson");
                         });

TEST(Limits, JsonValueCountLimit) {
  AccumulatorOptions o;
  o.limits.max_json_values = 10;
  Feeder f(o);
  f.send(R"({"choices":[],"x":[1,2,3,4,5,6,7]})");  // 1 + 1 + 1 + 7 = 10 values
  EXPECT_FALSE(f.acc.report().has(D::json_too_large));
  f.send(R"({"choices":[],"x":[1,2,3,4,5,6,7,8]})");  // 11
  EXPECT_TRUE(f.acc.report().has(D::json_too_large));
  EXPECT_EQ(first(f.acc.report(), D::json_too_large)->severity, Severity::fatal);
  EXPECT_EQ(f.acc.report().stats.data_chunks, 1u);
}

TEST(Limits, DeepToolArgumentsAreTooDeep) {
  Feeder f;
  const std::string args = std::string(100, '[') + std::string(100, ']');
  f.send(delta(R"({"tool_calls":[{"index":0,"id":"a","function":{"name":"f","arguments":")" + args + "\"}}]}"));
  f.send(delta("{}", R"(,"finish_reason":"tool_calls")"));
  f.done();
  const AssemblyReport& r = f.end();
  ASSERT_EQ(codes(r), std::vector<D>{D::json_too_deep});
}

TEST(Limits, AssembledTooLarge) {
  AccumulatorOptions o;
  o.limits.max_assembled_bytes = 10;
  Feeder f(o);
  f.send(delta(R"({"content":"123456"})"));
  f.send(delta(R"({"content":"7890"})"));
  f.send(delta(R"({"content":"X"})"));
  f.send(delta(R"({"content":"Y"})"));
  finish_ok(f);
  const AssemblyReport& r = f.end();
  EXPECT_EQ(f.msg().content, "1234567890");
  EXPECT_EQ(r.counts.of(D::assembled_too_large), 1u);
  EXPECT_EQ(r.stats.assembled_bytes, 10u);
  EXPECT_TRUE(r.failed());
}

TEST(Limits, StoredDiagnosticsAreCappedButCounted) {
  AccumulatorOptions o;
  o.limits.max_diagnostics = 2;
  Feeder f(o);
  for (int i = 0; i < 5; ++i) f.send("nope");
  const AssemblyReport& r = f.end();  // + truncated
  EXPECT_EQ(r.diagnostics.size(), 2u);
  EXPECT_EQ(r.counts.fatal, 6u);
  EXPECT_EQ(r.counts.dropped, 4u);
  EXPECT_EQ(r.counts.of(D::invalid_json), 5u);
  EXPECT_TRUE(r.has(D::truncated));
}

TEST(Limits, WarmAccumulatorDoesNotAllocatePerEvent) {
  Feeder f;
  const std::string c = delta("{}");
  for (int i = 0; i < 10; ++i) f.send(c);
  const size_t capacity = f.acc.scratch_capacity();
  const uint64_t calls = g_new_calls.load();
  for (int i = 0; i < 1000; ++i) f.send(c);
  EXPECT_EQ(g_new_calls.load(), calls);
  EXPECT_EQ(f.acc.scratch_capacity(), capacity);
}

TEST(Limits, PoolsGrowForLargeChunksThenStayPut) {
  Feeder f;
  std::string big = "{\"object\":\"chat.completion.chunk\",\"choices\":[],\"x\":[";
  for (int i = 0; i < 5000; ++i) big += "{\"a\":1},";
  big += "0]}";
  f.send(big);
  f.send(big);
  const size_t capacity = f.acc.scratch_capacity();
  for (int i = 0; i < 20; ++i) f.send(big);
  EXPECT_EQ(f.acc.scratch_capacity(), capacity);
  EXPECT_LT(capacity, size_t{16} << 20);
  EXPECT_TRUE(f.acc.report().diagnostics.empty());
}

// ---------------------------------------------------------------- states

TEST(States, EveryTransition) {
  Feeder f;
  EXPECT_EQ(f.acc.state(), StreamState::start);
  f.acc.on_comment("x", 0);
  EXPECT_EQ(f.acc.state(), StreamState::start);
  f.send("garbage");  // skipped: state unchanged
  EXPECT_EQ(f.acc.state(), StreamState::start);
  f.send(delta(R"({"content":"a"})"));
  EXPECT_EQ(f.acc.state(), StreamState::streaming);
  f.send(delta(R"({"content":"b"})", R"(,"finish_reason":"stop")"));
  EXPECT_EQ(f.acc.state(), StreamState::finished);
  f.send(chunk("", R"(,"usage":{"total_tokens":1})"));
  EXPECT_EQ(f.acc.state(), StreamState::finished);
  f.done();
  EXPECT_EQ(f.acc.state(), StreamState::done);
  f.send(delta(R"({"content":"c"})"));
  EXPECT_EQ(f.acc.state(), StreamState::done);
  f.end();
  EXPECT_EQ(f.acc.state(), StreamState::done);
}

TEST(States, StartToDoneAndStartToTruncated) {
  Feeder a;
  a.done();
  EXPECT_EQ(a.acc.state(), StreamState::done);
  Feeder b;
  b.end();
  EXPECT_EQ(b.acc.state(), StreamState::truncated);
  EXPECT_TRUE(b.acc.report().has(D::truncated));
}

TEST(States, ErroredFromStartAndFromFinished) {
  Feeder a;
  a.send(R"({"error":{"message":"m"}})");
  EXPECT_EQ(a.acc.state(), StreamState::errored);
  Feeder b;
  b.send(delta("{}", R"(,"finish_reason":"stop")"));
  b.send("{}", "error");
  EXPECT_EQ(b.acc.state(), StreamState::errored);
  EXPECT_EQ(b.end().state, StreamState::errored);
  ASSERT_EQ(codes(b.acc.report()), std::vector<D>{D::provider_error});  // a finish_reason came
}

TEST(States, InputsAfterFinishAreIgnored) {
  Feeder f;
  finish_ok(f);
  f.end();
  const uint64_t events = f.acc.report().stats.events;
  f.send(delta(R"({"content":"z"})"));
  f.acc.finish(0);
  EXPECT_EQ(f.acc.report().stats.events, events);
  EXPECT_TRUE(f.acc.report().diagnostics.empty());
}

TEST(States, ResetStartsOver) {
  Feeder f;
  f.send(delta(R"({"content":"a"})"));
  f.end();
  f.acc.reset();
  EXPECT_EQ(f.acc.state(), StreamState::start);
  f.send(delta(R"({"content":"b"})"));
  finish_ok(f);
  const AssemblyReport& r = f.end();
  EXPECT_EQ(f.msg().content, "b");
  EXPECT_TRUE(r.diagnostics.empty());
}

// ---------------------------------------------------------------- observer

struct Recorder : AccumulatorObserver {
  std::vector<std::string> log;
  void on_content(uint32_t c, std::string_view t) override { add("content", c, t); }
  void on_reasoning(uint32_t c, std::string_view t) override { add("reasoning", c, t); }
  void on_refusal(uint32_t c, std::string_view t) override { add("refusal", c, t); }
  void on_tool_call_started(uint32_t c, uint32_t i, std::string_view id, std::string_view name) override {
    add("started", c, std::to_string(i) + " " + std::string(id) + " " + std::string(name));
  }
  void on_tool_arguments(uint32_t c, uint32_t i, std::string_view t) override {
    add("args", c, std::to_string(i) + " " + std::string(t));
  }
  void on_tool_call_finished(uint32_t c, const ToolCall& call) override {
    add("tool_finished", c, std::to_string(call.index) + " " + call.arguments.value_or("-"));
  }
  void on_choice_finished(uint32_t c, std::string_view r) override { add("finished", c, r); }
  void add(const char* what, uint32_t c, std::string_view t) {
    log.push_back(std::string(what) + "@" + std::to_string(c) + ":" + std::string(t));
  }
};

TEST(Observer, CallbackOrder) {
  Recorder rec;
  AccumulatorOptions o;
  o.observer = &rec;
  Feeder f(o);
  f.send(delta(R"({"role":"assistant","reasoning_content":"r1","content":"c1"})"));
  f.send(delta(R"({"refusal":"no","tool_calls":[{"index":0,"id":"a","function":{"name":"f","arguments":"{"}}]})"));
  f.send(delta(R"({"content":"","tool_calls":[{"index":0,"function":{"arguments":"}"}}]})"));
  f.send(chunk(R"({"index":1,"delta":{"tool_calls":[{"index":0,"id":"b","function":{"name":"g"}}]}})"));
  f.send(delta("{}", R"(,"finish_reason":"tool_calls")"));
  f.done();
  f.end();
  EXPECT_EQ(rec.log, (std::vector<std::string>{
                         "content@0:c1", "reasoning@0:r1", "refusal@0:no", "started@0:0 a f", "args@0:0 {",
                         "args@0:0 }", "started@1:0 b g", "tool_finished@0:0 {}", "finished@0:tool_calls",
                         "tool_finished@1:0 -",  // closed at end of stream
                     }));
}

// ---------------------------------------------------------------- strict vs tolerant

TEST(Strict, DeviationsFailOnlyWhenStrict) {
  for (bool strict : {false, true}) {
    AccumulatorOptions o;
    o.strict = strict;
    Feeder f(o);
    f.send(delta(R"({"content":"a"})", R"(,"finish_reason":"stop")"));  // no [DONE]
    const AssemblyReport& r = f.end();
    ASSERT_EQ(codes(r), std::vector<D>{D::done_missing});
    EXPECT_EQ(r.failed(), strict);
    EXPECT_EQ(f.acc.failed(), strict);
    EXPECT_EQ(f.msg().content, "a");  // assembled either way
  }
}

TEST(Strict, NotesNeverFail) {
  AccumulatorOptions o;
  o.strict = true;
  Feeder f(o);
  f.send(chunk(R"({"index":0,"delta":{},"finish_reason":"stop"})", R"(,"usage":{"a":1})"));
  f.send(chunk("", R"(,"usage":{"a":2})"));
  f.done();
  const AssemblyReport& r = f.end();
  ASSERT_EQ(codes(r), std::vector<D>{D::usage_repeated});
  EXPECT_FALSE(r.failed());
}

// ---------------------------------------------------------------- JSON output, dialect, runner

TEST(Output, AlwaysValidJsonEvenWithBadBytes) {
  Feeder f;
  f.send(delta(R"({"content":"a\u0000b\u001f\"q"})"));
  f.send("x", std::string_view("\xFF\xFE\x01", 3));  // raw bytes in an event type
  f.send(delta(R"({"refusal":"\udc00"})"));             // a lone low surrogate escape
  const AssemblyReport& r = f.end();
  for (bool pretty : {false, true}) {
    const std::string json = report_to_json(r, pretty);
    rapidjson::Document d;
    d.Parse<rapidjson::kParseValidateEncodingFlag>(json.c_str());
    ASSERT_FALSE(d.HasParseError()) << json;
    EXPECT_EQ(std::string(d["native"]["choices"][0]["message"]["content"].GetString(),
                          d["native"]["choices"][0]["message"]["content"].GetStringLength()),
              std::string("a\0b\x1f\"q", 6));
    EXPECT_TRUE(d["native"]["usage"].IsNull());
    EXPECT_STREQ(d["stats"]["state"].GetString(), "truncated");
  }
}

TEST(Output, AbsentFieldsPrintNullAndEmptyListsAreOmitted) {
  Feeder f;
  f.send(delta(R"({"content":""})", R"(,"finish_reason":"stop")"));
  f.done();
  const std::string json = completion_json(f.end());
  EXPECT_EQ(json,
            R"({"id":"c1","object":"chat.completion","created":100,"model":"m1","system_fingerprint":null,)"
            R"("choices":[{"index":0,"message":{"role":null,"content":"","reasoning_content":null,"refusal":null},)"
            R"("finish_reason":"stop","logprobs":null}],"usage":null})");
}

TEST(Runner, SameJsonUnderEveryTwoWaySplit) {
  const std::string body =
      "data: " + delta(R"({"role":"assistant","content":"Ol\u00e1"})") + "\n\n" + ": ping\n\n" +
      "data: " + delta(R"({"content":" \u00e9t\u00e9"})", R"(,"finish_reason":"stop")") + "\r\n\r\n" +
      "data: [DONE]\n\n";
  const auto whole = ssecheck::assemble(body, {});
  EXPECT_EQ(completion_of(whole.report).choices.at(0).message.content, "Ol\xC3\xA1 \xC3\xA9t\xC3\xA9");
  EXPECT_EQ(whole.report.stats.bytes, body.size());
  EXPECT_EQ(whole.report.stats.comments, 1u);
  EXPECT_TRUE(whole.report.diagnostics.empty()) << whole.json_pretty();
  for (size_t cut = 0; cut <= body.size(); ++cut) {
    const size_t cuts[] = {cut};
    const auto split = ssecheck::assemble(body, cuts);
    ASSERT_EQ(split.json_compact, whole.json_compact) << "cut at " << cut;
  }
}

TEST(Runner, SseDiagnosticsAreForwarded) {
  const std::string body = "data: {\"a\":\"\xFF\"}\n\ndata: [DONE]\n\ndata: {";
  const auto r = ssecheck::assemble(body, {});
  EXPECT_TRUE(r.report.has(D::invalid_utf8));      // SSE layer (repaired, so valid JSON)
  EXPECT_TRUE(r.report.has(D::incomplete_event));  // SSE layer, at end
  EXPECT_TRUE(r.report.has(D::no_choices));        // chunk layer: {"a":...} carries no choice
  EXPECT_EQ(first(r.report, D::invalid_utf8)->event_index, 0u);
}

TEST(Runner, UnknownDialectIsAFatalDiagnostic) {
  AssembleOptions o;
  o.dialect = "openai-chats";  // mistyped
  const auto r = ssecheck::assemble("data: [DONE]\n\n", {}, o);
  EXPECT_TRUE(r.report.failed());
  EXPECT_TRUE(r.report.has(D::unknown_dialect));
  ASSERT_TRUE(r.report.first_fatal.has_value());
  EXPECT_NE(r.report.diagnostics[*r.report.first_fatal].message.find("openai-chat"), std::string::npos);
}

}  // namespace
}  // namespace ssecheck
