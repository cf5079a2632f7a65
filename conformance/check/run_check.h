// `ssecheck check`: the whole run, from options to reports and an exit code.
//
// Exit codes: 0 every case passed (with --expect: nothing changed), 1 a case failed
// (or changed), 2 a usage, I/O or corpus error. Output paths are opened before the
// run, so a bad path fails in the first second, with the OS's reason.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "check_runner.h"

namespace ssecheck::check {

struct CheckConfig {
  std::vector<ImplSpec> impls;                      // NAME=COMMAND
  std::vector<std::filesystem::path> corpus_roots;  // default: the built-in corpus
  std::filesystem::path spec_dir;                   // default: <corpus>/spec
  std::string cases;    // glob over case ids (* and ?), empty = all
  std::string dialect;  // only this dialect
  uint64_t seed = 1;
  bool strict = false;
  bool quiet = false;
  std::string json_path, junit_path, html_path;
  std::string expect_path;        // known outcomes; fail only on a change
  std::string write_expect_path;  // write the outcomes of this run as an expectations file
  AdapterLimits limits;
  bool feed = true, http = true;  // which modes to run
  int client_timeout_ms = 5000;   // http: the client's timeout (a stall lasts twice that)
};

// Parses "NAME=COMMAND"; false with a reason.
bool parse_impl(std::string_view text, ImplSpec* out, std::string* error);

int run_check(const CheckConfig& config, std::ostream& out, std::ostream& err);

}  // namespace ssecheck::check

namespace ssecheck::check {

struct ReproConfig {
  std::string case_id;
  ImplSpec impl;
  std::vector<std::filesystem::path> corpus_roots;
  uint64_t seed = 1;
  std::filesystem::path out_dir;  // where the bytes go (default: repro-<case>)
  AdapterLimits limits;
  int client_timeout_ms = 5000;  // http cases: the client's timeout
};

// Reruns one case and writes what was sent: body.bin (the bytes), reads.txt (the
// read boundaries), command.json (the exact protocol line), answer.json and
// outcome.txt. Exit codes as run_check.
int run_repro(const ReproConfig& config, std::ostream& out, std::ostream& err);

}  // namespace ssecheck::check
