// AssemblyReport: what a dialect made of one stream. The same shape for every dialect:
// the provider's native final object (as JSON text), the normalized result, the
// diagnostics, and chunking-independent stats.
//
// Invariants:
//  - native_json is compact JSON written by the dialect's own writer, and normalized
//    is filled, once finish() has run.
//  - Diagnostics are stored in stream order up to max_diagnostics; past that, notes and
//    deviations are only counted (counts.dropped) but fatal ones are always kept, so the
//    reason for a failure is never lost. first_fatal indexes the first one.
//  - AssemblyStats holds only figures that no chunking of the input can change.
#pragma once

#include <any>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ssecheck/diagnostics.h"
#include "ssecheck/normalized.h"

namespace ssecheck {

inline constexpr size_t kDiagCodeCount = 0
#define SSECHECK_X(name, severity, layer, description) +1
    SSECHECK_DIAGNOSTIC_CODES(SSECHECK_X)
#undef SSECHECK_X
    ;

// Where a stream ended up. Each dialect's header maps its own events onto these.
//   start      nothing assembled yet
//   streaming  content arriving
//   finished   a final status arrived (finish_reason, stop_reason...), terminator not yet
//   done       the dialect's terminator arrived ([DONE], message_stop, response.completed)
//   errored    the provider reported an error
//   truncated  the stream ended before it finished (fatal)
enum class StreamState : uint8_t { start, streaming, finished, done, errored, truncated };
std::string_view state_name(StreamState s);

struct AssemblyStats {
  uint64_t bytes = 0;            // input bytes (set by the driver feeding the parser)
  uint64_t events = 0;           // SSE events received
  uint64_t data_chunks = 0;      // events whose data parsed as a JSON object
  uint64_t comments = 0;
  uint64_t noise_events = 0;     // meaning-free events: empty deltas, pings...
  uint64_t assembled_bytes = 0;  // text appended to the result
  bool terminator_seen = false;  // [DONE], message_stop, response.completed...
};

struct DiagnosticCounts {
  uint64_t note = 0;
  uint64_t deviation = 0;
  uint64_t fatal = 0;
  uint64_t dropped = 0;  // counted but not stored (beyond max_diagnostics)
  std::array<uint32_t, kDiagCodeCount> by_code{};
  uint32_t of(DiagCode c) const { return by_code[static_cast<size_t>(c)]; }
};

struct AssemblyReport {
  std::string dialect;
  StreamState state = StreamState::start;
  bool strict = false;
  std::string native_json;  // the provider's final object, compact JSON
  std::any native;          // the same as a typed value, where the dialect offers one
  NormalizedResult normalized;
  std::vector<Diagnostic> diagnostics;
  std::optional<size_t> first_fatal;  // index into diagnostics
  DiagnosticCounts counts;
  AssemblyStats stats;

  // Any fatal diagnostic, or any deviation when strict.
  bool failed() const { return counts.fatal > 0 || (strict && counts.deviation > 0); }
  bool has(DiagCode c) const { return counts.of(c) > 0; }
  // Files a diagnostic under the storage rule above.
  void add(DiagCode code, uint64_t event_index, uint64_t offset, std::string_view message,
           uint32_t max_diagnostics);
};

// {"dialect":…,"state":…,"native":{…},"normalized":{…},"first_fatal":…,
//  "diagnostics":[…],"stats":{…}}, no trailing newline.
std::string report_to_json(const AssemblyReport& report, bool pretty = false);

}  // namespace ssecheck
