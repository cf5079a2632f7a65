// Meaning-preserving rewrites of a text/event-stream body, for the replay server and
// `conform`. Pure functions of (body, flags, seed); no server, no dialect.
//
// Invariants (checked over the whole corpus by sse_rewrites_test):
//  - Under the WHATWG parser the rewritten body dispatches the same (type, data) list
//    as the original; with split_data_lines a JSON data value may gain LFs between
//    JSON tokens (the same JSON value). id_retry changes lastEventId, nothing else.
//  - The flag set none returns the body byte for byte.
//  - Deterministic: the same (body, flags, seed) always gives the same bytes.
//  - Linear in the body size; the output is at most a small constant factor larger.
//  - An unterminated last line (discarded by the parser) is kept unchanged, last.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ssecheck::replay {

enum class Rewrites : uint32_t {
  none = 0,
  crlf = 1u << 0,              // every line ending CRLF (with cr too: mixed CRLF, CR, LF)
  cr = 1u << 1,                // every line ending a lone CR
  no_space = 1u << 2,          // "field:value" where the value does not start with a space
  bom = 1u << 3,               // a leading U+FEFF (only when the body has none)
  comments = 1u << 4,          // extra comment lines, inside events and as blocks of their own
  unknown_fields = 1u << 5,    // fields the parser must ignore ("Data:", "data :", "x-foo:"...)
  id_retry = 1u << 6,          // an id: per event, a valid retry: at the start
  split_data_lines = 1u << 7,  // a JSON data value split over data: lines between tokens
};
inline constexpr uint32_t kRewriteCount = 8;
inline constexpr Rewrites kAllRewrites = static_cast<Rewrites>((1u << kRewriteCount) - 1);

constexpr Rewrites operator|(Rewrites a, Rewrites b) {
  return static_cast<Rewrites>(static_cast<uint32_t>(a) | static_cast<uint32_t>(b));
}
constexpr Rewrites operator&(Rewrites a, Rewrites b) {
  return static_cast<Rewrites>(static_cast<uint32_t>(a) & static_cast<uint32_t>(b));
}
constexpr bool has(Rewrites set, Rewrites flag) { return (set & flag) != Rewrites::none; }

// The single flag's name ("crlf", "no-space", "split-data"...); "" for a set.
std::string_view rewrite_name(Rewrites flag);
// Flag names joined with '+' in flag order; "" for none.
std::string rewrites_name(Rewrites set);
// One flag from its name; nullopt when unknown.
std::optional<Rewrites> parse_rewrite(std::string_view name);

// The rewritten body. seed picks where comments, fields and splits go.
std::string rewrite(std::string_view body, Rewrites rewrites, uint64_t seed = 1);

}  // namespace ssecheck::replay
