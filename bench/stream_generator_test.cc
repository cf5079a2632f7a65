// Checks the benchmark stream generator with an independent reader: the stream is
// split by hand (blank lines, comment lines) and each data line parsed by RapidJSON.
// The dialect streams are also assembled by ssecheck::assemble() with their dialect:
// no diagnostic at all, the counts and the result digest the generator reports.
#include "stream_generator.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "result_digest.h"
#include "ssecheck/assemble.h"

namespace ssecheck::bench {
namespace {

std::string pull_all(StreamGenerator& gen, size_t block) {
  std::string out;
  std::vector<char> buf(block);
  while (size_t n = gen.next_block(buf)) out.append(buf.data(), n);
  return out;
}

struct Parsed {
  uint64_t events = 0, comments = 0, keep_alives = 0, pings = 0;
  uint64_t content = 0, reasoning = 0, empty = 0, tool_chunks = 0;
  std::map<uint64_t, std::string> arguments;
  bool done_last = false;
  std::vector<std::string> errors;
};

// Reads an LF stream line by line: "data: " lines gather into events ended by a blank line.
Parsed read_stream(const std::string& s) {
  Parsed p;
  size_t pos = 0;
  std::string data;
  while (pos < s.size()) {
    size_t nl = s.find('\n', pos);
    if (nl == std::string::npos) {
      p.errors.push_back("unterminated last line");
      break;
    }
    std::string line = s.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty()) {
      if (data.empty()) {
        p.errors.push_back("blank line without data");
        continue;
      }
      ++p.events;
      p.done_last = data == "[DONE]";
      if (!p.done_last) {
        rapidjson::Document d;
        d.Parse(data.c_str(), data.size());
        if (d.HasParseError() || !d.IsObject() || !d.HasMember("object") ||
            std::string(d["object"].GetString()) != "chat.completion.chunk") {
          p.errors.push_back("not a chunk: " + data.substr(0, 200));
        } else if (d["choices"].Size() > 0) {
          const auto& delta = d["choices"][0]["delta"];
          if (delta.ObjectEmpty()) ++p.empty;
          if (delta.HasMember("content")) ++p.content;
          if (delta.HasMember("reasoning_content")) ++p.reasoning;
          if (delta.HasMember("tool_calls")) {
            ++p.tool_chunks;
            const auto& call = delta["tool_calls"][0];
            p.arguments[call["index"].GetUint64()] += call["function"]["arguments"].GetString();
          }
        }
      }
      data.clear();
    } else if (line[0] == ':') {
      ++p.comments;
      if (line == ": keep-alive") ++p.keep_alives;
      if (line == ": ping") ++p.pings;
    } else if (line.starts_with("data: ")) {
      if (!data.empty()) p.errors.push_back("two data lines in one event");
      data = line.substr(6);
    } else {
      p.errors.push_back("unexpected line: " + line.substr(0, 200));
    }
  }
  if (!data.empty()) p.errors.push_back("stream ended inside an event");
  return p;
}

TEST(StreamGenerator, SameOptionsSameBytesWhateverTheBlockSize) {
  StreamOptions o;
  o.seed = 5;
  o.target_bytes = 64 * 1024;
  StreamGenerator a(o), b(o), c(o);
  std::string whole = pull_all(a, 1 << 16);
  EXPECT_EQ(whole, pull_all(b, 1));
  EXPECT_EQ(whole, pull_all(c, 7));
  o.seed = 6;
  StreamGenerator other(o);
  EXPECT_NE(whole, pull_all(other, 4096));
}

TEST(StreamGenerator, AgentStreamIsWellFormedAndHasEveryShape) {
  StreamOptions o;
  o.seed = 11;
  o.target_bytes = 1 << 20;
  StreamStats stats;
  std::string s = generate_stream(o, &stats);
  Parsed p = read_stream(s);
  ASSERT_TRUE(p.errors.empty()) << p.errors.front();
  EXPECT_GE(s.size(), o.target_bytes);
  EXPECT_LT(s.size(), o.target_bytes + 512 * 1024);
  EXPECT_EQ(stats.bytes, s.size());
  EXPECT_EQ(stats.events, p.events);
  EXPECT_EQ(stats.comments, p.comments);
  EXPECT_TRUE(p.done_last);
  EXPECT_GT(p.content, 0u);
  EXPECT_GT(p.reasoning, 0u);
  EXPECT_GT(p.empty, 0u);
  EXPECT_GT(p.tool_chunks, 0u);
  EXPECT_GT(p.keep_alives, 0u);
  EXPECT_GT(p.pings, 0u);
  EXPECT_LT(stats.largest_event, 4096u);
  // Each tool call's fragments join into one JSON object.
  for (const auto& [index, args] : p.arguments) {
    rapidjson::Document d;
    d.Parse(args.c_str(), args.size());
    EXPECT_TRUE(!d.HasParseError() && d.IsObject()) << "tool " << index << ": " << args.substr(0, 200);
  }
}

TEST(StreamGenerator, CrlfVariantEndsEveryLineWithCrlf) {
  StreamOptions o;
  o.seed = 3;
  o.target_bytes = 128 * 1024;
  o.crlf = true;
  std::string s = generate_stream(o);
  size_t lf = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') {
      ++lf;
      ASSERT_TRUE(i > 0 && s[i - 1] == '\r') << "bare LF at " << i;
    } else if (s[i] == '\r') {
      ASSERT_TRUE(i + 1 < s.size() && s[i + 1] == '\n') << "bare CR at " << i;
    }
  }
  EXPECT_GT(lf, 0u);
  std::string lf_only;
  for (char ch : s)
    if (ch != '\r') lf_only.push_back(ch);
  EXPECT_TRUE(read_stream(lf_only).errors.empty());
}

TEST(StreamGenerator, CountedProfilesProduceExactlyTheCount) {
  StreamOptions tools;
  tools.profile = StreamProfile::tool_fragments;
  tools.count = 1000;
  Parsed t = read_stream(generate_stream(tools));
  ASSERT_TRUE(t.errors.empty()) << t.errors.front();
  EXPECT_EQ(t.tool_chunks, 1001u);  // the opening chunk (id, name) plus 1000 fragments
  ASSERT_EQ(t.arguments.size(), 1u);
  rapidjson::Document d;
  d.Parse(t.arguments[0].c_str(), t.arguments[0].size());
  EXPECT_TRUE(!d.HasParseError() && d.IsObject());

  StreamOptions comments;
  comments.profile = StreamProfile::comments;
  comments.count = 2500;
  Parsed c = read_stream(generate_stream(comments));
  ASSERT_TRUE(c.errors.empty()) << c.errors.front();
  EXPECT_EQ(c.comments, 2500u);
  EXPECT_EQ(c.events, 4u);  // role chunk, finish chunk, usage chunk, [DONE]
}

TEST(StreamGenerator, KeepaliveStreamIsMostlyComments) {
  StreamOptions o;
  o.profile = StreamProfile::keepalive;
  o.target_bytes = 256 * 1024;
  Parsed p = read_stream(generate_stream(o));
  ASSERT_TRUE(p.errors.empty()) << p.errors.front();
  EXPECT_GT(p.comments, p.events);
  EXPECT_TRUE(p.done_last);
}

uint64_t fnv(const std::string& s) {
  Fnv64 h;
  h.update(s);
  return h.h;
}

// The openai-chat bytes must stay those of the first generator: benchmarks and their
// recorded numbers depend on them (hashes taken before the dialect streams were added).
TEST(StreamGenerator, ChatBytesArePinned) {
  StreamOptions a;
  a.seed = 42;
  a.target_bytes = 256 * 1024;
  StreamOptions b;
  b.seed = 1;
  b.target_bytes = 64 * 1024;
  b.crlf = true;
  StreamOptions c;
  c.profile = StreamProfile::keepalive;
  c.seed = 7;
  c.target_bytes = 128 * 1024;
  StreamOptions d;
  d.profile = StreamProfile::tool_fragments;
  d.count = 500;
  StreamOptions e;
  e.profile = StreamProfile::comments;
  e.count = 300;
  EXPECT_EQ(fnv(generate_stream(a)), 0x566bb44b1e97c6deULL);
  EXPECT_EQ(fnv(generate_stream(b)), 0x4120bc053c385e3cULL);
  EXPECT_EQ(fnv(generate_stream(c)), 0xe40b2169151ca967ULL);
  EXPECT_EQ(fnv(generate_stream(d)), 0xfad8f86862ccec9eULL);
  EXPECT_EQ(fnv(generate_stream(e)), 0xa7e61d28db41664aULL);
}

TEST(ResultDigest, CanonicalJsonIsWhatJsonStringifyPrints) {
  EXPECT_EQ(canonical_json(R"({"a": 1, "b": [true, null], "a": "x"})"), R"({"a":"x","b":[true,null]})");
  EXPECT_EQ(canonical_json(R"({"b":1,"10":2,"2":3,"01":4})"), R"({"2":3,"10":2,"b":1,"01":4})");
  EXPECT_EQ(canonical_json(R"([1.5e-7, 1e21, 123456789012345678, 0.1, -0.0, 2.50, 1e-6])"),
            R"([1.5e-7,1e+21,123456789012345680,0.1,0,2.5,0.000001])");
  EXPECT_EQ(canonical_json(R"(  "tab\t nl\n \u0001 \/ é 🙂 \"q\" \\ "  )"),
            "\"tab\\t nl\\n \\u0001 / é 🙂 \\\"q\\\" \\\\ \"");
  EXPECT_EQ(canonical_json(R"({"a": )"), R"({"a": )");  // not JSON: as it is
  EXPECT_EQ(canonical_json("1 2"), "1 2");

  NormalizedResult r;
  r.outputs.resize(2);
  r.outputs[0].index = 1;
  r.outputs[0].text = "second";
  r.outputs[1].index = 0;
  r.outputs[1].text = "Olá";
  r.outputs[1].reasoning = "hm";
  r.outputs[1].tool_calls.push_back({std::nullopt, "add", R"({"a": 2, "b": 3})"});
  ResultDigest want;
  want.add_text("Olá");
  want.add_reasoning("hm");
  want.begin_tool("add");
  want.add_tool_arguments(R"({"a":2)");
  want.add_tool_arguments(R"(,"b":3})");
  want.end_tool();
  EXPECT_TRUE(digest_of(r) == want);
  EXPECT_EQ(digest_of(r).digest().size(), 32u);
  r.outputs[1].tool_calls[0].name = "mul";
  EXPECT_FALSE(digest_of(r) == want);
}

// An independent reader for the dialect streams: blank-line-separated events of
// "event:" and one "data:" line (LF or CRLF), comment lines, JSON data.
struct DialectParsed {
  uint64_t events = 0, comments = 0, pings = 0;
  std::map<std::string, uint64_t> types;  // data "type" (or "chunk" for gemini)
  std::vector<std::string> errors;
};

DialectParsed read_dialect_stream(const std::string& s, WireFormat wire) {
  DialectParsed p;
  std::string name, data;
  bool have_data = false;
  uint64_t last_sequence = 0;
  size_t pos = 0;
  auto error = [&](std::string what) {
    if (p.errors.size() < 5) p.errors.push_back(std::move(what));
  };
  while (pos < s.size()) {
    size_t nl = s.find('\n', pos);
    if (nl == std::string::npos) {
      error("unterminated last line");
      break;
    }
    std::string line = s.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (!have_data) {
        if (!name.empty()) error("event without data");
        continue;  // a comment's own block
      }
      ++p.events;
      rapidjson::Document d;
      d.Parse(data.c_str(), data.size());
      if (d.HasParseError() || !d.IsObject()) {
        error("data is not a JSON object: " + data.substr(0, 120));
      } else if (wire == WireFormat::gemini) {
        if (!name.empty() || !d.HasMember("candidates") || !d.HasMember("responseId")) error("not a gemini chunk");
        ++p.types["chunk"];
      } else if (!d.HasMember("type") || !d["type"].IsString() || name != d["type"].GetString()) {
        error("event name differs from the data's type: " + name);
      } else {
        std::string type = d["type"].GetString();
        ++p.types[type];
        if (type == "ping") ++p.pings;
        if (wire == WireFormat::openai_responses) {
          uint64_t n = d["sequence_number"].GetUint64();
          if (p.events > 1 && n != last_sequence + 1) error("sequence_number " + std::to_string(n));
          last_sequence = n;
        }
      }
      name.clear();
      data.clear();
      have_data = false;
    } else if (line[0] == ':') {
      ++p.comments;
    } else if (line.starts_with("event: ")) {
      name = line.substr(7);
    } else if (line.starts_with("data: ")) {
      if (have_data) error("two data lines in one event");
      data = line.substr(6);
      have_data = true;
    } else {
      error("unexpected line: " + line.substr(0, 120));
    }
  }
  if (have_data) error("stream ended inside an event");
  return p;
}

StreamOptions dialect_options(WireFormat wire, uint64_t seed, uint64_t bytes) {
  StreamOptions o;
  o.wire = wire;
  o.seed = seed;
  o.target_bytes = bytes;
  o.crlf = wire == WireFormat::gemini;
  return o;
}

constexpr WireFormat kDialectWires[] = {WireFormat::openai_responses, WireFormat::anthropic_messages,
                                        WireFormat::gemini};

TEST(DialectStreams, NamesRoundTripAndProfilesAreChecked) {
  for (WireFormat w : {WireFormat::openai_chat, WireFormat::openai_responses, WireFormat::anthropic_messages,
                       WireFormat::gemini}) {
    WireFormat back = WireFormat::openai_chat;
    ASSERT_TRUE(parse_wire(wire_name(w), back));
    EXPECT_EQ(back, w);
    EXPECT_NE(find_dialect(wire_name(w)), nullptr) << wire_name(w);  // a registry name
  }
  WireFormat w;
  EXPECT_FALSE(parse_wire("openai", w));
  EXPECT_TRUE(profile_supported(WireFormat::openai_chat, StreamProfile::comments));
  EXPECT_FALSE(profile_supported(WireFormat::gemini, StreamProfile::tool_fragments));
  EXPECT_TRUE(profile_supported(WireFormat::gemini, StreamProfile::keepalive));
}

TEST(DialectStreams, SameBytesWhateverTheBlockSizeAndSeedMatters) {
  for (WireFormat wire : kDialectWires) {
    StreamOptions o = dialect_options(wire, 5, 96 * 1024);
    StreamGenerator a(o), b(o), c(o);
    std::string whole = pull_all(a, 1 << 16);
    EXPECT_EQ(whole, pull_all(b, 1)) << wire_name(wire);
    EXPECT_EQ(whole, pull_all(c, 7)) << wire_name(wire);
    EXPECT_TRUE(a.stats().expected == b.stats().expected);
    o.seed = 6;
    StreamGenerator other(o);
    EXPECT_NE(whole, pull_all(other, 4096)) << wire_name(wire);
  }
}

// The agent stream of each dialect: well formed, every shape present, and assembled by
// its dialect without a diagnostic into exactly what the generator says it holds.
TEST(DialectStreams, AssembleWithoutDiagnosticsToTheGeneratorsDigest) {
  for (WireFormat wire : kDialectWires) {
    SCOPED_TRACE(std::string(wire_name(wire)));
    StreamOptions o = dialect_options(wire, 11, 1 << 20);
    StreamStats stats;
    std::string s = generate_stream(o, &stats);
    EXPECT_GE(s.size(), o.target_bytes);
    EXPECT_LT(s.size(), o.target_bytes + 1024 * 1024);
    EXPECT_EQ(stats.bytes, s.size());

    DialectParsed p = read_dialect_stream(s, wire);
    ASSERT_TRUE(p.errors.empty()) << p.errors.front();
    EXPECT_EQ(p.events, stats.events);
    EXPECT_EQ(p.comments, stats.comments);
    EXPECT_EQ(p.pings, stats.noise_events);
    EXPECT_GT(p.comments, 0u);
    EXPECT_GT(stats.expected.text_bytes, 0u);
    EXPECT_GT(stats.expected.reasoning_bytes, 0u);
    EXPECT_GT(stats.expected.tool_calls, 0u);
    if (wire == WireFormat::gemini) EXPECT_EQ(stats.tool_fragments, stats.expected.tool_calls);  // whole calls
    else EXPECT_GT(stats.tool_fragments, stats.expected.tool_calls);
    EXPECT_GT(stats.outputs, 3u);
    EXPECT_LE(stats.outputs, 110u);  // below DialectLimits::max_outputs (128)
    if (wire == WireFormat::openai_responses) {
      EXPECT_EQ(p.types["response.created"], 1u);
      EXPECT_EQ(p.types["response.completed"], 1u);
      EXPECT_EQ(p.types["response.output_item.added"], stats.outputs);
      EXPECT_EQ(p.types["response.output_item.done"], stats.outputs);
      EXPECT_GT(p.types["response.reasoning_summary_part.added"], 0u);
      EXPECT_GT(p.types["response.output_text.delta"], 0u);
      EXPECT_GT(p.types["response.function_call_arguments.delta"], 0u);
    } else if (wire == WireFormat::anthropic_messages) {
      EXPECT_EQ(p.types["message_start"], 1u);
      EXPECT_EQ(p.types["message_stop"], 1u);
      EXPECT_EQ(p.types["content_block_start"], stats.outputs);
      EXPECT_EQ(p.types["content_block_stop"], stats.outputs);
      EXPECT_GT(p.pings, 1u);
      EXPECT_LT(stats.largest_event, 4096u);
    } else {
      EXPECT_EQ(p.types["chunk"], stats.events);
      EXPECT_LT(stats.largest_event, 4096u);
    }

    for (size_t cut : {size_t{0}, size_t{1500}}) {  // whole, and cut into 1500-byte feeds
      std::vector<size_t> cuts;
      for (size_t at = cut; cut != 0 && at < s.size(); at += cut) cuts.push_back(at);
      AssembleOptions options;
      options.dialect = std::string(wire_name(wire));
      AssembleResult r = assemble(s, cuts, options);
      const AssemblyReport& rep = r.report;
      ASSERT_FALSE(rep.failed());
      std::set<std::string> codes;
      for (const Diagnostic& d : rep.diagnostics) codes.insert(std::string(name(d.code)));
      EXPECT_TRUE(rep.diagnostics.empty()) << *codes.begin();
      EXPECT_EQ(rep.state, wire == WireFormat::gemini ? StreamState::finished : StreamState::done);
      EXPECT_EQ(rep.stats.events, stats.events);
      EXPECT_EQ(rep.stats.comments, stats.comments);
      EXPECT_EQ(rep.stats.noise_events, stats.noise_events);
      ResultDigest got = digest_of(rep.normalized);
      EXPECT_EQ(got.text_bytes, stats.expected.text_bytes);
      EXPECT_EQ(got.reasoning_bytes, stats.expected.reasoning_bytes);
      EXPECT_EQ(got.tool_calls, stats.expected.tool_calls);
      EXPECT_EQ(got.digest(), stats.expected.digest());
      EXPECT_EQ(got.reasoning_digest(), stats.expected.reasoning_digest());
    }
  }
}

// The chat agent stream (the benchmarks' seed) assembles to the generator's digest too.
TEST(DialectStreams, ChatStreamAssemblesToTheGeneratorsDigest) {
  StreamOptions o;
  o.seed = 42;
  o.target_bytes = 512 * 1024;
  StreamStats stats;
  std::string s = generate_stream(o, &stats);
  AssembleOptions options;
  options.dialect = "openai-chat";
  AssembleResult r = assemble(s, {}, options);
  ASSERT_FALSE(r.report.failed());
  EXPECT_EQ(r.report.counts.deviation, 0u);  // only the created_changed note
  EXPECT_EQ(r.report.stats.events, stats.events);
  EXPECT_GT(stats.expected.tool_calls, 0u);
  EXPECT_EQ(digest_of(r.report.normalized).digest(), stats.expected.digest());
  EXPECT_EQ(digest_of(r.report.normalized).reasoning_digest(), stats.expected.reasoning_digest());
}

// Pulled block by block, a long stream holds one unit at a time: the largest event stays
// small however long the stream (openai-responses: its .done/.completed events repeat
// the text they close, nothing else grows).
TEST(DialectStreams, LongAndKeepaliveStreamsStayBoundedAndAssemble) {
  for (WireFormat wire : kDialectWires) {
    SCOPED_TRACE(std::string(wire_name(wire)));
    StreamOptions o = dialect_options(wire, 3, 6 << 20);
    StreamGenerator gen(o);
    AssembleOptions options;
    options.dialect = std::string(wire_name(wire));
    AssemblySession session(options);
    std::vector<char> block(1 << 16);
    while (size_t n = gen.next_block(block)) session.feed(std::string_view(block.data(), n));
    const AssemblyReport& rep = session.finish();
    EXPECT_TRUE(rep.diagnostics.empty());
    EXPECT_EQ(digest_of(rep.normalized).digest(), gen.stats().expected.digest());
    EXPECT_LE(gen.stats().outputs, 110u);
    const ResultDigest& e = gen.stats().expected;
    // All text (escaped), arguments (at most 40 bytes a fragment), item envelopes.
    const uint64_t output_bound = 2 * (e.text_bytes + e.reasoning_bytes) + 40 * gen.stats().tool_fragments + 64 * 1024;
    EXPECT_LT(gen.stats().largest_event, wire == WireFormat::openai_responses ? output_bound : 4096u);

    StreamOptions k = dialect_options(wire, 8, 512 * 1024);
    k.profile = StreamProfile::keepalive;
    StreamStats ks;
    std::string s = generate_stream(k, &ks);
    AssembleResult r = assemble(s, {}, options);
    EXPECT_TRUE(r.report.diagnostics.empty());
    EXPECT_EQ(digest_of(r.report.normalized).digest(), ks.expected.digest());
    // Idle time dominates: keep-alive comments and pings outnumber the other events.
    EXPECT_GT(ks.comments + ks.noise_events, ks.events - ks.noise_events);
  }
}

TEST(StreamGenerator, LongDataLineIsOneEvent) {
  std::string s = long_data_line_stream(100000, false);
  EXPECT_EQ(s.size(), 6u + 100000u + 2u);
  EXPECT_EQ(s.find('\n'), 6u + 100000u);
}

}  // namespace
}  // namespace ssecheck::bench
