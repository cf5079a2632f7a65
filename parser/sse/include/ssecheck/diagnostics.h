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

#include "ssecheck/anthropic_messages/codes.h"
#include "ssecheck/gemini/codes.h"
#include "ssecheck/openai_chat/codes.h"
#include "ssecheck/openai_responses/codes.h"

namespace ssecheck {

enum class Severity : uint8_t { note, deviation, fatal };

// X(name, severity, layer, description)
// layer: "sse" (event-stream framing), "json" (the shared JSON layer), "stream" (shared
//        by every dialect), one layer per dialect (its name; codes in its folder's
//        codes.h), "cassette" (go-vcr loading).
#define SSECHECK_DIAGNOSTIC_CODES(X)                                                              \
  /* ---- sse: event-stream framing (EventStreamParser) ---- */                                   \
  X(line_too_long, fatal, "sse", "a line is longer than max_line_bytes")                          \
  X(event_too_long, fatal, "sse", "an event's data is longer than max_event_bytes")               \
  X(incomplete_event, deviation, "sse", "the stream ended inside an event; it was discarded")     \
  X(invalid_utf8, deviation, "sse", "invalid UTF-8 was replaced with U+FFFD")                     \
  X(id_contains_nul, deviation, "sse", "an id field containing U+0000 was ignored")               \
  X(retry_invalid, deviation, "sse", "a retry field that is not all ASCII digits (or overflows) was ignored") \
  X(unknown_field, note, "sse", "a field other than event, data, id or retry was ignored")        \
  SSECHECK_JSON_DIAGNOSTIC_CODES(X)                                                               \
  SSECHECK_STREAM_DIAGNOSTIC_CODES(X)                                                             \
  SSECHECK_OPENAI_CHAT_DIAGNOSTIC_CODES(X)                                                        \
  SSECHECK_OPENAI_RESPONSES_DIAGNOSTIC_CODES(X)                                                   \
  SSECHECK_ANTHROPIC_MESSAGES_DIAGNOSTIC_CODES(X)                                                 \
  SSECHECK_GEMINI_DIAGNOSTIC_CODES(X)                                                             \
  SSECHECK_CASSETTE_DIAGNOSTIC_CODES(X)

// The shared JSON layer (json/event_json.h), for every dialect.
#define SSECHECK_JSON_DIAGNOSTIC_CODES(X)                                                         \
  X(invalid_json, fatal, "json", "an event's data is not valid JSON (or not UTF-8); the event was skipped") \
  X(json_too_deep, fatal, "json", "JSON nesting exceeds max_json_depth; the event was skipped")   \
  X(json_too_large, fatal, "json", "an event's JSON holds more than max_json_values values; the event was skipped") \
  X(duplicate_key, deviation, "json", "an object repeats a key; the last value was used, as JSON.parse does")

// Conditions every dialect reports the same way (dialect_base.h, assemble.h).
#define SSECHECK_STREAM_DIAGNOSTIC_CODES(X)                                                       \
  X(provider_error, fatal, "stream", "the provider sent an error object or an error event")       \
  X(truncated, fatal, "stream", "the stream ended before the dialect's final status or terminator") \
  X(tool_arguments_invalid_json, fatal, "stream", "a tool call's assembled arguments are not valid JSON") \
  X(assembled_too_large, fatal, "stream", "assembled text exceeds max_assembled_bytes; later text was dropped") \
  X(unknown_dialect, fatal, "stream", "the dialect name is not in the registry; nothing was assembled") \
  X(field_type_mismatch, deviation, "stream", "a field has an unexpected JSON type; it was ignored") \
  X(unexpected_event_type, deviation, "stream", "an event type this dialect does not define; it was ignored") \
  X(dialect_not_detected, note, "stream", "no event identified the dialect; the fallback dialect was used")

// go-vcr cassettes (cassette.h).
#define SSECHECK_CASSETTE_DIAGNOSTIC_CODES(X)                                                     \
  X(cassette_io_error, fatal, "cassette", "the cassette file could not be opened or read")        \
  X(cassette_too_large, fatal, "cassette", "the cassette is larger than max_file_bytes")          \
  X(cassette_too_deep, fatal, "cassette", "YAML nesting is deeper than max_nesting_depth")        \
  X(cassette_yaml_invalid, fatal, "cassette", "the cassette is not well-formed YAML")             \
  X(cassette_version_unsupported, fatal, "cassette", "the cassette version is missing or not 1 or 2") \
  X(cassette_shape_invalid, fatal, "cassette", "a cassette field is missing or has the wrong type") \
  X(cassette_body_missing, fatal, "cassette", "an interaction's response has no body")            \
  X(cassette_too_many_interactions, fatal, "cassette", "the cassette has more than max_interactions interactions") \
  X(non_streaming_response, note, "cassette", "a response is not text/event-stream (e.g. plain JSON)")

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
