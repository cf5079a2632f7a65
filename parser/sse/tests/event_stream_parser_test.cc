// Unit tests for EventStreamParser beyond the spec cases: zero copy, buffer ownership,
// limits and memory bounds, API misuse, and chunking independence on random streams.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "ssecheck/event_stream_parser.h"
#include "ssecheck/utf8.h"

namespace ssecheck {
namespace {

struct Recorded {
  std::string type, data, id;
  uint64_t index, offset;
  bool data_in_feed;  // data pointed into the buffer passed to feed()
  bool operator==(const Recorded& o) const {
    return type == o.type && data == o.data && id == o.id && index == o.index && offset == o.offset;
  }
};

struct Recorder : EventSink {
  std::vector<Recorded> events;
  std::vector<uint64_t> retries;
  std::vector<std::string> comments;
  std::vector<std::pair<DiagCode, uint64_t>> diagnostics;
  std::string_view feed_buffer;  // set by the test before each feed
  void on_event(const Event& e) override {
    const bool in_feed = !feed_buffer.empty() && e.data.data() >= feed_buffer.data() &&
                         e.data.data() + e.data.size() <= feed_buffer.data() + feed_buffer.size();
    events.push_back({std::string(e.type), std::string(e.data), std::string(e.id), e.index,
                      e.offset, in_feed});
  }
  void on_retry(uint64_t ms) override { retries.push_back(ms); }
  void on_comment(std::string_view text, uint64_t) override { comments.emplace_back(text); }
  void on_diagnostic(DiagCode code, uint64_t offset) override {
    diagnostics.emplace_back(code, offset);
  }
};

std::vector<Recorded> parse_in_chunks(std::string_view input, const std::vector<size_t>& cuts,
                                      Recorder* out = nullptr, const ParserOptions& options = {}) {
  Recorder local;
  Recorder& r = out ? *out : local;
  EventStreamParser parser(r, options);
  size_t start = 0;
  for (size_t i = 0; i <= cuts.size(); ++i) {
    const size_t stop = i < cuts.size() ? cuts[i] : input.size();
    r.feed_buffer = input.substr(start, stop - start);
    parser.feed(r.feed_buffer);
    start = stop;
  }
  r.feed_buffer = {};
  parser.finish();
  return r.events;
}

TEST(EventStreamParser, SingleLineDataIsAViewIntoTheFeedBuffer) {
  Recorder r;
  parse_in_chunks("data: hello\n\n", {}, &r);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].data, "hello");
  EXPECT_TRUE(r.events[0].data_in_feed);
}

TEST(EventStreamParser, DataSpanningFeedsIsCopied) {
  Recorder r;
  // The event's blank line arrives in the second feed: the first buffer is gone by then.
  parse_in_chunks("data: hello\n\n", {12}, &r);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].data, "hello");
  EXPECT_FALSE(r.events[0].data_in_feed);
}

TEST(EventStreamParser, MultiLineDataIsJoinedWithLf) {
  Recorder r;
  parse_in_chunks("data: a\ndata: b\n\n", {}, &r);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].data, "a\nb");
  EXPECT_FALSE(r.events[0].data_in_feed);
}

TEST(EventStreamParser, OffsetsAndIndicesCountFromTheRawInput) {
  Recorder r;
  parse_in_chunks("\xEF\xBB\xBF: c\n\ndata: a\n\nid: 7\ndata: b\n\n", {}, &r);
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[0].offset, 8u);  // BOM(3) + ": c\n"(4) + "\n"(1)
  EXPECT_EQ(r.events[0].index, 0u);
  EXPECT_EQ(r.events[1].offset, 17u);
  EXPECT_EQ(r.events[1].index, 1u);
  EXPECT_EQ(r.events[1].id, "7");
}

TEST(EventStreamParser, FeedAfterFinishIsRefusedUntilReset) {
  Recorder r;
  EventStreamParser parser(r);
  EXPECT_EQ(parser.feed("data: x\n\n"), ParseStatus::ok);
  EXPECT_EQ(parser.finish(), ParseStatus::ok);
  EXPECT_EQ(parser.feed("data: y\n\n"), ParseStatus::finished);
  EXPECT_EQ(parser.finish(), ParseStatus::finished);
  parser.reset();
  EXPECT_EQ(parser.feed("data: z\n\n"), ParseStatus::ok);
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[1].data, "z");
  EXPECT_EQ(r.events[1].index, 0u);  // reset restarts the count
}

TEST(EventStreamParser, InitialLastEventIdIsCopiedAndRestoredByReset) {
  Recorder r;
  std::string seed = "41";
  ParserOptions options;
  options.initial_last_event_id = seed;
  EventStreamParser parser(r, options);
  seed = "XX";  // the parser must hold its own copy
  parser.feed("data: a\n\nid: 42\ndata: b\n\n");
  parser.reset();
  parser.feed("data: c\n\n");
  ASSERT_EQ(r.events.size(), 3u);
  EXPECT_EQ(r.events[0].id, "41");
  EXPECT_EQ(r.events[1].id, "42");
  EXPECT_EQ(r.events[2].id, "41");
}

TEST(EventStreamParser, LineLimitStopsWithItsOwnStatus) {
  Recorder r;
  ParserOptions options;
  options.max_line_bytes = 8;
  EventStreamParser parser(r, options);
  EXPECT_EQ(parser.feed("data: 12\n\n"), ParseStatus::ok);  // exactly 8 bytes: allowed
  EXPECT_EQ(parser.feed("data: 123\n\n"), ParseStatus::line_too_long);
  EXPECT_EQ(parser.feed("data: ok\n\n"), ParseStatus::line_too_long);  // sticky
  ASSERT_EQ(r.events.size(), 1u);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].first, DiagCode::line_too_long);
  EXPECT_EQ(r.diagnostics[0].second, 10u);
}

TEST(EventStreamParser, LineLimitSkipResynchronisesAfterTheNextBlankLine) {
  ParserOptions options;
  options.max_line_bytes = 8;
  options.on_limit = LimitPolicy::skip;
  const std::string input = "data: a\ndata: 123456789\ndata: b\n\ndata: c\n\n";
  for (size_t cut = 0; cut <= input.size(); ++cut) {
    Recorder r;
    const auto events = parse_in_chunks(input, {cut}, &r, options);
    ASSERT_EQ(events.size(), 1u) << "cut at " << cut;
    EXPECT_EQ(events[0].data, "c");
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_EQ(r.diagnostics[0].first, DiagCode::line_too_long);
    EXPECT_EQ(r.diagnostics[0].second, 8u);
  }
}

TEST(EventStreamParser, EventLimitCountsJoinedData) {
  Recorder r;
  ParserOptions options;
  options.max_event_bytes = 5;
  options.on_limit = LimitPolicy::skip;
  // "ab\ncd" is 5 bytes: allowed; "ab\ncd\ne" is 7: the event is dropped.
  parse_in_chunks("data: ab\ndata: cd\n\ndata: ab\ndata: cd\ndata: e\n\ndata: z\n\n", {}, &r,
                  options);
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[0].data, "ab\ncd");
  EXPECT_EQ(r.events[1].data, "z");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].first, DiagCode::event_too_long);
}

TEST(EventStreamParser, BufferedMemoryStaysWithinTheLimitsOnHostileInput) {
  ParserOptions options;
  options.max_line_bytes = 1024;
  options.max_event_bytes = 4096;
  options.on_limit = LimitPolicy::skip;
  Recorder r;
  EventStreamParser parser(r, options);
  std::string chunk(1000, '\xFF');  // invalid UTF-8 triples in size when repaired
  size_t peak = 0;
  for (int i = 0; i < 2000; ++i) {
    parser.feed(i % 3 == 0 ? std::string_view("data: ") : std::string_view(chunk));
    if (i % 7 == 0) parser.feed("\n");
    peak = std::max(peak, parser.buffered_bytes());
  }
  EXPECT_LE(peak, 3 * options.max_line_bytes + options.max_event_bytes);
}

TEST(EventStreamParser, LongLineFedOneByteAtATime) {
  // 4 MiB here (ASan); bench/ runs 32 MiB and reports time per byte.
  const size_t n = size_t{4} << 20;
  std::string input = "data: " + std::string(n, 'x') + "\n\n";
  Recorder r;
  EventStreamParser parser(r);
  for (char c : input) parser.feed(std::string_view(&c, 1));
  parser.finish();
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].data.size(), n);
}

// Random streams over an alphabet of meaningful tokens: every chunking must agree.
TEST(EventStreamParser, RandomStreamsAreChunkingIndependent) {
  const char* tokens[] = {"data", "event", "id", "retry", ":", " ", "x", "42", "\r", "\n", "\r\n",
                          "\xEF\xBB\xBF", "\xE2\x82", "\xAC", "\xFF", std::string_view("\0", 1).data(),
                          "Data", "é"};
  std::mt19937_64 rng(12345);
  for (int round = 0; round < 400; ++round) {
    std::string input;
    const int len = static_cast<int>(rng() % 40);
    for (int i = 0; i < len; ++i) {
      const size_t t = rng() % std::size(tokens);
      input += t == 15 ? std::string(1, '\0') : std::string(tokens[t]);
    }
    Recorder whole_r;
    const auto whole = parse_in_chunks(input, {}, &whole_r);
    for (int k = 0; k < 10; ++k) {
      std::vector<size_t> cuts;
      size_t at = 0;
      while (at < input.size()) {
        at += rng() % 4;  // includes empty feeds
        cuts.push_back(std::min(at, input.size()));
      }
      Recorder split_r;
      const auto split = parse_in_chunks(input, cuts, &split_r);
      ASSERT_EQ(whole, split) << "round " << round;
      ASSERT_EQ(whole_r.retries, split_r.retries);
      ASSERT_EQ(whole_r.comments, split_r.comments);
      ASSERT_EQ(whole_r.diagnostics, split_r.diagnostics);
    }
  }
}

TEST(Utf8, RepairFollowsTheMaximalSubpartRule) {
  auto repaired = [](std::string_view in) {
    std::string out;
    utf8::append_repaired(out, in);
    return out;
  };
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(repaired("a\xF0\x9F\x98" "b"), "a" + r + "b");  // truncated 4-byte: one
  EXPECT_EQ(repaired("\xC0\x80"), r + r);                    // C0 never leads: two
  EXPECT_EQ(repaired("\xED\xA0\x80"), r + r + r);            // surrogate: A0 out of range
  EXPECT_EQ(repaired("\xF4\x90\x80\x80"), r + r + r + r);    // above U+10FFFF
  EXPECT_EQ(repaired("\xE2\x82"), r);                        // cut by end of input
  EXPECT_EQ(repaired("\xE2\x82\xAC"), "\xE2\x82\xAC");       // valid is unchanged
  EXPECT_TRUE(utf8::is_valid("\xF0\x9F\x98\x80 ok"));
  EXPECT_FALSE(utf8::is_valid("\xF0\x9F\x98"));
  EXPECT_FALSE(utf8::is_valid("abcdefgh\x80"));
}

}  // namespace
}  // namespace ssecheck
