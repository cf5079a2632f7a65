// The framing digest, the adapter protocol's bench command with work "framing"
// (conformance/ADAPTERS.md): what ssecheck and every adapter compute the same way.
// Invariant: FNV-1a 64 over each dispatched event's type, a NUL, its data, a NUL, in order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "result_digest.h"
#include "ssecheck/event_stream_parser.h"

namespace ssecheck::bench {

class EventDigestSink : public EventSink {
 public:
  void on_event(const Event& e) override {
    ++events_;
    h_.update(e.type);
    h_.update(std::string_view("\0", 1));
    h_.update(e.data);
    h_.update(std::string_view("\0", 1));
  }
  uint64_t events() const { return events_; }
  std::string hex() const { return hex64(h_.h); }

 private:
  uint64_t events_ = 0;
  Fnv64 h_;
};

}  // namespace ssecheck::bench
