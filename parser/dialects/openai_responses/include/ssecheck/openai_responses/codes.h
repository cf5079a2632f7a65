// openai-responses diagnostics, layer "openai-responses". X(name, severity, layer, description); see
// diagnostics.h. Names are stable: append, never rename or reuse.
#pragma once

#define SSECHECK_OPENAI_RESPONSES_DIAGNOSTIC_CODES(X)                                                    \
  X(response_index_out_of_range, fatal, "openai-responses",                                             \
    "an output item, part or annotation index is not below max_outputs (or function calls exceed max_tool_calls); it was skipped") \
  X(sequence_number_gap, deviation, "openai-responses",                                                 \
    "an event's sequence_number skips numbers after the previous event's (events were lost)")          \
  X(sequence_number_not_increasing, deviation, "openai-responses",                                      \
    "an event's sequence_number repeats or goes below the previous event's")                           \
  X(sequence_number_missing, note, "openai-responses",                                                  \
    "events carry no sequence_number (reported once); their order was not checked")                    \
  X(response_created_missing, deviation, "openai-responses",                                            \
    "the stream did not start with response.created (the SDK rejects it); an empty response was assumed") \
  X(event_after_response_end, deviation, "openai-responses",                                            \
    "an event arrived after response.completed/incomplete/failed, an error event or [DONE]; it was ignored") \
  X(output_item_missing, deviation, "openai-responses",                                                 \
    "an event names an output_index where no output item was added; it was ignored")                   \
  X(content_part_missing, deviation, "openai-responses",                                                \
    "an event names a content_index or summary_index where no part was added; it was ignored")         \
  X(added_index_not_next, deviation, "openai-responses",                                                \
    "an .added event names an index other than the next free one; it was stored where the SDK puts it (appended; annotations at their index)") \
  X(event_item_type_mismatch, deviation, "openai-responses",                                            \
    "an event does not fit the type of its output item or part (e.g. output_text.delta on a refusal); it was ignored") \
  X(item_id_missing, deviation, "openai-responses",                                                     \
    "an added output item has no string id, or an empty one (only function and custom tool calls may lack it); kept") \
  X(event_item_id_missing, deviation, "openai-responses",                                               \
    "an item event (delta, part, done, status) has no item_id, or an empty one (reported once); its output_index was used") \
  X(item_id_mismatch, deviation, "openai-responses",                                                    \
    "an event's item_id differs from the id of the item at its output_index; the output_index was used") \
  X(done_differs_from_deltas, deviation, "openai-responses",                                            \
    "a .done event's full text or arguments differ from what its deltas assembled; the .done value was kept, as the SDK does") \
  X(item_done_differs_from_assembled, deviation, "openai-responses",                                    \
    "output_item.done's item differs in type, text or arguments from the one assembled; the done item was kept") \
  X(response_output_differs_from_assembled, deviation, "openai-responses",                              \
    "a response.* lifecycle event's output differs from the items assembled; its output was kept, as the SDK does") \
  X(terminal_status_mismatch, deviation, "openai-responses",                                            \
    "a terminal event's response has no status, or not the one its type names; the response's, else the type's, was used") \
  X(event_name_differs_from_type, deviation, "openai-responses",                                        \
    "the SSE event field differs from the data's type; the data's type was used")                      \
  X(event_type_missing, deviation, "openai-responses",                                                  \
    "an event's data has no type string; the SSE event field was used")                                \
  X(event_not_json_object, deviation, "openai-responses", "an event's data is JSON but not an object; it was ignored") \
  X(response_incomplete, note, "openai-responses",                                                      \
    "the response ended with response.incomplete (see incomplete_details.reason)")                     \
  X(done_marker_ignored, note, "openai-responses",                                                      \
    "a Chat Completions style data: [DONE] arrived; it was ignored, and so is everything after it, as the SDK does")
