// anthropic-messages diagnostics, layer "anthropic-messages". X(name, severity, layer, description); see
// diagnostics.h. Names are stable: append, never rename or reuse.
#pragma once

#define SSECHECK_ANTHROPIC_MESSAGES_DIAGNOSTIC_CODES(X)                                                  \
  X(content_block_index_out_of_range, fatal, "anthropic-messages",                                      \
    "a content block index is not below max_outputs; its events were skipped (reported once)")          \
  X(tool_block_limit_exceeded, fatal, "anthropic-messages",                                             \
    "a message has more tool_use/server_tool_use blocks than max_tool_calls; the extra blocks were skipped") \
  X(sse_event_name_mismatch, deviation, "anthropic-messages",                                           \
    "the SSE event name differs from the data's type; the data's type was used")                        \
  X(sse_event_name_missing, deviation, "anthropic-messages",                                            \
    "events carry no SSE event name, only data (reported once); the data's type was used, the SDK drops them") \
  X(event_data_type_missing, deviation, "anthropic-messages",                                           \
    "an event's data has no type string; the SSE event name was used")                                  \
  X(event_data_not_object, deviation, "anthropic-messages", "an event's data is JSON but not an object; it was ignored") \
  X(event_before_message_start, deviation, "anthropic-messages",                                        \
    "an event arrived before message_start; it was ignored")                                            \
  X(message_start_repeated, deviation, "anthropic-messages", "a second message_start arrived; it was ignored") \
  X(event_after_stream_end, deviation, "anthropic-messages",                                            \
    "an event other than ping arrived after message_stop or an error event; it was ignored")            \
  X(block_index_out_of_order, deviation, "anthropic-messages",                                          \
    "a content_block_start index is not the next one (0, 1, 2...); the block was started anyway")       \
  X(block_start_repeated, deviation, "anthropic-messages",                                              \
    "a content_block_start for an index that was already started; it was ignored")                      \
  X(delta_for_unknown_block, deviation, "anthropic-messages",                                           \
    "a content_block_delta for an index that was never started; it was ignored")                        \
  X(delta_after_block_stop, deviation, "anthropic-messages",                                            \
    "a content_block_delta after its block's content_block_stop; it was ignored")                       \
  X(stop_for_unknown_block, deviation, "anthropic-messages",                                            \
    "a content_block_stop for an index never started or already stopped; it was ignored")               \
  X(block_stop_missing, deviation, "anthropic-messages",                                                \
    "a content block had no content_block_stop by message_stop (or the end of a finished stream)")      \
  X(delta_type_mismatch, deviation, "anthropic-messages",                                               \
    "a delta does not fit its block's type (e.g. text_delta on a tool_use block); it was ignored")      \
  X(delta_type_unknown, deviation, "anthropic-messages", "a content_block_delta has an unknown delta type; it was ignored") \
  X(tool_input_not_object, deviation, "anthropic-messages",                                             \
    "a tool block's assembled input is valid JSON but not an object")                                   \
  X(message_delta_usage_missing, deviation, "anthropic-messages",                                       \
    "a message_delta has no usage.output_tokens; the earlier output_tokens was kept")                   \
  X(output_tokens_decreased, deviation, "anthropic-messages",                                           \
    "a message_delta's cumulative output_tokens is lower than an earlier count")                        \
  X(stop_reason_changed, deviation, "anthropic-messages",                                               \
    "a later message_delta replaced a stop_reason with a different value; the last was kept, as the SDK does") \
  X(stop_reason_missing, deviation, "anthropic-messages", "message_stop arrived but no message_delta set a stop_reason") \
  X(message_stop_missing, deviation, "anthropic-messages",                                              \
    "a stop_reason arrived but the stream ended without message_stop")
