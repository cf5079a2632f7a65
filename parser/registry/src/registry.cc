#include "ssecheck/registry.h"

#include <array>

#include "ssecheck/anthropic_messages/anthropic_messages.h"
#include "ssecheck/gemini/gemini.h"
#include "ssecheck/json/event_json.h"
#include "ssecheck/openai_chat/openai_chat.h"
#include "ssecheck/openai_responses/openai_responses.h"

namespace ssecheck {
namespace {

// The registry: one line per dialect. Order matters only for URL matching (first wins).
constexpr std::array<const DialectInfo*, 4> kDialects = {
    &kOpenAiChatDialect,
    &kOpenAiResponsesDialect,
    &kAnthropicMessagesDialect,
    &kGeminiDialect,
};

}  // namespace

std::span<const DialectInfo* const> dialects() { return kDialects; }

const DialectInfo* find_dialect(std::string_view name) {
  for (const DialectInfo* d : kDialects)
    if (d->name == name) return d;
  return nullptr;
}

std::unique_ptr<StreamDialect> make_dialect(std::string_view name, const DialectOptions& options) {
  const DialectInfo* d = find_dialect(name);
  return d ? d->make(options) : nullptr;
}

std::string dialect_names_joined(std::string_view separator) {
  std::string s;
  for (const DialectInfo* d : kDialects) {
    if (!s.empty()) s += separator;
    s += d->name;
  }
  return s;
}

const DialectInfo* dialect_for_request(std::string_view url) {
  for (const DialectInfo* d : kDialects)
    if (d->matches_request(url)) return d;
  return nullptr;
}

const DialectInfo* dialect_for_event(std::string_view type, std::string_view data) {
  // Small documents only: detection runs once per stream, before the dialect parses.
  json::EventJson parser(JsonBackend::rapidjson, json::Limits{64, 100'000});
  json::Value root;
  if (parser.parse(data) == json::Status::ok) root = parser.root();
  const DialectInfo* maybe = nullptr;
  size_t maybes = 0;
  for (const DialectInfo* d : kDialects) {
    const Recognition r = d->recognize(type, data, root);
    if (r == Recognition::yes) return d;
    if (r == Recognition::maybe) maybe = d, ++maybes;
  }
  return maybes == 1 ? maybe : nullptr;
}

}  // namespace ssecheck
