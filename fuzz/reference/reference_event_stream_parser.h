// A deliberately simple, slow reference for text/event-stream, written as a
// step-by-step transliteration of WHATWG HTML "Parsing an event stream" and
// "Interpreting an event stream". Used only by the differential fuzz target.
//
// Invariants:
//  - Shares no code with ssecheck::EventStreamParser (only the standard library).
//  - Whole input at once: decode (UTF-8, U+FFFD per maximal subpart), drop one
//    leading BOM, split into lines, then run the field steps on each line.
//  - No limits: the caller keeps inputs small.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ssecheck_fuzz {

struct ReferenceOutput {
  enum class Kind { event, retry, comment };
  Kind kind = Kind::event;
  std::string type;  // event: the dispatched type
  std::string data;  // event: the data; comment: the text after ':'
  std::string id;    // event: the last event ID string
  uint64_t retry = 0;
};

// WHATWG Encoding "UTF-8 decode" without BOM sniffing: invalid sequences become U+FFFD.
std::string reference_utf8_decode(std::string_view bytes);

std::vector<ReferenceOutput> reference_parse_event_stream(std::string_view bytes,
                                                          std::string_view initial_last_event_id = {});

}  // namespace ssecheck_fuzz
