#include "ssecheck/diagnostics.h"

#include <array>

namespace ssecheck {
namespace {

constexpr DiagInfo kCatalogue[] = {
#define SSECHECK_X(n, sev, layer, description) \
  DiagInfo{DiagCode::n, #n, Severity::sev, layer, description},
    SSECHECK_DIAGNOSTIC_CODES(SSECHECK_X)
#undef SSECHECK_X
};

}  // namespace

std::span<const DiagInfo> all_diagnostics() { return kCatalogue; }

const DiagInfo& info(DiagCode code) { return kCatalogue[static_cast<size_t>(code)]; }

std::optional<DiagCode> diag_code_from_name(std::string_view name) {
  for (const DiagInfo& d : kCatalogue)
    if (d.name == name) return d.code;
  return std::nullopt;
}

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::note: return "note";
    case Severity::deviation: return "deviation";
    case Severity::fatal: return "fatal";
  }
  return "?";
}

}  // namespace ssecheck
