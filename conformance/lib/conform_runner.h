// The conformance runner behind `ssecheck conform` and the GoogleTest conformance suite.
//
// For every interaction of every go-vcr cassette under the corpus directories, the
// response body is assembled under every requested chunking:
//  - with a golden (DIR/golden/<cassette path without .yaml>/interaction-N.json), the
//    whole-body report must equal the golden byte for byte, and every chunking must
//    produce that same report;
//  - without one, self-consistency: every chunking agrees with the whole body, and no
//    fatal diagnostic (or, with strict, no deviation) is reported.
// The injected variant (keep-alives and empty deltas between events) must leave the
// completion and the sequence of diagnostic codes unchanged.
//
// Invariants: results are deterministic and in discovery order (sorted paths), whatever
// the number of worker threads; a failing chunking is named so it reproduces.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ssecheck/assemble.h"
#include "ssecheck/cassette.h"
#include "chunkings.h"

namespace ssecheck::conformance {

struct CassetteRef {
  std::filesystem::path root;  // the corpus directory it was found under
  std::filesystem::path rel;   // path relative to root, e.g. cassettes/foo.yaml
};

// Every *.yaml / *.yml under each root, recursively, skipping golden/ and regressions/.
std::vector<CassetteRef> discover_cassettes(const std::vector<std::filesystem::path>& roots);

// DIR/golden/<rel minus a leading "cassettes/" and the extension>/interaction-N.json
std::filesystem::path golden_path(const CassetteRef& ref, size_t interaction);

struct ConformOptions {
  std::vector<ChunkingKind> kinds = all_chunking_kinds();
  int random_count = 16;
  bool strict = false;
  bool update_golden = false;
  unsigned jobs = 0;  // worker threads; 0 = hardware concurrency
  AssembleOptions accumulate;
};

struct KindOutcome {
  ChunkingKind kind = ChunkingKind::whole;
  size_t runs = 0;
  size_t failures = 0;
  std::string first_failure;  // chunking name and the first differing line
};

enum class CheckMode { golden, self_consistency, skipped, load_error };

struct InteractionOutcome {
  CassetteRef cassette;
  size_t index = 0;
  CheckMode mode = CheckMode::self_consistency;
  std::string dialect;      // the dialect the body was read as
  std::string skip_reason;  // skipped: why it was not checked
  bool passed = true;
  std::string problem;        // why it failed (empty when passed)
  std::string golden_update;  // --update-golden: "new", "unchanged" or the diff
  std::vector<KindOutcome> kinds;
  std::vector<std::string> diagnostic_codes;  // of the whole-body report, in order
  size_t runs() const;
};

struct ConformSummary {
  std::vector<InteractionOutcome> interactions;  // load errors appear as one entry
  size_t cassettes = 0;
  size_t passed = 0, failed = 0, skipped = 0;
  size_t runs = 0;
};

// Why an interaction is not checked as a stream (plain JSON, another framing such as
// application/vnd.amazon.eventstream), or nullopt when it is one. A body without a
// usable Content-Type is checked when it starts like an event stream.
std::optional<std::string> skip_reason(const Interaction& in);

// Checks one interaction body under the requested chunkings. dialect: a registry name
// (e.g. found from the request URL), or empty to use options.accumulate.dialect.
InteractionOutcome check_body(const CassetteRef& ref, size_t index, std::string_view body,
                              const ConformOptions& options, std::string_view dialect = {});

ConformSummary run_conformance(const std::vector<CassetteRef>& cassettes,
                               const ConformOptions& options);

// Line-based unified-style diff (LCS), for golden updates and failure messages.
std::string line_diff(std::string_view expected, std::string_view actual, size_t context = 2);

std::string_view check_mode_name(CheckMode mode);
// "cassettes/foo.yaml#1"
std::string interaction_label(const InteractionOutcome& o);
std::string junit_xml(const ConformSummary& summary);
std::string summary_json(const ConformSummary& summary);

}  // namespace ssecheck::conformance
