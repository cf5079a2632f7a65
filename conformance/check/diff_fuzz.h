// `ssecheck fuzz --impl`: differential fuzzing of an external implementation in feed
// mode, with ssecheck's own pipeline as the oracle.
//
// Invariants:
//  - Inputs are corpus streams put through meaning-preserving mutators (read
//    boundaries, the SSE rewrites, the dialect's noise) and, less often, byte edits;
//    the expected answer is always recomputed by ssecheck on the exact mutated bytes.
//  - Only clean inputs (no fatal and no deviation in ssecheck's report) can make a
//    FAIL finding; adapter crashes, hangs and protocol errors are findings on any input.
//  - A finding is minimised (fewer read boundaries, then fewer events, then shorter
//    data lines), saved once per signature (outcome, dialect, first differing field),
//    and never reported twice, across runs too: the findings directory is the memory.
//  - Memory is flat: no corpus grows; a run holds its seeds, one input per worker and
//    the signature set.
#pragma once

#include <chrono>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "adapter_process.h"
#include "check_runner.h"

namespace ssecheck::check {

struct FuzzConfig {
  ImplSpec impl;
  std::vector<std::filesystem::path> corpus_roots;  // default: the built-in corpus
  std::string dialect;                              // only this dialect's seeds
  std::chrono::seconds budget{600};
  uint64_t seed = 1;
  unsigned jobs = 1;  // adapter processes in parallel
  std::filesystem::path findings_dir = "fuzz-findings";
  std::chrono::seconds progress_every{10};
  size_t max_minimise_steps = 1000;  // adapter calls spent minimising one finding
  bool quiet = false;
  AdapterLimits limits;
};

// Exit: 0 no new finding, 1 new findings were saved, 2 usage, I/O or corpus error.
int run_fuzz(const FuzzConfig& config, std::ostream& out, std::ostream& err);

// A saved finding replayed against an implementation (ssecheck repro --finding DIR).
int replay_finding(const std::filesystem::path& dir, const ImplSpec& impl, const AdapterLimits& limits,
                   std::ostream& out, std::ostream& err);

// The bytes in the input notation of corpus/spec/README.md (one line per LF).
std::string to_input_notation(std::string_view bytes);

}  // namespace ssecheck::check
