// Meaning-preserving noise for a whole body, the dialect's own and the framing's.
//
// Invariant: the result assembles to the same native object, normalized result and
// diagnostic codes as the body itself, under every chunking. Between each two events
// it puts a `: keep-alive` comment and then DialectInfo::noise (empty deltas, pings...),
// using the body's own line ending (CRLF when the body has one, else LF).
#pragma once

#include <string>
#include <string_view>

#include "ssecheck/dialect.h"

namespace ssecheck {

// dialect may be nullptr: keep-alive comments only.
std::string inject_noise(std::string_view body, const DialectInfo* dialect);

}  // namespace ssecheck
