// Schedules: how a recorded response goes on the wire. A ScheduleSpec (chunking,
// rewrites, noise, fault) applied to one recorded body gives a Schedule (the bytes, the
// piece boundaries, the pause between pieces, the framing and what follows the last
// piece); build_case adds the status, the headers and what a correct client must do.
//
// Invariants:
//  - schedule_name() is stable and readable ("bytes1+crlf", "utf8-crlf+split-data",
//    "fault:rst-mid-event"); parse_schedule(schedule_name(s)) gives s back.
//  - Pieces are never empty and concatenate to Schedule::bytes, in order.
//  - Rewrites and noise never change the expected result: build_case checks that the
//    served stream assembles to the recorded one's normalized result, and fails if not.
//  - A fault that cannot apply to a body (no event to cut, no terminator to drop, 529
//    for a dialect that never sends it) is an error, never a silently clean case.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ssecheck/replay/sse_rewrites.h"

namespace ssecheck::replay {

enum class Chunking : uint8_t {
  whole,      // one piece
  bytes1,     // one byte per piece
  split_at,   // cuts at chosen offsets ("split@10,20"), or "split@data": inside every data line
  utf8_crlf,  // cuts inside every multibyte UTF-8 character and between every CR and LF
  random,     // conform's seeded random chunking ("random#SEED"): 0..16-byte pieces
};

struct ChunkSpec {
  Chunking kind = Chunking::whole;
  std::vector<size_t> at;  // split_at: offsets into the served bytes; empty = "data"
  uint64_t seed = 1;       // random
};

enum class Fault : uint8_t {
  none,
  fin_mid_event,  // the body stops inside an event, then FIN (no last chunk)
  rst_mid_event,  // the body stops inside an event, then RST
  stall,          // the body stops between events; silence for CaseOptions::stall, then FIN
  http_429,       // 429 with retry-after and the provider's JSON error body
  http_500,       // 500 with the provider's JSON error body
  http_529,       // Anthropic's 529 overloaded_error
  error_event,    // the provider's error event mid-stream, then the stream ends
  no_terminator,  // the stream ends cleanly without its last event ([DONE], message_stop...)
};
std::string_view fault_name(Fault fault);  // "fin-mid-event", "429"...
std::optional<Fault> parse_fault(std::string_view name);

// How the body is delimited: chunked transfer coding (one HTTP chunk per piece, what
// providers send), by closing the connection, or Content-Length (error responses).
enum class Framing : uint8_t { chunked, close, content_length };

// What a correct client raises.
enum class ErrorKind : uint8_t { http_status, connection, timeout, parse, provider_error };
std::string_view error_kind_name(ErrorKind kind);

struct ScheduleSpec {
  ChunkSpec chunking;
  Rewrites rewrites = Rewrites::none;
  bool noise = false;       // keep-alives and the dialect's own noise (DialectInfo::noise)
  Fault fault = Fault::none;
  Framing framing = Framing::chunked;  // chunked or close ("framing:close")
  uint64_t seed = 1;        // where rewrites put their lines ("seed:N" when not 1)
  std::optional<std::chrono::milliseconds> pause;  // default: per chunking ("pause:Nms")
};

std::string schedule_name(const ScheduleSpec& spec);
bool parse_schedule(std::string_view name, ScheduleSpec* out, std::string* error);
// Default pause between pieces: 0 for whole, bytes1 and random; short where a
// boundary must be seen (split@: 10 ms, utf8-crlf: 1 ms).
std::chrono::milliseconds default_pause(Chunking kind);

struct Schedule {
  std::string name;
  std::string bytes;          // the body as served, everything the pieces hold
  std::vector<size_t> cuts;   // piece boundaries, strictly increasing, in (0, bytes.size())
  std::chrono::milliseconds pause{0};  // between two pieces
  Framing framing = Framing::chunked;
  Fault fault = Fault::none;  // fin/rst/stall: what follows the last piece
  std::chrono::milliseconds stall{0};

  size_t piece_count() const { return bytes.empty() ? 0 : cuts.size() + 1; }
  std::string_view piece(size_t i) const;
  std::vector<std::string_view> pieces() const;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Expectation {
  bool ok = true;         // the client must assemble exactly `result`
  std::string result;     // the normalized result (JSON), when ok
  ErrorKind error = ErrorKind::parse;  // else the kind of error it must raise
  int http_status = 0;    // error == http_status: the status
  std::string why;        // one line
};
// {"result":{...}} or {"error":"kind","status":N,"why":"..."}
std::string expectation_json(const Expectation& e);

// One recorded interaction, as the server replays it.
struct Recorded {
  std::string dialect;  // registry name
  int status = 200;
  HeaderList headers;   // the recorded response headers
  std::string body;
};

struct ReplayCase {
  std::string id;       // readable, e.g. "openai-chat/synthetic/refusal/0/bytes1+crlf"
  std::string dialect;  // the route it answers
  int status = 200;
  HeaderList headers;   // without framing headers (the server writes those)
  Schedule schedule;
  Expectation expect;
};

struct CaseOptions {
  std::chrono::milliseconds stall{30000};  // Fault::stall: longer than a client's read timeout
  std::string retry_after = "1";           // Fault::http_429: the retry-after value (seconds)
};

// The schedule alone (no expectation); nullopt and *error when it does not apply.
std::optional<Schedule> make_schedule(const Recorded& recorded, const ScheduleSpec& spec,
                                      const CaseOptions& options, std::string* error);
// The case: schedule, status, headers and expectation.
std::optional<ReplayCase> build_case(const Recorded& recorded, const ScheduleSpec& spec,
                                     const CaseOptions& options, std::string* error);

// The provider's own JSON error body for an HTTP error status.
std::string provider_error_body(std::string_view dialect, int status);
// What a correct client must do with this complete stream (assembled by its dialect).
Expectation expect_stream(std::string_view body, std::string_view dialect);

// The schedules `ssecheck serve` offers for a dialect by default.
std::vector<ScheduleSpec> default_schedules(std::string_view dialect);

}  // namespace ssecheck::replay
