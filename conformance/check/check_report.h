// Reports of `ssecheck check`: the results JSON, the HTML matrix, and the
// expectations file that lets CI fail only on a change.
//
// Invariants: every report is written with RapidJSON's Writer (or from its output),
// so it is valid whatever the bytes in a reason or an answer; case ids are the only
// keys, so reports of runs with different options line up.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "check_runner.h"

namespace ssecheck::check {

struct RunReport {
  std::vector<CheckCase> const* cases = nullptr;
  std::vector<ImplResults> impls;
  uint64_t seed = 0;
  double seconds = 0;
};

// {"seed", "seconds", "cases": [...], "implementations": [{..., "counts", "results"}]}
std::string results_json(const RunReport& report, bool pretty = true);

// A self-contained page: implementations x cases, grouped by dialect and category,
// rows with one outcome everywhere folded; every cell opens its case's details.
std::string matrix_html(const RunReport& report);

// JUnit: one <testsuite> per implementation, one <testcase> per case (name = case id,
// classname = impl.dialect.category), with time=, <failure> and <skipped>.
std::string junit_xml(const RunReport& report, bool strict);

// {"<impl>": {"<case id>": "FAIL", ...}}: known outcomes; a case not listed is
// expected to PASS (or be SKIPPED). Returns false with a reason on a malformed file.
using Expectations = std::map<std::string, std::map<std::string, Outcome>>;
bool parse_expectations(std::string_view text, Expectations* out, std::string* error);

struct Change {
  std::string impl, case_id;
  Outcome expected, got;
};
// The results that differ from the expectations (a new failure, or a known failure
// that now passes: both mean the file must be updated).
std::vector<Change> changes(const RunReport& report, const Expectations& expected, bool strict);

// The expectations file that would make this run pass: its non-passing outcomes.
std::string expectations_json(const RunReport& report, bool strict);

}  // namespace ssecheck::check
