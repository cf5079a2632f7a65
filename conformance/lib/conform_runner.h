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
// the number of worker threads; a failing chunking is named so it reproduces; every
// result is named by its corpus root's label, its path and its index, never by options;
// a failure says which check failed and why, in one text shared by every output.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ssecheck/assemble.h"
#include "ssecheck/cassette.h"
#include "chunkings.h"

namespace ssecheck::conformance {

struct CassetteRef {
  std::filesystem::path root;  // the corpus directory it was found under
  std::filesystem::path rel;   // path relative to root, e.g. cassettes/foo.yaml
  std::string label;           // root as the user named it ("corpus" for the built-in one)
};

// A corpus directory (or a single cassette) and the name its results go under.
struct CorpusRoot {
  std::filesystem::path path;
  std::string label;  // empty: path as given
};

// Every *.yaml / *.yml under each root, recursively, skipping golden/, regressions/ and
// dot-directories; a root that is a file is that one cassette. Sorted within a root,
// roots in the order given; a cassette reached twice (the same file under two roots) is
// listed once, under the first.
std::vector<CassetteRef> discover_cassettes(const std::vector<CorpusRoot>& roots);
std::vector<CassetteRef> discover_cassettes(const std::vector<std::filesystem::path>& roots);

// DIR/golden/<rel minus a leading "cassettes/" and the extension>/interaction-N.json
std::filesystem::path golden_path(const CassetteRef& ref, size_t interaction);
// The same under the root's label, as reports show it.
std::string golden_label(const CassetteRef& ref, size_t interaction);

struct ConformOptions {
  std::vector<ChunkingKind> kinds = all_chunking_kinds();
  int random_count = 16;
  bool strict = false;
  bool update_golden = false;
  unsigned jobs = 0;  // worker threads; 0 = hardware concurrency
  AssembleOptions accumulate;
  // Tests of the reports only: the chunking of this name (e.g. "split@3") is treated as
  // disagreeing with the whole body, as a chunking bug in the parser would.
  std::string fault_chunking;
};

struct KindOutcome {
  ChunkingKind kind = ChunkingKind::whole;
  size_t runs = 0;
  size_t failures = 0;
  std::string first_chunking;  // the first chunking that disagreed, e.g. "split@1234"
  std::string first_failure;   // what differed there: "line 3: expected `…`, got `…`"
};

enum class CheckMode { golden, self_consistency, skipped, load_error };

// What happened to one interaction: passed, failed a check, skipped (not an event
// stream), or error (the cassette could not be loaded: no interaction was checked).
enum class Outcome { passed, failed, skipped, error };

// The checks an interaction can fail, in the order they are made.
enum class FailedCheck {
  cassette,          // the cassette did not load
  golden_write,      // --update-golden could not write the golden
  golden_diff,       // the whole-body report differs from the golden
  fatal_diagnostic,  // no golden, and the report has a fatal diagnostic
  strict_deviation,  // --strict, and the report has a deviation (or a fatal one)
  chunking,          // a chunking's report differs from the whole body's
};

// A diagnostic code of the whole-body report, counted.
struct CodeCount {
  std::string code;
  Severity severity = Severity::note;
  uint64_t count = 0;
};

struct InteractionOutcome {
  CassetteRef cassette;
  size_t index = 0;
  CheckMode mode = CheckMode::self_consistency;
  Outcome outcome = Outcome::passed;
  std::string dialect;                     // the dialect the body was read as
  std::vector<FailedCheck> failed_checks;  // in check order; empty unless failed or error
  // Why, in one line: the skip reason, or the failing checks with the first fatal
  // diagnostic and the first disagreeing chunking. Empty when passed. The console line,
  // the JUnit <failure message=> and the JSON "reason" are this text.
  std::string reason;
  // The supporting lines (first fatal, first disagreement, diagnostics, golden diff);
  // reason + "\n" + details is the console block, the JUnit body and the JSON "details".
  std::string details;
  std::optional<Diagnostic> first_fatal;   // of the whole-body report
  std::optional<Diagnostic> first_deviation;
  std::string golden_diff;                 // golden_diff: the line diff golden -> actual
  std::string golden_update;               // --update-golden: "new", "unchanged" or the diff
  std::vector<KindOutcome> kinds;
  std::vector<CodeCount> diagnostics;      // whole-body report, by first appearance
  double seconds = 0;                      // time spent checking it

  bool passed() const { return outcome == Outcome::passed; }
  size_t runs() const;
  // The first kind with a disagreement, or nullptr.
  const KindOutcome* first_disagreement() const;
  // reason, then details (the full failure text).
  std::string failure_text() const;
};

struct ConformSummary {
  std::vector<InteractionOutcome> interactions;  // load errors appear as one entry
  size_t cassettes = 0;
  size_t passed = 0, failed = 0, skipped = 0, errors = 0;
  size_t runs = 0;
  double seconds = 0;  // wall time of the run
};

// Why an interaction is not checked as a stream (plain JSON, another framing such as
// application/vnd.amazon.eventstream), or nullopt when it is one. A body without a
// usable Content-Type is checked when it starts like an event stream.
std::optional<std::string> skip_reason(const Interaction& in);

// Checks one interaction body under the requested chunkings. dialect: a registry name
// (e.g. found from the request URL), or empty to use options.accumulate.dialect.
InteractionOutcome check_body(const CassetteRef& ref, size_t index, std::string_view body,
                              const ConformOptions& options, std::string_view dialect = {});

// Called on the calling thread once per cassette, in discovery order, as soon as every
// interaction of it (and of every cassette before it) is done.
using CassetteDone = std::function<void(size_t cassette, const CassetteRef& ref,
                                        std::span<const InteractionOutcome> outcomes)>;

ConformSummary run_conformance(const std::vector<CassetteRef>& cassettes, const ConformOptions& options,
                               const CassetteDone& on_cassette = {});

// Line-based unified-style diff (LCS), for golden updates and failure messages.
std::string line_diff(std::string_view expected, std::string_view actual, size_t context = 2);

std::string_view check_mode_name(CheckMode mode);
std::string_view outcome_name(Outcome outcome);
std::string_view failed_check_name(FailedCheck check);
// "id_changed ×61, unexpected_event_type ×18" (× is U+00D7); with_severity adds
// " (fatal)" after each fatal or deviation code.
std::string code_counts_text(const std::vector<CodeCount>& counts, bool with_severity);

// "corpus/cassettes/foo.yaml": the root's label joined with the path under it.
std::string cassette_name(const CassetteRef& ref);
// "corpus/cassettes/foo.yaml#1": unique within a run, and the same whatever the options
// (a cassette that did not load: its cassette_name).
std::string interaction_label(const InteractionOutcome& o);

// Reports (conform_report.cc). JUnit: a <testsuite> per cassette (name and classname:
// cassette_name), a <testcase name="interaction-N"> per interaction ("cassette" for a
// cassette that did not load), time= everywhere, <failure>, <error> and <skipped>
// carrying the reason as message= and the full text as body. JSON: every result with its
// outcome, reason, first fatal diagnostic, first disagreement and counted codes with
// their severity.
std::string junit_xml(const ConformSummary& summary);
std::string summary_json(const ConformSummary& summary);

}  // namespace ssecheck::conformance
