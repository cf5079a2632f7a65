// SSE framing implementations compared on identical input. All satisfy Framer:
// feed() any split of the stream, finish(), then events()/comments() count what
// was dispatched. They are templates' arguments, so no virtual call per feed.
//
//  - OursFramer: ssecheck::EventStreamParser (optionally Utf8Mode::raw).
//  - NaiveFramer: the textbook way: append to a std::string, cut lines with find,
//    split fields with find/substr, append data to a std::string.
//  - MemchrLimit: finds every '\n' with memchr and counts lines; no parsing at all.
//    How fast line ends can be found: the ceiling for any framer.
#pragma once

#include <concepts>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "ssecheck/event_stream_parser.h"

namespace ssecheck::bench {

template <class F>
concept Framer = requires(F f, std::string_view bytes) {
  { f.feed(bytes) };
  { f.finish() };
  { f.reset() };
  { f.events() } -> std::convertible_to<uint64_t>;
  { f.comments() } -> std::convertible_to<uint64_t>;
};

class CountingSink : public EventSink {
 public:
  void on_event(const Event& e) override {
    ++events;
    data_bytes += e.data.size();
  }
  void on_comment(std::string_view, uint64_t) override { ++comments; }
  void on_diagnostic(DiagCode, uint64_t) override { ++diagnostics; }
  uint64_t events = 0, comments = 0, diagnostics = 0, data_bytes = 0;
};

class OursFramer {
 public:
  explicit OursFramer(const ParserOptions& options = {}) : parser_(sink_, options) {}
  void feed(std::string_view bytes) { parser_.feed(bytes); }
  void finish() { parser_.finish(); }
  void reset() {
    parser_.reset();
    sink_ = CountingSink{};
  }
  uint64_t events() const { return sink_.events; }
  uint64_t comments() const { return sink_.comments; }
  uint64_t diagnostics() const { return sink_.diagnostics; }
  const EventStreamParser& parser() const { return parser_; }

 private:
  CountingSink sink_;
  EventStreamParser parser_;
};

inline ParserOptions raw_utf8_options() {
  ParserOptions o;
  o.utf8 = Utf8Mode::raw;
  return o;
}

class OursRawFramer : public OursFramer {
 public:
  OursRawFramer() : OursFramer(raw_utf8_options()) {}
};

class NaiveFramer {
 public:
  void feed(std::string_view bytes) {
    buffer_.append(bytes);
    size_t start = 0;
    for (;;) {
      size_t newline = buffer_.find('\n', scanned_);
      if (newline == std::string::npos) break;
      std::string line = buffer_.substr(start, newline - start);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      process_line(line);
      start = newline + 1;
      scanned_ = start;
    }
    buffer_.erase(0, start);
    scanned_ = buffer_.size();
  }
  void finish() { buffer_.clear(); }
  void reset() { *this = NaiveFramer{}; }
  uint64_t events() const { return events_; }
  uint64_t comments() const { return comments_; }

 private:
  void process_line(const std::string& line) {
    if (line.empty()) {
      if (!data_.empty()) {
        data_.pop_back();  // the trailing '\n'
        ++events_;
        data_bytes_ += data_.size();
      }
      data_.clear();
      type_.clear();
      return;
    }
    if (line[0] == ':') {
      ++comments_;
      return;
    }
    size_t colon = line.find(':');
    std::string name = line.substr(0, colon);
    std::string value;
    if (colon != std::string::npos) {
      value = line.substr(colon + 1);
      if (!value.empty() && value[0] == ' ') value.erase(0, 1);
    }
    if (name == "data") {
      data_ += value;
      data_ += '\n';
    } else if (name == "event") {
      type_ = value;
    } else if (name == "id") {
      id_ = value;
    }
  }

  std::string buffer_;
  size_t scanned_ = 0;
  std::string data_, type_, id_;
  uint64_t events_ = 0, comments_ = 0, data_bytes_ = 0;
};

class MemchrLimit {
 public:
  void feed(std::string_view bytes) {
    const char* p = bytes.data();
    const char* end = p + bytes.size();
    while (p < end) {
      const void* hit = std::memchr(p, '\n', static_cast<size_t>(end - p));
      if (hit == nullptr) break;
      ++lines_;
      p = static_cast<const char*>(hit) + 1;
    }
  }
  void finish() {}
  void reset() { lines_ = 0; }
  uint64_t events() const { return 0; }  // not a parser: it only counts lines
  uint64_t comments() const { return 0; }
  uint64_t lines() const { return lines_; }

 private:
  uint64_t lines_ = 0;
};

}  // namespace ssecheck::bench
