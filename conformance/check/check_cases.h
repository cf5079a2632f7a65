// The cases `ssecheck check` runs against an implementation.
//
// Invariants:
//  - A case id is stable and readable, `<dialect>/<category>/<name>` (framing cases:
//    `sse/spec/<case>`), and depends only on the corpus, never on options or order.
//  - Every case states its expectation from an independent source: a reviewed golden
//    (corpus/golden/, checked against the recordings and the SDKs' own results) or a
//    hand-derived WHATWG spec case (corpus/spec/). Interactions without either are not
//    turned into cases.
//  - Every case cites the rule it checks.
//  - The bytes of a case are a body plus feed boundaries; pieces are cut on demand.
//  - Schedules (chunkings, SSE rewrites, noise, faults) are the replay server's
//    (ssecheck/replay/schedule.h), named the same in feed and http mode; faults and
//    framings exist only on the wire (http mode).
#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "adapter_protocol.h"
#include "ssecheck/replay/schedule.h"

namespace ssecheck::check {

enum class CaseMode { feed, http };

enum class Expect {
  result,  // the golden normalized result, exactly
  error,   // a classified error (error_kinds); a result instead is NON_STRICT
  events,  // framing only: this event list
};

struct CheckCase {
  std::string id;        // <dialect>/<category>/<name>
  std::string dialect;   // registry name; empty for framing cases
  std::string category;  // chunking, noise, spec
  std::string schedule;  // e.g. "bytes1", "random#1", "inject"
  std::string rule;      // what it checks, with its source
  std::string source;    // cassette path#interaction, or the spec file
  CaseMode mode = CaseMode::feed;
  std::string body;          // the bytes sent
  std::vector<size_t> cuts;  // feed boundaries into body
  Expect expect = Expect::result;
  std::shared_ptr<const rapidjson::Document> golden;      // the interaction's golden report
  std::shared_ptr<const rapidjson::Document> normalized;  // Expect::result: the expected normalized result
  std::vector<std::string> error_kinds;                    // Expect::error: accepted kinds
  int error_status = 0;                                    // Expect::error, http_status: the status
  std::string deviations;  // the golden's deviation codes: the stream breaks a rule, so
                           // another reading than ssecheck's is INFORMATIONAL, not FAIL
  std::vector<EventRecord> events;                     // Expect::events
  HttpRequest request;                                 // http: the recorded request
  std::shared_ptr<const replay::ReplayCase> replay;    // http: what the replay server serves

  std::vector<std::string> pieces() const;
};

struct CaseOptions {
  std::vector<std::filesystem::path> corpus_roots;  // cassettes + goldens; empty: the built-in corpus
  std::filesystem::path spec_dir;                   // framing cases; empty: <first root>/spec, if any
  std::string dialect;                              // only this dialect when set
  uint64_t seed = 1;
  bool feed = true;  // feed-mode cases
  bool http = true;  // http-mode cases (the replay server), faults included
  size_t fault_interactions = 2;  // faults on the first N interactions of each dialect
  replay::CaseOptions replay_options;  // stall (longer than the client's timeout), retry-after
  std::chrono::milliseconds max_case_pauses{300};  // cap on a schedule's total pause time
};

struct CaseSet {
  std::vector<CheckCase> cases;
  std::vector<std::string> problems;  // corpus files that could not be read
};

CaseSet build_cases(const CaseOptions& options);

}  // namespace ssecheck::check
