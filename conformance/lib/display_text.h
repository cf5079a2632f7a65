// Text for a terminal, a log line or a report message, from bytes that may be anything
// (a YAML error quoting the offending character, a line of a response body).
//
// Invariants: the result is valid UTF-8 with no control characters. Valid multibyte
// UTF-8 is kept; each byte of a C0 control, DEL, a C1 control (U+0080..U+009F) or
// ill-formed UTF-8 becomes \xNN (so a NUL shows as \x00 instead of ending the
// message); with keep_newlines, LF and tab stay.
#pragma once

#include <string>
#include <string_view>

namespace ssecheck::conformance {

std::string printable(std::string_view bytes, bool keep_newlines = false);

}  // namespace ssecheck::conformance
