// Checks the benchmark stream generator with an independent reader: the stream is
// split by hand (blank lines, comment lines) and each data line parsed by RapidJSON.
#include "stream_generator.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <map>
#include <string>
#include <vector>

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

TEST(StreamGenerator, LongDataLineIsOneEvent) {
  std::string s = long_data_line_stream(100000, false);
  EXPECT_EQ(s.size(), 6u + 100000u + 2u);
  EXPECT_EQ(s.find('\n'), 6u + 100000u);
}

}  // namespace
}  // namespace ssecheck::bench
