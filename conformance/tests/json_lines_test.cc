// JSON string output: escaping and U+FFFD repair (expected values written by hand from
// RFC 8259 and the WHATWG Encoding standard's UTF-8 decoder).
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdint>
#include <string>

#include "json_lines.h"

namespace {

using ssecheck::conformance::append_json_string;

std::string json_quoted(std::string_view bytes) {
  std::string out;
  append_json_string(out, bytes);
  return out;
}

constexpr std::string_view kFFFD = "\xEF\xBF\xBD";

std::string fffd(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += kFFFD;
  return s;
}

TEST(JsonString, PlainAsciiUnchanged) { EXPECT_EQ(json_quoted("hello world"), "\"hello world\""); }

TEST(JsonString, EscapesQuoteBackslashAndControls) {
  EXPECT_EQ(json_quoted("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(json_quoted("\n\r\t\b\f"), R"("\n\r\t\b\f")");
  EXPECT_EQ(json_quoted(std::string_view("\0", 1)), R"("\u0000")");
  EXPECT_EQ(json_quoted("\x01\x1f\x7f"), R"("\u0001\u001f\u007f")");
  EXPECT_EQ(json_quoted("/ ~"), "\"/ ~\"");
}

TEST(JsonString, KeepsValidUtf8) {
  const std::string s = "\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xEF\xBB\xBF \xE2\x80\xA8 \xC2\x85";
  EXPECT_EQ(json_quoted(s), "\"" + s + "\"");
  // Boundaries: U+0080, U+07FF, U+0800, U+FFFF, U+10000, U+10FFFF.
  const std::string edges = "\xC2\x80\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBF\xF0\x90\x80\x80\xF4\x8F\xBF\xBF";
  EXPECT_EQ(json_quoted(edges), "\"" + edges + "\"");
}

TEST(JsonString, ReplacesMaximalSubparts) {
  EXPECT_EQ(json_quoted("\xF0\x9F\x98"), "\"" + fffd(1) + "\"");          // truncated 4-byte
  EXPECT_EQ(json_quoted("\xF0\x9F\x98" "a"), "\"" + fffd(1) + "a\"");
  EXPECT_EQ(json_quoted("\xC0\x80"), "\"" + fffd(2) + "\"");              // C0 never valid
  EXPECT_EQ(json_quoted("\xED\xA0\x80"), "\"" + fffd(3) + "\"");          // surrogate
  EXPECT_EQ(json_quoted("\xF4\x90\x80\x80"), "\"" + fffd(4) + "\"");      // above U+10FFFF
  EXPECT_EQ(json_quoted("\xE0\x80\xAF"), "\"" + fffd(3) + "\"");          // overlong
  EXPECT_EQ(json_quoted("\xF0\x80\x80\x80"), "\"" + fffd(4) + "\"");      // overlong
  EXPECT_EQ(json_quoted("\x80\xBF"), "\"" + fffd(2) + "\"");              // lone continuations
  EXPECT_EQ(json_quoted("\xFE\xFF\xF5\xC1"), "\"" + fffd(4) + "\"");
  EXPECT_EQ(json_quoted("\xE2\x82" "x\xE2\x82\xAC"), "\"" + fffd(1) + "x\xE2\x82\xAC\"");
  EXPECT_EQ(json_quoted("\xE2\x82\""), "\"" + fffd(1) + "\\\"\"");        // reprocessed byte escaped
  EXPECT_EQ(json_quoted("\xC3"), "\"" + fffd(1) + "\"");
}

TEST(JsonString, OutputAlwaysParsesBackToTheRepairedText) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  const std::string out = json_quoted(all + all);
  rapidjson::Document d;
  d.Parse<rapidjson::kParseValidateEncodingFlag>(out.data(), out.size());
  ASSERT_FALSE(d.HasParseError()) << out;
  ASSERT_TRUE(d.IsString());
  // Each half: 128 ASCII characters, then 128 lone bytes 0x80..0xFF, each its own U+FFFD
  // (no byte >= 0x80 here is followed by a continuation byte in range).
  const std::string half = all.substr(0, 128) + fffd(128);
  EXPECT_EQ(std::string(d.GetString(), d.GetStringLength()), half + half);
}

// Random bytes (fixed seed, biased toward UTF-8 lead and continuation bytes) always
// give a JSON string that a validating parser accepts.
TEST(JsonString, RandomBytesAlwaysGiveValidJson) {
  uint64_t state = 0x9E3779B97F4A7C15u;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  constexpr unsigned char kPool[] = {0x00, 0x0A, 0x22, 0x5C, 0x41, 0x7F, 0x80, 0x9F, 0xA0,
                                     0xBF, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xFF};
  for (int round = 0; round < 2000; ++round) {
    std::string bytes(next() % 24, '\0');
    for (char& c : bytes) c = static_cast<char>(kPool[next() % sizeof kPool]);
    const std::string out = json_quoted(bytes);
    rapidjson::Document d;
    d.Parse<rapidjson::kParseValidateEncodingFlag>(out.data(), out.size());
    ASSERT_FALSE(d.HasParseError()) << "round " << round;
    ASSERT_TRUE(d.IsString());
  }
}

TEST(JsonLinesSink, WritesEachCallbackAsOneLine) {
  std::string log;
  ssecheck::conformance::JsonLinesSink sink(log, {.comments = true, .diagnostics = true});
  ssecheck::Event e;
  e.type = "message";
  e.data = "a\nb";
  e.id = "7";
  sink.on_event(e);
  sink.on_retry(18446744073709551615u);
  sink.on_comment(" ping", 0);
  sink.on_diagnostic(ssecheck::DiagCode::retry_invalid, 0);
  EXPECT_EQ(log,
            "{\"event\":\"message\",\"data\":\"a\\nb\",\"id\":\"7\"}\n"
            "{\"retry\":18446744073709551615}\n"
            "{\"comment\":\" ping\"}\n"
            "{\"diagnostic\":\"retry_invalid\"}\n");
}

TEST(JsonLinesSink, CommentsAndDiagnosticsOnlyWhenAsked) {
  std::string log;
  ssecheck::conformance::JsonLinesSink sink(log, {});
  sink.on_comment("x", 0);
  sink.on_diagnostic(ssecheck::DiagCode::unknown_field, 0);
  EXPECT_EQ(log, "");
}

}  // namespace
