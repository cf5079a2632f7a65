// The registry: the one list of stream dialects (registry.cc). Every name, route and
// detection rule is read from it; nothing else spells the names out.
//
// Adding a dialect: a folder under parser/dialects/ with its DialectInfo, its codes.h
// (included by diagnostics.h), and one line in registry.cc's table.
//
// Invariants:
//  - Names are unique and stable; lookups are exact (no prefix or case folding).
//  - Detection order: an explicit name, then the request URL, then the first events.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "ssecheck/dialect.h"

namespace ssecheck {

std::span<const DialectInfo* const> dialects();
const DialectInfo* find_dialect(std::string_view name);  // nullptr when unknown
// nullptr when no dialect has that name.
std::unique_ptr<StreamDialect> make_dialect(std::string_view name, const DialectOptions& options = {});
// "openai-chat, openai-responses, ..." (for error messages and --help).
std::string dialect_names_joined(std::string_view separator = ", ");

// The dialect whose route the URL is, or nullptr.
const DialectInfo* dialect_for_request(std::string_view url);
// The first dialect sure of this event (Recognition::yes), else the only one that says
// maybe, else nullptr.
const DialectInfo* dialect_for_event(std::string_view type, std::string_view data);

// The dialect auto-detection falls back to when no event decides.
inline constexpr std::string_view kFallbackDialect = "openai-chat";

}  // namespace ssecheck
