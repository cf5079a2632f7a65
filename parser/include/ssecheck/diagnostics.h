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
#define SSECHECK_CHUNK_DIAGNOSTIC_CODES(X)                                                        \
  X(invalid_json, fatal, "chunk", "an event's data is not valid JSON (or not UTF-8); the event was skipped") \
  X(json_too_deep, fatal, "chunk", "JSON nesting exceeds max_json_depth; the event was skipped")  \
  X(json_too_large, fatal, "chunk", "an event's JSON holds more than max_json_values values; the event was skipped") \
  X(provider_error, fatal, "chunk", "the provider sent an error object or an error event")        \
  X(truncated, fatal, "chunk", "the stream ended without a finish_reason and without [DONE]")     \
  X(tool_arguments_invalid_json, fatal, "chunk", "a tool call's assembled arguments are not valid JSON") \
  X(choice_index_out_of_range, fatal, "chunk", "a choice index exceeds max_choices; the choice was skipped") \
  X(tool_index_out_of_range, fatal, "chunk", "a tool call index exceeds max_tool_calls; the entry was skipped") \
  X(detail_index_out_of_range, fatal, "chunk", "a reasoning_details index exceeds max_reasoning_details; skipped") \
  X(assembled_too_large, fatal, "chunk", "assembled text exceeds max_assembled_bytes; later text was dropped") \
  X(not_a_chunk, deviation, "chunk", "data is not a chat.completion.chunk object")                \
  X(field_type_mismatch, deviation, "chunk", "a field has an unexpected JSON type; it was ignored")  \
  X(unexpected_event_type, deviation, "chunk", "an event type other than message or error; it was ignored") \
  X(data_after_done, deviation, "chunk", "an event arrived after [DONE]; it was ignored")          \
  X(done_missing, deviation, "chunk", "a finish_reason arrived but the stream ended without [DONE]") \
  X(finish_reason_missing, deviation, "chunk", "the stream completed but a choice has no finish_reason") \
  X(no_choices, deviation, "chunk", "the stream completed without any choice")                    \
  X(choice_index_missing, deviation, "chunk", "a choice has no index; 0 was assumed")              \
  X(content_after_finish, deviation, "chunk", "a choice received a delta after its finish_reason") \
  X(finish_reason_changed, deviation, "chunk", "a choice's finish_reason differs from the first one; the first was kept") \
  X(role_changed, deviation, "chunk", "a delta's role differs from the first one; the first was kept") \
  X(id_changed, deviation, "chunk", "a chunk's id differs from the first one; the first was kept")  \
  X(model_changed, deviation, "chunk", "a chunk's model differs from the first one; the first was kept") \
  X(tool_index_missing, deviation, "chunk", "a tool call delta has no index; matched by id, else the latest call") \
  X(tool_id_changed, deviation, "chunk", "a tool call's id differs from the first one; the first was kept") \
  X(tool_type_changed, deviation, "chunk", "a tool call's type differs from the first one; the first was kept") \
  X(tool_name_changed, deviation, "chunk", "a tool call's function name differs from the first one; the first was kept") \
  X(tool_call_incomplete, deviation, "chunk", "a tool call never received an id or a function name") \
  X(tool_arguments_empty, deviation, "chunk", "a tool call's arguments are empty (not even {})")   \
  X(tool_arguments_not_object, deviation, "chunk", "a tool call's arguments are valid JSON but not an object") \
  X(created_changed, note, "chunk", "a chunk's created differs from the first one (reported once); the first was kept") \
  X(usage_repeated, note, "chunk", "usage was sent more than once; the last one was kept")        \
  X(system_fingerprint_changed, note, "chunk", "system_fingerprint differs from the first one; the first was kept") \
  X(duplicate_key, deviation, "chunk", "a chunk, choice, delta, tool call, function or logprobs object repeats a key; the last value was used")

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
