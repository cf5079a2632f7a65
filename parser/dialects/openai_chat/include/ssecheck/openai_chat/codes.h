// openai-chat diagnostics (chat.completion.chunk assembly, DeltaAccumulator), layer
// "openai-chat". X(name, severity, layer, description); see diagnostics.h.
// Names are stable: append, never rename or reuse.
#pragma once

#define SSECHECK_OPENAI_CHAT_DIAGNOSTIC_CODES(X)                                                        \
  X(choice_index_out_of_range, fatal, "openai-chat", "a choice index exceeds max_outputs; the choice was skipped") \
  X(tool_index_out_of_range, fatal, "openai-chat", "a tool call index exceeds max_tool_calls; the entry was skipped") \
  X(detail_index_out_of_range, fatal, "openai-chat", "a reasoning_details index exceeds max_reasoning_details; skipped") \
  X(not_a_chunk, deviation, "openai-chat", "data is not a chat.completion.chunk object")                \
  X(data_after_done, deviation, "openai-chat", "an event arrived after [DONE]; it was ignored")          \
  X(done_missing, deviation, "openai-chat", "a finish_reason arrived but the stream ended without [DONE]") \
  X(finish_reason_missing, deviation, "openai-chat", "the stream completed but a choice has no finish_reason") \
  X(no_choices, deviation, "openai-chat", "the stream completed without any choice")                    \
  X(choice_index_missing, deviation, "openai-chat", "a choice has no index; 0 was assumed")              \
  X(content_after_finish, deviation, "openai-chat", "a choice received a delta after its finish_reason") \
  X(finish_reason_changed, deviation, "openai-chat", "a choice's finish_reason differs from the first one; the first was kept") \
  X(role_changed, deviation, "openai-chat", "a delta's role differs from the first one; the first was kept") \
  X(id_changed, deviation, "openai-chat", "a chunk's id differs from the first one; the first was kept")  \
  X(model_changed, deviation, "openai-chat", "a chunk's model differs from the first one; the first was kept") \
  X(tool_index_missing, deviation, "openai-chat", "a tool call delta has no index; matched by id, else the latest call") \
  X(tool_id_changed, deviation, "openai-chat", "a tool call's id differs from the first one; the first was kept") \
  X(tool_type_changed, deviation, "openai-chat", "a tool call's type differs from the first one; the first was kept") \
  X(tool_name_changed, deviation, "openai-chat", "a tool call's function name differs from the first one; the first was kept") \
  X(tool_call_incomplete, deviation, "openai-chat", "a tool call never received an id or a function name") \
  X(tool_arguments_empty, deviation, "openai-chat", "a tool call's arguments are empty (not even {})")   \
  X(tool_arguments_not_object, deviation, "openai-chat", "a tool call's arguments are valid JSON but not an object") \
  X(created_changed, note, "openai-chat", "a chunk's created differs from the first one (reported once); the first was kept") \
  X(usage_repeated, note, "openai-chat", "usage was sent more than once; the last one was kept")        \
  X(system_fingerprint_changed, note, "openai-chat", "system_fingerprint differs from the first one; the first was kept")
