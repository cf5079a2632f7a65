// openai-responses: the OpenAI Responses API stream (POST /v1/responses with
// "stream": true, GET /v1/responses/{id}?stream=true, Azure's /openai/responses and
// /openai/v1/responses), folded into the Response that the openai-node SDK's
// responses.stream().finalResponse() returns (openai 6.49.0:
// src/lib/responses/ResponseAccumulator.ts, ResponseStream.ts, lib/ResponsesParser.ts)
// and into the shared NormalizedResult.
//
// Wire format (https://platform.openai.com/docs/api-reference/responses-streaming):
// every event's data is an object with "type" (the SSE event field says the same) and
// "sequence_number" (0, 1, 2... in stream order). response.created carries the Response
// (status in_progress, output []); then per output item output_item.added, its parts
// (content_part.added / reasoning_summary_part.added), deltas (output_text, refusal,
// function_call_arguments, reasoning_summary_text, reasoning_text, custom_tool_call_input,
// mcp_call_arguments, code_interpreter_call_code) each followed by a .done with the full
// value, the parts' .done, output_item.done; finally response.completed, .incomplete or
// .failed with the whole Response. "error" ({type, code, message, param}) reports a
// failure.
//
// Invariants:
//  - The data's "type" decides; a different SSE event field is event_name_differs_from_type,
//    no type falls back to the SSE event field (event_type_missing).
//  - sequence_number must grow by exactly 1 from event to event (the first one may be
//    any number: a retrieval with starting_after starts later).
//  - As the SDK: output_item.added / content_part.added / reasoning_summary_part.added
//    append (whatever their index says); every other event looks its item up by
//    output_index (and its part by content_index / summary_index) and is ignored, with
//    a deviation, when there is none. Item and part counts are checked against
//    max_outputs, function calls against max_tool_calls, before anything is stored.
//  - Deltas append to the live text; a .done replaces it with its full value and is
//    compared first (done_differs_from_deltas); output_item.done replaces the item
//    (item_done_differs_from_assembled); every lifecycle event (created, queued,
//    in_progress, completed, incomplete, failed) replaces the whole snapshot with its
//    response (response_output_differs_from_assembled when its output differs from
//    the assembled items), so the final object is the terminal event's Response.
//  - Never throws: where the SDK throws (missing output, missing content, no
//    response.created first), this reports a deviation and goes on.
//
// States and transitions (state x event -> next state / action):
//
//   state     | created,       | item / part /   | completed,   | failed        | error         | end of stream
//             | queued,        | delta events    | incomplete   |               |               |
//             | in_progress    |                 |              |               |               |
//   ----------+----------------+-----------------+--------------+---------------+---------------+------------------
//   start     | streaming /    | streaming /     | done         | errored       | errored       | truncated (fatal)
//             | adopt response | apply to an     | (+response_created_missing)  | (provider_    |
//             | (created_missing| empty response |              |               |  error)       |
//             |  unless created)| (created_missing)             |               |               |
//   streaming | streaming /    | streaming /     | done /       | errored /     | errored /     | truncated (fatal)
//             | replace        | apply           | replace      | replace +     | provider_error|
//             |                |                 | (incomplete: | provider_error|               |
//             |                |                 |  note)       |               |               |
//   done      | every event: event_after_response_end (ignored)                                  | done
//   errored   | every event: event_after_response_end (ignored), except completed /              | errored
//   (error    | incomplete / failed after an error event, which still replace the snapshot      |
//    event)   | and set the finish status                                                        |
//   truncated | (terminal: reached only at end of stream)
//   (finished is not used: the terminal event is both the final status and the terminator.)
//
//   Any state: data [DONE] -> done_marker_ignored (note), and every later event is
//   event_after_response_end (the SDK stops reading there). keepalive events are noise.
//   Documented events that carry no Response state (audio.*, image_generation_call.
//   partial_image, mcp_list_tools.*) are accepted and change nothing; status events of
//   tool calls (web_search_call.searching, ...) set the item's status as the SDK does;
//   any other type is unexpected_event_type. Data that is not JSON (invalid_json...) or
//   not an object (event_not_json_object) skips the event without changing state.
//   At end of stream after completed / incomplete, every function_call's arguments must
//   be JSON (tool_arguments_invalid_json).
//
// Native object: the last lifecycle event's response, member for member (document order;
// a repeated key keeps its first position and its last value), its output replaced by
// the assembled items (each item / part as sent, text / refusal / arguments / input /
// code / status / annotations updated in place, or appended when the key was missing),
// then what ResponsesParser.maybeParseResponse adds without parse params: "parsed":null
// on every message content part, "parsed_arguments":null on every function_call item,
// "output_text" (the output_text parts of message items joined, appended after the
// response's keys like cloneResponse does) and "output_parsed":null. No response at all:
// the error event's data when one came, else null.
//
// Normalized: id / model / usage.input_tokens / usage.output_tokens from the final
// response; one output (when a response or an item was seen): text = output_text
// parts of message items joined, refusal = refusal parts joined, reasoning = each
// reasoning item's summary parts (or, when it has none, its reasoning_text parts),
// all joined with "\n\n", tool_calls = function_call items in order (id = call_id),
// finish_reason = the terminal response's status (completed / incomplete / failed),
// error = the first of: the error event {code or "error", message}, response.failed's
// response.error {code or "error", message}.
#pragma once

#include <memory>
#include <string_view>

#include "ssecheck/dialect.h"

namespace ssecheck {

extern const DialectInfo kOpenAiResponsesDialect;

namespace openai_responses {

inline constexpr std::string_view kName = "openai-responses";
std::unique_ptr<StreamDialect> make_dialect(const DialectOptions& options);

}  // namespace openai_responses
}  // namespace ssecheck
