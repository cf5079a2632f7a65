// The diagnostics catalogue: every condition ssecheck reports, with a stable code.
//
// Invariants:
//  - A code's name never changes and is never reused; new codes are appended.
//  - Every code has a default severity and a one-line description; the README
//    table is checked against this list by a test (conformance/tests).
//  - Severity meaning:
//      note      informational, never a failure;
//      deviation a protocol deviation: tolerated by default, a failure with --strict;
//      fatal     the result cannot be trusted: always a failure.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ssecheck {

enum class Severity : uint8_t { note, deviation, fatal };

// X(name, severity, layer, description)
// layer: "sse" (event-stream framing), "chunk" (chat.completion.chunk assembly),
//        "cassette" (go-vcr loading).
#define SSECHECK_DIAGNOSTIC_CODES(X)                                                              \
  /* ---- sse: event-stream framing (EventStreamParser) ---- */                                   \
  X(line_too_long, fatal, "sse", "a line is longer than max_line_bytes")                          \
  X(event_too_long, fatal, "sse", "an event's data is longer than max_event_bytes")               \
  X(incomplete_event, deviation, "sse", "the stream ended inside an event; it was discarded")     \
  X(invalid_utf8, deviation, "sse", "invalid UTF-8 was replaced with U+FFFD")                     \
  X(id_contains_nul, deviation, "sse", "an id field containing U+0000 was ignored")               \
  X(retry_invalid, deviation, "sse", "a retry field that is not all ASCII digits (or overflows) was ignored") \
  X(unknown_field, note, "sse", "a field other than event, data, id or retry was ignored")        \
  SSECHECK_CHUNK_DIAGNOSTIC_CODES(X)                                                              \
  SSECHECK_CASSETTE_DIAGNOSTIC_CODES(X)

// chat.completion.chunk assembly (DeltaAccumulator). Owned by accumulator.h's author.
#define SSECHECK_CHUNK_DIAGNOSTIC_CODES(X)

// go-vcr cassettes (cassette.h).
#define SSECHECK_CASSETTE_DIAGNOSTIC_CODES(X)

enum class DiagCode : uint16_t {
#define SSECHECK_X(name, severity, layer, description) name,
  SSECHECK_DIAGNOSTIC_CODES(SSECHECK_X)
#undef SSECHECK_X
};

struct DiagInfo {
  DiagCode code;
  std::string_view name;
  Severity severity;
  std::string_view layer;
  std::string_view description;
};

// All codes, in declaration order.
std::span<const DiagInfo> all_diagnostics();
const DiagInfo& info(DiagCode code);
inline std::string_view name(DiagCode code) { return info(code).name; }
std::optional<DiagCode> diag_code_from_name(std::string_view name);
std::string_view severity_name(Severity s);

// One reported condition. event_index counts dispatched SSE events from 0;
// byte_offset is the offset in the raw input where the event (or line) began.
struct Diagnostic {
  DiagCode code;
  Severity severity;
  uint64_t event_index = 0;
  uint64_t byte_offset = 0;
  std::string message;
};

}  // namespace ssecheck
