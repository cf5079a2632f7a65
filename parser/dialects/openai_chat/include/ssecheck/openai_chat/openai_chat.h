// The openai-chat dialect: OpenAI Chat Completions streams (chat.completion.chunk),
// as sent by OpenAI, Azure OpenAI and the many OpenAI-compatible servers. Its state
// machine and transition table are in delta_accumulator.h; this is its registry entry.
//
// Recognised by a request path ending in /chat/completions, or by a first event whose
// data is "[DONE]" or an object with object "chat.completion.chunk" or a "choices" array.
// Noise: an empty-delta chunk carrying the stream's id, object, created and model,
// between two chunks that both carry choices.
#pragma once

#include "ssecheck/dialect.h"
#include "ssecheck/openai_chat/delta_accumulator.h"

namespace ssecheck {

extern const DialectInfo kOpenAiChatDialect;

}  // namespace ssecheck
