#include "ssecheck/noise.h"

#include <cstdint>
#include <vector>

#include "ssecheck/event_stream_parser.h"

namespace ssecheck {
namespace {

struct EventOffsets : EventSink {
  struct Seen {
    uint64_t offset;
    std::string type;
    std::string data;
  };
  std::vector<Seen> events;
  void on_event(const Event& e) override { events.push_back({e.offset, std::string(e.type), std::string(e.data)}); }
};

}  // namespace

std::string inject_noise(std::string_view body, const DialectInfo* dialect) {
  EventOffsets seen;
  EventStreamParser parser(seen);
  parser.feed(body);
  parser.finish();
  const std::string_view eol = body.find("\r\n") != std::string_view::npos ? "\r\n" : "\n";
  std::string out;
  out.reserve(body.size() + seen.events.size() * 64);
  size_t copied = 0;
  std::string memo;
  for (size_t i = 1; i < seen.events.size(); ++i) {
    const size_t at = static_cast<size_t>(seen.events[i].offset);
    out.append(body.substr(copied, at - copied));
    copied = at;
    out.append(": keep-alive").append(eol).append(eol);
    if (dialect && dialect->noise)
      dialect->noise(seen.events[i - 1].type, seen.events[i - 1].data, seen.events[i].type, seen.events[i].data,
                     eol, memo, out);
  }
  out.append(body.substr(copied));
  return out;
}

}  // namespace ssecheck
