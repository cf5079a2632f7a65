// UTF-8 validation and WHATWG-conformant repair (the "UTF-8 decode" algorithm of the
// Encoding Standard: each maximal subpart of an ill-formed sequence becomes one U+FFFD).
//
// Invariants: valid input is never changed; repair output is always valid UTF-8; both
// functions are linear and never read past the input.
#pragma once

#include <string>
#include <string_view>

namespace ssecheck::utf8 {

// True when the bytes are well-formed UTF-8 (no surrogates, no overlongs, <= U+10FFFF).
bool is_valid(std::string_view bytes);

// Appends the bytes to out, replacing every maximal ill-formed subpart with U+FFFD
// (EF BF BD). A sequence cut short by the end of the input is one U+FFFD.
void append_repaired(std::string& out, std::string_view bytes);

inline constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

}  // namespace ssecheck::utf8
