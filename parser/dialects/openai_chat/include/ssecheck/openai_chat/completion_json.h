// The openai-chat native writer: a Completion as an OpenAI chat.completion object.
//
// Invariants:
//  - Deterministic, always valid JSON (json::Out repairs strings).
//  - A field never sent prints null; a field sent empty prints "". tool_calls and
//    reasoning_details are omitted when none were sent; logprobs is null when no
//    logprobs array was ever sent.
#pragma once

#include <string>

#include "ssecheck/json/out.h"
#include "ssecheck/openai_chat/completion.h"

namespace ssecheck {

void write_completion(json::Out& out, const Completion& completion);
// Compact, no trailing newline.
std::string completion_to_json(const Completion& completion);

}  // namespace ssecheck
