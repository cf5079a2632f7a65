// Deterministic generators of LLM token streams for benchmarks, one per dialect:
// openai-chat (chat.completion.chunk, shaped like the recorded xAI streams),
// openai-responses, anthropic-messages and gemini (shaped like the recordings in
// corpus/cassettes/<dialect>/).
//
// Invariants:
//  - Output depends only on StreamOptions: same options, same bytes, on every
//    platform and standard library (own PRNG, no std distributions). The openai-chat
//    bytes are those of the original generator (a test pins them).
//  - Pull style: next_block() hands out the stream in caller-sized pieces; memory
//    held is bounded by the largest single unit (one event or comment line, or the
//    few events that close a tool call, an item or the stream), whatever target_bytes
//    is. The block size never changes the bytes produced.
//    (openai-responses' .done events and its final response.completed repeat the
//    text they close, as the API does, so there the largest unit is as large as the
//    assembled output; keep-alives and envelopes never accumulate.)
//  - Every stream ends with its dialect's terminator (gemini: a finishReason) and is
//    assembled by that dialect without a diagnostic (openai-chat: one note,
//    created_changed, as xAI's created ticks); StreamStats::expected is the digest
//    (result_digest.h) of the result it must assemble to.
//  - openai-chat: every data line is one JSON object; the stream ends with a finish
//    chunk, a usage chunk and `data: [DONE]`. Every event ends with a blank line;
//    lines end in LF, or CRLF.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "result_digest.h"

namespace ssecheck::bench {

// The stream format; wire_name() is the registry's dialect name.
enum class WireFormat : uint8_t { openai_chat, openai_responses, anthropic_messages, gemini };
std::string_view wire_name(WireFormat wire);
bool parse_wire(std::string_view name, WireFormat& out);  // a registry name

enum class StreamProfile : uint8_t {
  agent,           // reasoning, content, tool-call fragments, empty deltas, keep-alives, idle stretches
  keepalive,       // long idle stretches of comments with short bursts of content
  tool_fragments,  // one tool call whose arguments arrive in `count` fragments (openai-chat only)
  comments,        // `count` comment lines, then the closing events (openai-chat only)
};
bool profile_supported(WireFormat wire, StreamProfile profile);

struct StreamOptions {
  uint64_t seed = 1;
  uint64_t target_bytes = uint64_t{1} << 20;  // agent/keepalive: stop after the first unit past this
  uint64_t count = 0;                         // tool_fragments/comments: how many units
  bool crlf = false;  // the recorded gemini streams use CRLF: set it for that shape
  StreamProfile profile = StreamProfile::agent;
  WireFormat wire = WireFormat::openai_chat;
};

struct StreamStats {
  uint64_t bytes = 0;           // bytes handed out so far
  uint64_t events = 0;          // SSE events (each data chunk, pings, and [DONE])
  uint64_t comments = 0;        // comment lines
  uint64_t tool_fragments = 0;  // events carrying tool-call arguments (gemini: function calls)
  uint64_t largest_event = 0;   // bytes of the largest event, line endings included
  uint64_t noise_events = 0;    // anthropic-messages ping events
  uint64_t outputs = 0;         // output items / content blocks / merged parts (not openai-chat)
  ResultDigest expected;        // what the stream assembles to (complete once done())
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

// One dialect's event writer (stream_dialects.cc); the generator hands out its units.
class UnitWriter {
 public:
  virtual ~UnitWriter() = default;
  // Appends the next unit (one event or one comment line) to out; true when it was the last.
  virtual bool next_unit(std::string& out) = 0;
};
std::unique_ptr<UnitWriter> make_unit_writer(const StreamOptions& options, StreamStats& stats);

class StreamGenerator {
 public:
  explicit StreamGenerator(const StreamOptions& options);
  ~StreamGenerator();
  StreamGenerator(const StreamGenerator&) = delete;
  StreamGenerator& operator=(const StreamGenerator&) = delete;

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

  void finish_tool_digest();

  StreamOptions options_;
  SplitMix64 rng_;
  std::unique_ptr<UnitWriter> writer_;  // every wire but openai-chat
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
  // The call's arguments as JSON.parse sees them (keys: first position, last value),
  // for StreamStats::expected; at most kArgWords keys plus "done".
  std::string_view tool_name_;
  std::vector<std::pair<std::string_view, std::string>> tool_members_;
};

// Whole stream in memory (for benchmarks that replay the same bytes).
std::string generate_stream(const StreamOptions& options, StreamStats* stats = nullptr);

// One event whose single data line holds data_bytes of ASCII (worst case for buffering).
std::string long_data_line_stream(size_t data_bytes, bool crlf);

}  // namespace ssecheck::bench
