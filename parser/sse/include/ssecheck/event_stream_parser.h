// Incremental parser for text/event-stream (WHATWG HTML, "Parsing an event stream"
// and "Interpreting an event stream").
//
// Invariants:
//  - Chunking independence: any split of the same bytes into feed() calls, including
//    empty and 1-byte feeds, produces the same callbacks with the same arguments.
//  - Linear time: every input byte is scanned a bounded number of times, whatever the
//    chunking (a 32 MiB line fed one byte at a time stays linear).
//  - Bounded memory: buffered bytes never exceed max_line_bytes (partial line, times 3
//    when invalid UTF-8 is replaced) plus max_event_bytes (data buffer).
//  - Zero copy: Event::data is a view into the caller's feed buffer when the event has
//    one data line lying inside a single feed and needs no UTF-8 repair; otherwise it
//    views an internal buffer. Views are valid only during the callback.
//  - No exceptions and no allocation on the hot path once buffers have grown.
//
// Usage:
//   struct Sink : ssecheck::EventSink { void on_event(const ssecheck::Event& e) override; };
//   Sink sink; ssecheck::EventStreamParser p(sink);
//   p.feed(bytes1); p.feed(bytes2); p.finish();
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ssecheck/diagnostics.h"

namespace ssecheck {

// Result of feed()/finish(): ok, or the fatal code that stopped the parser.
enum class ParseStatus : uint8_t {
  ok = 0,
  line_too_long,   // a line exceeded max_line_bytes and on_limit == stop
  event_too_long,  // an event's data exceeded max_event_bytes and on_limit == stop
  finished,        // feed() or finish() called after finish()
};
std::string_view status_name(ParseStatus s);
std::string_view status_message(ParseStatus s);

enum class Utf8Mode : uint8_t {
  replace,  // decode as UTF-8, invalid sequences become U+FFFD (the spec's behaviour)
  raw,      // hand out the bytes unchanged (lenient; not what a browser does)
};

enum class LimitPolicy : uint8_t {
  stop,  // report a fatal diagnostic and return an error from every later call
  skip,  // report a fatal diagnostic, discard the offending line and the rest of its
         // event, and resynchronise after the next blank line
};

struct ParserOptions {
  size_t max_line_bytes = size_t{8} << 20;    // 8 MiB, excluding the line ending
  size_t max_event_bytes = size_t{64} << 20;  // 64 MiB of joined data per event
  Utf8Mode utf8 = Utf8Mode::replace;
  LimitPolicy on_limit = LimitPolicy::stop;
  std::string_view initial_last_event_id = {};  // seeds the last event ID (copied)
};

// One dispatched event. Views are valid only during EventSink::on_event.
struct Event {
  std::string_view type;  // never empty: "message" unless an event field set it
  std::string_view data;  // data lines joined with LF, no trailing LF
  std::string_view id;    // the last event ID, persisting across events
  uint64_t index = 0;     // 0-based count of dispatched events
  uint64_t offset = 0;    // input offset of the event's first field line
};

// Receives the parser's output. All views are valid only during the call.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void on_event(const Event& event) = 0;
  virtual void on_retry(uint64_t /*milliseconds*/) {}
  // Text after the leading ':' of a comment line, unmodified (": ping" gives " ping").
  virtual void on_comment(std::string_view /*text*/, uint64_t /*offset*/) {}
  // Non-fatal notes and deviations, and the fatal limit violations.
  virtual void on_diagnostic(DiagCode /*code*/, uint64_t /*offset*/) {}
};

class EventStreamParser {
 public:
  explicit EventStreamParser(EventSink& sink, const ParserOptions& options = {});

  // Consume the next bytes of the stream. Callbacks run before this returns.
  ParseStatus feed(std::string_view bytes);
  // End of stream: a lone CR already ended its line; an unterminated line and a
  // pending event are discarded (reported as incomplete_event).
  ParseStatus finish();
  // Back to the initial state, keeping the options and buffers' capacity.
  void reset();

  uint64_t bytes_consumed() const { return offset_; }
  uint64_t events_dispatched() const { return events_; }
  std::string_view last_event_id() const { return last_event_id_; }
  // Bytes currently held in internal buffers (for memory-bound checks).
  size_t buffered_bytes() const { return line_.size() + data_.size() + scratch_.size(); }
  size_t buffer_capacity() const {
    return line_.capacity() + data_.capacity() + scratch_.capacity() + type_.capacity() +
           id_buffer_.capacity() + last_event_id_.capacity();
  }

 private:
  // line[0, ascii_prefix) is known to be ASCII: UTF-8 validation starts there.
  void process_line(std::string_view line, bool in_feed, uint64_t line_offset, size_t ascii_prefix);
  void process_field(std::string_view name, std::string_view value, bool in_feed, uint64_t line_offset);
  void dispatch();
  void clear_event();
  // Reports a limit violation; true when the parser must stop (LimitPolicy::stop).
  bool limit_exceeded(DiagCode code, uint64_t offset);

  EventSink& sink_;
  ParserOptions options_;

  // Stream state.
  ParseStatus status_ = ParseStatus::ok;
  bool finished_ = false;
  std::string initial_id_;
  uint64_t offset_ = 0;         // bytes consumed so far
  uint64_t events_ = 0;         // events dispatched
  uint8_t bom_matched_ = 0;     // leading BOM bytes seen so far (0..3), 4 = decided
  bool cr_pending_ = false;     // last byte was CR: a following LF is part of it
  bool skipping_line_ = false;  // discarding the rest of an oversized line
  bool skipping_event_ = false; // discarding until the next blank line

  // Partial line carried across feeds; line_offset_ is where it started.
  std::string line_;
  uint64_t line_offset_ = 0;
  std::string scratch_;  // UTF-8 repair of the current line

  // Event buffers (spec: data buffer, event type buffer, last event ID buffer).
  bool has_data_ = false;
  bool data_in_view_ = false;    // data_view_ points into the current feed buffer
  std::string_view data_view_;
  std::string data_;
  std::string type_;
  std::string id_buffer_;
  std::string last_event_id_;
  bool event_started_ = false;
  uint64_t event_offset_ = 0;
};

}  // namespace ssecheck
