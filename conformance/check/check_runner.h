// Runs the cases against one implementation through its adapter.
//
// Invariants:
//  - Every case gets exactly one outcome, whatever the adapter does: a crash, a hang,
//    garbage or an oversized reply becomes CRASH, TIMEOUT or PROTOCOL_ERROR for that
//    case, the adapter is restarted, and the run goes on.
//  - A case needing a mode, dialect or output the adapter did not declare is SKIPPED
//    with the reason, never dropped.
//  - Outcomes depend on the answers only, never on timing (except TIMEOUT).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "adapter_process.h"
#include "adapter_protocol.h"
#include "check_cases.h"
#include "ssecheck/replay/replay_server.h"

namespace ssecheck::check {

enum class Outcome { pass, fail, non_strict, informational, crash, timeout, protocol_error, skipped };
std::string_view outcome_name(Outcome o);  // "PASS", "FAIL", ...
bool outcome_from_name(std::string_view name, Outcome* out);

struct CaseResult {
  const CheckCase* test = nullptr;
  Outcome outcome = Outcome::skipped;
  std::string reason;              // one line: why this outcome
  std::vector<std::string> diff;   // FAIL/NON_STRICT: expected vs got, one line per field
  std::string answer;              // the reply, truncated
  std::string stderr_tail;         // CRASH/TIMEOUT/PROTOCOL_ERROR: the adapter's last words
  std::string journal;             // http: what the client sent (the first requests, as text)
  double seconds = 0;
};

struct ImplSpec {
  std::string name;     // as given on the command line (the row's name)
  std::string command;  // run with sh -c
};

struct ImplResults {
  ImplSpec spec;
  Hello hello;
  std::string start_problem;  // set when the adapter never answered hello
  std::vector<CaseResult> results;  // one per case, in case order
  size_t count(Outcome o) const;
};

// Serves http-mode cases; set by the caller that hosts the replay server.
struct HttpHost {
  // Registers the case (clearing its journal) and returns its base URL (no trailing slash).
  std::function<std::string(const CheckCase&)> base_url_for;
  // What clients sent for the case since base_url_for.
  std::function<std::vector<replay::JournalEntry>(const CheckCase&)> journal_for;
  int client_timeout_ms = 5000;  // passed to the adapter as the http command's timeout_ms
};

struct RunOptions {
  AdapterLimits limits;
  bool strict = false;              // NON_STRICT counts as a failure
  const HttpHost* http = nullptr;   // http-mode cases are SKIPPED without one
  std::function<void(const ImplResults&, const CaseResult&)> on_result;  // progress
};

ImplResults run_implementation(const ImplSpec& impl, const std::vector<CheckCase>& cases, const RunOptions& options);

// Whether the outcome fails a run: FAIL, CRASH, TIMEOUT, PROTOCOL_ERROR, and
// NON_STRICT under strict.
bool is_failure(Outcome o, bool strict);

}  // namespace ssecheck::check
