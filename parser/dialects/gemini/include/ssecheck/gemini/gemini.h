// The Gemini dialect ("gemini"): models.streamGenerateContent with alt=sse (Gemini API
// /v1beta|/v1 models/*, tunedModels/*; Vertex AI projects/*/locations/*/publishers/google/
// models/*, publishers/google/models/*; any proxy prefix before those). Each SSE event
// (type "message", no event field) carries one GenerateContentResponse; there is no
// terminator event.
//
// Invariants:
//  - Never throws, never crashes: bad input becomes a diagnostic (codes.h, layer
//    "gemini", plus the shared json/stream codes).
//  - Bounded: a candidate index is checked against max_outputs, a candidate's merged
//    parts against max_outputs and its function calls against max_tool_calls before
//    anything is allocated for them; merged text, tool call names/arguments and
//    kept-as-sent parts go through append() (max_assembled_bytes); last-wins members
//    (usageMetadata, safetyRatings...) are replaced, never accumulated. Skipped candidates are reported once per
//    chunk and usage comparisons look at 16 counts at most, so no input multiplies work
//    or stored diagnostics.
//  - The report depends only on the events (never on how the bytes were cut).
//
// States and transitions (state x input -> next state / action):
//
//   state     | chunk                           | error object | other event type | end of stream
//   ----------+---------------------------------+--------------+------------------+------------------
//   start     | streaming / merge; finished     | errored      | unchanged /      | truncated (fatal)
//             | once every candidate seen has a | (fatal       | unexpected_event |
//             | finishReason, or promptFeedback | provider_    | _type (ignored)  |
//             | has a blockReason               | error)       |                  |
//   streaming | as start                        | errored      | as start         | truncated (fatal)
//   finished  | finished / merge (parts for a   | errored      | as start         | finished
//             | finished candidate:             |              |                  |
//             | parts_after_finish_reason); a   |              |                  |
//             | new candidate: streaming        |              |                  |
//   errored   | errored / ignored               | ignored      | ignored          | errored
//   truncated | (terminal: reached only at end of stream)
//
//   chunk = a "message" event whose data is a JSON object with at least one
//   GenerateContentResponse member (candidates, promptFeedback, usageMetadata,
//   modelVersion, responseId, createTime, modelStatus); other JSON is
//   not_a_generate_content_response (ignored). error object = an object with a non-null
//   "error" member ({"error":{"code":500,"message":"...","status":"INTERNAL"}}).
//   Gemini has no terminator, so a complete stream ends in "finished"
//   (stats.terminator_seen stays false). A chunk that is only {"usageMetadata":U} with
//   U equal to the last usageMetadata is meaning-free (stats.noise_events), which is
//   what the dialect's noise() inserts.
//
// Native object: ONE GenerateContentResponse. Top-level members in first-seen order:
// candidates (sorted by index, merged as below), usageMetadata and promptFeedback and
// unknown members (last value wins), modelVersion / responseId / createTime (first
// non-empty wins), error (the provider's error object, when one came). Per candidate:
// content {parts, role (first non-empty)}, then the other members in first-seen order
// with the last value winning (finishReason, finishMessage, safetyRatings,
// citationMetadata, groundingMetadata, logprobsResult, ...), then index. Parts keep
// stream order; consecutive parts whose members are only text (+ thought,
// thoughtSignature) and of the same kind (thought: true or not) are concatenated into one
// part, and a fragment's thoughtSignature goes on that merged part and closes it (the next
// fragment starts a new part), so a signature streamed on a trailing {"text":""} fragment
// ends up on the text it signs, as in the unary response. Every other part
// (functionCall, executableCode, codeExecutionResult, inlineData, a text part with other
// members...) is kept exactly as sent. A merged part is written {text, thought: true when
// it is thought, thoughtSignature when one came}; "thought": false is not repeated.
//
// Normalized: one output (index 0) from candidate 0: text = its non-thought text parts
// concatenated, reasoning = its thought: true text, tool_calls = its functionCall parts
// in order (id = functionCall.id or null, name, arguments = compact JSON of args, "{}"
// when absent), finish_reason = its last finishReason, else promptFeedback.blockReason
// when the prompt was blocked; id = responseId, model = modelVersion; usage from the last
// usageMetadata: input_tokens = promptTokenCount, output_tokens = candidatesTokenCount
// (thoughtsTokenCount is not included, as the recordings' SDK facts show); error =
// {type: error.status, message: error.message}.
#pragma once

#include "ssecheck/dialect.h"

namespace ssecheck {

extern const DialectInfo kGeminiDialect;

}  // namespace ssecheck
