// anthropic-messages: the Anthropic Messages API stream (POST /v1/messages with
// "stream": true; also Vertex AI's publishers/anthropic/...:streamRawPredict), folded
// into the Message that @anthropic-ai/sdk's MessageStream.finalMessage() returns and
// into the shared NormalizedResult.
//
// Wire format (https://docs.anthropic.com/en/docs/build-with-claude/streaming): every
// event has an SSE name and the same name as its data's "type": message_start (a
// Message with empty content), per content block content_block_start /
// content_block_delta* / content_block_stop with the block's "index" in the final
// content array, one or more message_delta (stop_reason, stop_sequence, cumulative
// usage), message_stop; ping anywhere; error ({"type":"error","error":{type,message}}).
//
// Invariants:
//  - The data's "type" decides; a different SSE name is sse_event_name_mismatch, no SSE
//    name is sse_event_name_missing (reported once), a missing type falls back to the name.
//  - Blocks are looked up by their declared index; an index is checked against
//    max_outputs (and tool blocks against max_tool_calls) before anything is stored.
//  - A delta applies only to an open block whose type fits it (text_delta/citations_delta
//    -> text, thinking_delta/signature_delta -> thinking, input_json_delta -> tool_use,
//    server_tool_use, mcp_tool_use); anything else is a deviation and changes nothing.
//  - Tool input is validated at the block's content_block_stop (or at message_stop /
//    end of stream for a finished stream whose block was never stopped); empty input
//    JSON means the start's input ({}).
//  - usage follows the SDK: output_tokens from the latest message_delta, input_tokens /
//    cache_*_input_tokens / server_tool_use from it when non-null, else message_start's.
//  - Pings (any state) change nothing but stats.noise_events.
//
// States and transitions (state x event -> next state / action):
//
//   state     | message_start | content_block_* | message_delta   | message_stop  | error    | end of stream
//   ----------+---------------+-----------------+-----------------+---------------+----------+-------------------
//   start     | streaming     | ignored (event_before_message_start)               | errored  | truncated (fatal)
//   streaming | repeated,     | apply           | apply; finished | done          | errored  | truncated (fatal)
//             | ignored       |                 | on a stop_reason| (stop_reason_ |          |
//             |               |                 |                 |  missing)     |          |
//   finished  | repeated,     | apply           | apply           | done          | errored  | finished
//             | ignored       |                 |                 |               |          | (message_stop_missing)
//   done      | every event but ping: event_after_stream_end (ignored)                        | done
//   errored   | every event but ping: event_after_stream_end (ignored)                        | errored
//   truncated | (terminal: reached only at end of stream)
//
//   ping = noise in every state. error = provider_error (fatal); normalized.error =
//   {error.type, error.message}. Other types: unexpected_event_type (ignored). Data
//   that is not JSON (invalid_json...) or not an object (event_data_not_object) skips
//   the event without changing state.
//
// Native object: the message_start message field for field (document order; a key's
// first position, last value), its content replaced by the accumulated blocks (each
// content_block as sent, with text / thinking / signature / citations / input updated
// in place, or appended when the start lacked the key), stop_reason / stop_sequence
// from the last message_delta (omitted when it lacked them, as JSON.stringify drops
// undefined), usage merged as above. Before any message_start: the error event's data
// if one came, else null.
#pragma once

#include "ssecheck/dialect.h"

namespace ssecheck {

extern const DialectInfo kAnthropicMessagesDialect;

}  // namespace ssecheck
