// The rewrites keep the meaning: over every corpus body and every combination of
// flags, the WHATWG parser dispatches the same (type, data) list and the dialect
// assembles the same normalized result.
#include "ssecheck/replay/sse_rewrites.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include "conform_runner.h"
#include "ssecheck/assemble.h"
#include "ssecheck/cassette.h"
#include "ssecheck/event_stream_parser.h"
#include "ssecheck/registry.h"

namespace {

using namespace ssecheck;
using namespace ssecheck::replay;

struct Seen {
  std::string type, data;
};

struct Collect : EventSink {
  std::vector<Seen> events;
  void on_event(const Event& e) override { events.push_back({std::string(e.type), std::string(e.data)}); }
};

std::vector<Seen> events_of(std::string_view body) {
  Collect c;
  EventStreamParser p(c);
  p.feed(body);
  p.finish();
  return std::move(c.events);
}

// JSON text without the whitespace between tokens (strings untouched).
std::string minify(std::string_view json) {
  std::string out;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < json.size()) out += json[++i];
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
      out += c;
    } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      out += c;
    }
  }
  return out;
}

// Empty when the lists agree; else the first difference.
std::string compare(const std::vector<Seen>& want, const std::vector<Seen>& got, bool json_splits) {
  if (want.size() != got.size())
    return "event count " + std::to_string(want.size()) + " vs " + std::to_string(got.size());
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].type != got[i].type) return "event " + std::to_string(i) + " type " + want[i].type + " vs " + got[i].type;
    if (want[i].data == got[i].data) continue;
    // A split JSON value gains LFs between tokens, and only that.
    const bool split_only = json_splits && got[i].data.find('\n') != std::string::npos &&
                            want[i].data.find('\n') == std::string::npos &&
                            minify(want[i].data) == minify(got[i].data);
    if (!split_only) return "event " + std::to_string(i) + " data `" + want[i].data + "` vs `" + got[i].data + "`";
  }
  return {};
}

struct Body {
  std::string where;
  std::string dialect;
  std::string text;
};

const std::vector<Body>& corpus_bodies() {
  static const std::vector<Body> bodies = [] {
    std::vector<Body> out;
    const std::filesystem::path root = std::filesystem::path(SSECHECK_CORPUS_DIR) / "cassettes";
    for (const auto& ref : conformance::discover_cassettes({root})) {
      const CassetteResult r = load_cassette_file((ref.root / ref.rel).string());
      if (!r.ok()) continue;
      for (const Interaction& in : r.cassette.interactions) {
        if (conformance::skip_reason(in)) continue;
        const DialectInfo* d = dialect_for_request(in.url);
        out.push_back({ref.rel.string() + "#" + std::to_string(in.index), d ? std::string(d->name) : "auto",
                       in.response_body});
      }
    }
    return out;
  }();
  return bodies;
}

std::string normalized_of(std::string_view body, const std::string& dialect) {
  AssembleOptions o;
  o.dialect = dialect;
  AssemblySession session(o);
  session.feed(body);
  return normalized_to_json(session.finish().normalized);
}

TEST(SseRewrites, CorpusIsThere) { ASSERT_GE(corpus_bodies().size(), 40u); }

// Two workers, each taking whole bodies: the check is the same, the wall time halves.
TEST(SseRewrites, EveryCombinationKeepsEventsAndResultOverTheCorpus) {
  const auto& bodies = corpus_bodies();
  std::atomic<size_t> next{0}, checked{0};
  std::mutex mu;
  std::vector<std::string> failures;
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < bodies.size();) {
      const Body& b = bodies[i];
      const auto want = events_of(b.text);
      const std::string want_normalized = normalized_of(b.text, b.dialect);
      for (uint32_t bits = 0; bits <= static_cast<uint32_t>(kAllRewrites); ++bits) {
        const auto r = static_cast<Rewrites>(bits);
        const std::string out = rewrite(b.text, r, 1 + bits);
        std::string diff = compare(want, events_of(out), has(r, Rewrites::split_data_lines));
        if (diff.empty() && normalized_of(out, b.dialect) != want_normalized) diff = "the normalized result changed";
        if (!diff.empty()) {
          std::lock_guard<std::mutex> lock(mu);
          failures.push_back(b.where + " under " + rewrites_name(r) + ": " + diff);
          break;
        }
        ++checked;
      }
    }
  };
  std::thread a(worker), b(worker);
  a.join();
  b.join();
  for (const auto& f : failures) ADD_FAILURE() << f;
  EXPECT_EQ(checked.load(), bodies.size() * 256);
}

TEST(SseRewrites, NoneIsIdentity) {
  for (const Body& b : corpus_bodies()) EXPECT_EQ(rewrite(b.text, Rewrites::none, 7), b.text) << b.where;
}

TEST(SseRewrites, EachFlagChangesTheBytes) {
  const std::string body = "event: a\ndata: {\"x\": [1, 2]}\n\ndata: two\n\n";
  for (uint32_t i = 0; i < kRewriteCount; ++i) {
    const auto r = static_cast<Rewrites>(1u << i);
    EXPECT_NE(rewrite(body, r, 3), body) << rewrite_name(r);
  }
}

TEST(SseRewrites, CrlfAndCrRewriteEveryEnding) {
  const std::string body = "data: a\r\ndata: b\r\rdata: c\n\n: tail";
  const std::string crlf = rewrite(body, Rewrites::crlf, 1);
  EXPECT_EQ(crlf, "data: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n: tail");
  const std::string cr = rewrite(body, Rewrites::cr, 1);
  EXPECT_EQ(cr, "data: a\rdata: b\r\rdata: c\r\r: tail");
  EXPECT_EQ(compare(events_of(body), events_of(cr), false), "");
}

TEST(SseRewrites, MixedEndingsNeverMergeABlankLine) {
  const std::string body = "data: a\n\n\n\ndata: b\n\n\n\ndata: c\n\n";
  for (uint64_t seed = 0; seed < 200; ++seed) {
    const std::string out = rewrite(body, Rewrites::crlf | Rewrites::cr, seed);
    ASSERT_EQ(compare(events_of(body), events_of(out), false), "") << seed;
  }
}

TEST(SseRewrites, NoSpaceOnlyWhereTheValueHasNoLeadingSpace) {
  const std::string body = "data: x\ndata:  y\ndata:\ndata: \nevent:z\n\n";
  EXPECT_EQ(rewrite(body, Rewrites::no_space, 1), "data:x\ndata:  y\ndata:\ndata:\nevent:z\n\n");
}

TEST(SseRewrites, BomIsAddedOnce) {
  EXPECT_EQ(rewrite("data: x\n\n", Rewrites::bom, 1), "\xEF\xBB\xBF" "data: x\n\n");
  EXPECT_EQ(rewrite("\xEF\xBB\xBF" "data: x\n\n", Rewrites::bom, 1), "\xEF\xBB\xBF" "data: x\n\n");
}

TEST(SseRewrites, SplitDataSplitsJsonBetweenTokensOnly) {
  const std::string body =
      "data: {\"a\":[1,2],\"b\":\"x,y:{[\",\"c\":{\"d\":null}}\n\ndata: [DONE]\n\ndata: {\"a\":\ndata: 1}\n\n";
  bool split = false;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    const std::string out = rewrite(body, Rewrites::split_data_lines, seed);
    const auto got = events_of(out);
    ASSERT_EQ(compare(events_of(body), got, true), "") << out;
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[1].data, "[DONE]");                // not JSON: untouched
    EXPECT_EQ(got[2].data, "{\"a\":\n1}");           // already two data lines: untouched
    EXPECT_NE(got[0].data.find("\"x,y:{[\""), std::string::npos);  // strings are never cut
    split = split || got[0].data.find('\n') != std::string::npos;
  }
  EXPECT_TRUE(split);
}

TEST(SseRewrites, UnterminatedTailStaysLastAndUnchanged) {
  const std::string body = "data: a\n\ndata: partial";
  for (uint32_t bits = 0; bits <= static_cast<uint32_t>(kAllRewrites); ++bits) {
    const std::string out = rewrite(body, static_cast<Rewrites>(bits), 5);
    ASSERT_TRUE(out.ends_with("\ndata: partial") || out.ends_with("\rdata: partial")) << bits;
    ASSERT_EQ(events_of(out).size(), 1u) << bits;
  }
}

TEST(SseRewrites, DeterministicBySeed) {
  const std::string body = "data: {\"a\":1,\"b\":2,\"c\":3}\n\ndata: {\"a\":1}\n\n";
  EXPECT_EQ(rewrite(body, kAllRewrites, 9), rewrite(body, kAllRewrites, 9));
  bool differs = false;
  for (uint64_t s = 10; s < 20 && !differs; ++s) differs = rewrite(body, kAllRewrites, 9) != rewrite(body, kAllRewrites, s);
  EXPECT_TRUE(differs);
}

TEST(SseRewrites, IdRetryAddsValidFields) {
  struct Sink : EventSink {
    std::vector<uint64_t> retries;
    std::vector<std::string> ids;
    void on_event(const Event& e) override { ids.emplace_back(e.id); }
    void on_retry(uint64_t ms) override { retries.push_back(ms); }
  } sink;
  EventStreamParser p(sink);
  p.feed(rewrite("data: a\n\ndata: b\n\n", Rewrites::id_retry, 1));
  p.finish();
  EXPECT_EQ(sink.retries, std::vector<uint64_t>{3000});
  EXPECT_EQ(sink.ids, (std::vector<std::string>{"ssecheck-0", "ssecheck-1"}));
}

// The checks above can fail: a rewrite that does change the meaning is caught.
TEST(SseRewrites, TheComparatorCatchesAMeaningChange) {
  const std::string body = "data: x\n\ndata: {\"a\": 1}\n\n";
  EXPECT_NE(compare(events_of(body), events_of("data:  x\n\ndata: {\"a\": 1}\n\n"), true), "");
  EXPECT_NE(compare(events_of(body), events_of("data: x\n\ndata: {\"a\": 2}\n\n"), true), "");
  EXPECT_NE(compare(events_of(body), events_of("data: x\r\ndata: {\"a\": 1}\n\n"), false), "");
  EXPECT_NE(compare(events_of(body), events_of("data: x\n\ndata: {\"a\":\ndata: 1}\n\n"), false), "");
}

TEST(SseRewrites, NamesRoundTrip) {
  for (uint32_t i = 0; i < kRewriteCount; ++i) {
    const auto r = static_cast<Rewrites>(1u << i);
    ASSERT_EQ(parse_rewrite(rewrite_name(r)), r);
  }
  EXPECT_EQ(rewrites_name(Rewrites::crlf | Rewrites::split_data_lines), "crlf+split-data");
  EXPECT_FALSE(parse_rewrite("CRLF"));
}

}  // namespace
