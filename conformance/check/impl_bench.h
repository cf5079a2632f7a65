// `ssecheck bench --impl`: throughput of implementations side by side, each timing
// itself in-process through the adapter's bench command (conformance/ADAPTERS.md).
//
// Invariants:
//  - Every implementation runs on the same generated files, at the same feed sizes,
//    in interleaved rounds (impl A, impl B, ..., then again), and the best round counts;
//    ratios are taken within one run only (to ssecheck and to the memchr limit measured
//    in the same rounds), because absolute speeds on a shared machine mean little.
//  - A row whose digest differs from ssecheck's (a fast but wrong result) is marked
//    WRONG and gets no ratio.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "adapter_process.h"
#include "check_runner.h"

namespace ssecheck::check {

struct BenchConfig {
  std::vector<ImplSpec> impls;
  std::vector<size_t> feeds = {16, 256, 1500, 16384, 65536};
  uint64_t bytes = uint64_t{4} << 20;         // size of each generated stream
  std::vector<uint64_t> scaling;              // time/byte at these sizes (64 KiB feeds); empty = off
  std::vector<std::string> dialects;          // empty = all four
  bool worst_cases = true;                    // long line in 16-byte feeds, 1M comments, 100k fragments
  int rounds = 3;
  std::string svg_path, json_path;
  AdapterLimits limits;
};

// Exit: 0 measured, 1 some implementation gave a wrong digest, 2 usage or I/O error.
int run_impl_bench(const BenchConfig& config, std::ostream& out, std::ostream& err);

}  // namespace ssecheck::check
