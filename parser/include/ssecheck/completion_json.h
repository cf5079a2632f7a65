// Writes an AssemblyReport as JSON: {"completion":{...},"diagnostics":[...],"stats":{...}}.
//
// Invariants:
//  - The output is always valid JSON: strings with invalid UTF-8 are repaired (U+FFFD),
//    control characters escaped.
//  - Deterministic: equal reports give byte-identical output, so goldens can be compared.
//  - A field never sent prints null; a field sent empty prints "". tool_calls and
//    reasoning_details are omitted when none were sent; logprobs is null when no
//    logprobs array was ever sent.
//  - stats holds only chunking-independent figures.
#pragma once

#include <string>

#include "ssecheck/completion.h"

namespace ssecheck {

// No trailing newline.
std::string report_to_json(const AssemblyReport& report, bool pretty = false);

}  // namespace ssecheck
