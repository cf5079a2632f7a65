// gemini diagnostics, layer "gemini". X(name, severity, layer, description); see
// diagnostics.h. Names are stable: append, never rename or reuse.
#pragma once

#define SSECHECK_GEMINI_DIAGNOSTIC_CODES(X)                                                                     \
  X(candidate_index_out_of_range, fatal, "gemini", "a candidate index exceeds max_outputs; the candidate was skipped") \
  X(too_many_candidate_parts, fatal, "gemini", "a candidate has more than max_outputs merged parts; later parts were dropped") \
  X(too_many_function_calls, fatal, "gemini", "a candidate has more than max_tool_calls function calls; later calls were dropped") \
  X(not_a_generate_content_response, deviation, "gemini", "data is not a GenerateContentResponse object; it was ignored") \
  X(parts_after_finish_reason, deviation, "gemini", "a candidate received parts after its finishReason; they were merged") \
  X(candidate_finish_reason_changed, deviation, "gemini", "a candidate's finishReason differs from an earlier one; the last was kept") \
  X(usage_metadata_decreased, deviation, "gemini", "a usageMetadata token count is lower than in an earlier chunk; the last was kept") \
  X(part_without_known_field, deviation, "gemini", "a part has none of the Part fields (text, functionCall, inlineData...); kept as sent") \
  X(function_call_without_name, deviation, "gemini", "a functionCall part has no name")                    \
  X(streamed_function_call_arguments, deviation, "gemini", "a functionCall streams partialArgs/willContinue (Vertex AI), which is not assembled; kept as sent") \
  X(chunk_response_id_changed, deviation, "gemini", "a chunk's responseId differs from the first one; the first was kept") \
  X(model_version_changed, deviation, "gemini", "a chunk's modelVersion differs from the first one; the first was kept") \
  X(prompt_blocked, note, "gemini", "promptFeedback.blockReason: the prompt was blocked and no candidate was generated") \
  X(abnormal_finish_reason, note, "gemini", "a candidate stopped for a reason other than STOP or MAX_TOKENS (SAFETY, RECITATION, MALFORMED_FUNCTION_CALL...)")
