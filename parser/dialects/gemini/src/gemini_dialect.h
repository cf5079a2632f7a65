// Internal: the Gemini state machine's factory (gemini_dialect.cc), for the DialectInfo
// (gemini_info.cc). See ssecheck/gemini/gemini.h for the rules.
#pragma once

#include <memory>
#include <string_view>

#include "ssecheck/dialect.h"

namespace ssecheck::gemini {

inline constexpr std::string_view kName = "gemini";

std::unique_ptr<StreamDialect> make_dialect(const DialectOptions& options);

}  // namespace ssecheck::gemini
