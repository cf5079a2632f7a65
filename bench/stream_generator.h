// Deterministic generator of chat.completion.chunk event streams for benchmarks.
//
// Invariants:
//  - Output depends only on StreamOptions: same options, same bytes, on every
//    platform and standard library (own PRNG, no std distributions).
//  - Pull style: next_block() hands out the stream in caller-sized pieces; memory
//    held is bounded by the largest single unit (one event or comment line),
//    whatever target_bytes is. The block size never changes the bytes produced.
//  - Every data line is one JSON object shaped like the recorded xAI streams
//    (corpus cassettes); the stream ends with a finish chunk, a usage chunk and
//    `data: [DONE]`. Every event ends with a blank line; lines end in LF, or CRLF.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace ssecheck::bench {

enum class StreamProfile : uint8_t {
  agent,           // reasoning, content, tool-call fragments, empty deltas, keep-alives, idle stretches
  keepalive,       // long idle stretches of comments with short bursts of content
  tool_fragments,  // one tool call whose arguments arrive in `count` fragments
  comments,        // `count` comment lines, then the closing events
};

struct StreamOptions {
  uint64_t seed = 1;
  uint64_t target_bytes = uint64_t{1} << 20;  // agent/keepalive: stop after the first unit past this
  uint64_t count = 0;                         // tool_fragments/comments: how many units
  bool crlf = false;
  StreamProfile profile = StreamProfile::agent;
};

struct StreamStats {
  uint64_t bytes = 0;           // bytes handed out so far
  uint64_t events = 0;          // SSE events (each data chunk, and [DONE])
  uint64_t comments = 0;        // comment lines
  uint64_t tool_fragments = 0;  // chunks carrying tool-call arguments
  uint64_t largest_event = 0;   // bytes of the largest event, line endings included
};

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t below(uint64_t n) { return n == 0 ? 0 : next() % n; }  // bias irrelevant here
  uint64_t between(uint64_t lo, uint64_t hi) { return lo + below(hi - lo + 1); }
  bool chance(unsigned percent) { return below(100) < percent; }

 private:
  uint64_t state_;
};

class StreamGenerator {
 public:
  explicit StreamGenerator(const StreamOptions& options);

  // Copies the next bytes into buffer, filling it unless the stream ends.
  // Returns the number of bytes written; 0 once the stream is over.
  size_t next_block(std::span<char> buffer);
  bool done() const { return finished_ && pos_ == unit_.size(); }
  const StreamStats& stats() const { return stats_; }

 private:
  enum class Segment : uint8_t { reasoning, content, tool_call, empty_deltas, idle };

  void refill();
  void start_segment();
  void emit_segment_step();
  void emit_closing();
  void emit_chunk(std::string_view delta, std::string_view finish_reason = {});
  void emit_comment();
  void emit_raw_event(std::string_view data);
  void end_unit(bool is_event);
  void append_text_delta(std::string& out);
  void append_tool_fragment(std::string& delta);
  bool stream_target_reached() const;

  StreamOptions options_;
  SplitMix64 rng_;
  StreamStats stats_;
  std::string unit_;  // bytes of the current unit, handed out from pos_
  size_t pos_ = 0;
  uint64_t produced_ = 0;  // bytes generated (ahead of stats_.bytes by the unhanded rest)
  bool started_ = false;
  bool finished_ = false;

  std::string id_;
  std::string model_;
  uint64_t created_ = 0;
  Segment segment_ = Segment::content;
  uint64_t segment_left_ = 0;
  uint64_t units_done_ = 0;  // tool fragments or comments, for counted profiles
  bool last_was_tool_ = false;

  // Tool call in progress: arguments text not yet sent, and the call's index.
  std::string args_pending_;
  uint32_t tool_index_ = 0;
  bool tool_opened_ = false;
  std::string scratch_;
};

// Whole stream in memory (for benchmarks that replay the same bytes).
std::string generate_stream(const StreamOptions& options, StreamStats* stats = nullptr);

// One event whose single data line holds data_bytes of ASCII (worst case for buffering).
std::string long_data_line_stream(size_t data_bytes, bool crlf);

}  // namespace ssecheck::bench
