// Shared benchmark plumbing: run scale, cached generated inputs, counters,
// heap and RSS measurement.
//
// Invariants:
//  - Every benchmark of one run that names the same input gets the same bytes.
//  - Benchmarks never assert speed; they fail (SkipWithError) only when an
//    implementation's output disagrees with the generator's own counts.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "stream_generator.h"

namespace ssecheck::bench {

struct Scale {
  std::string name;               // smoke | default | full
  uint64_t stream_bytes;          // realistic agent stream used by framing/accumulate
  uint64_t long_line_bytes;       // worst case: one data line fed a byte at a time
  uint64_t comment_lines;         // worst case: comment lines only
  uint64_t tool_fragments;        // worst case: one tool call in this many fragments
  std::vector<uint64_t> linearity_bytes;
  std::vector<uint64_t> keepalive_bytes;  // memory flatness, generated on the fly
  bool one_iteration;             // smoke: run every benchmark exactly once
};

// From --scale=NAME (removed from argv) or SSECHECK_BENCH_SCALE; default "default".
Scale scale_from(int* argc, char** argv);

constexpr size_t kFeedSizes[] = {1, 16, 1500, 16 * 1024, 64 * 1024};

struct Input {
  std::string bytes;
  StreamStats stats;
};

// Generated once per run and cached; large inputs evict older ones.
const Input& cached_input(const StreamOptions& options);
const Input& cached_long_line(size_t data_bytes);
void drop_cached_inputs();  // before measuring RSS

std::string size_label(uint64_t bytes);  // 1536 -> "1.5KiB", 1048576 -> "1MiB"

// One iteration's work as bytes/s, events/s and time/event (and time/byte when asked).
// time/* are in seconds (the console shows them with SI prefixes: "95.2ns").
void set_throughput(benchmark::State& state, uint64_t bytes, uint64_t events, bool ns_per_byte = false);

template <class F>
void feed_in_pieces(F& framer, std::string_view bytes, size_t feed) {
  for (size_t pos = 0; pos < bytes.size(); pos += feed) framer.feed(bytes.substr(pos, feed));
}

// Registers fn under name, honouring the scale (smoke: one iteration).
void add(const Scale& scale, const std::string& name, std::function<void(benchmark::State&)> fn);

// Heap accounting from the bench binary's operator new/delete (alloc_counter.cc).
struct HeapStats {
  uint64_t allocations = 0;
  uint64_t allocated_bytes = 0;  // cumulative
  uint64_t live_bytes = 0;
  uint64_t peak_live_bytes = 0;
};
bool heap_counting_enabled();  // false in sanitizer builds (their allocator owns new/delete)
HeapStats heap_stats();
void reset_heap_peak();  // peak_live_bytes = live_bytes

// Peak resident set: reset_rss_peak() writes /proc/self/clear_refs when allowed.
bool reset_rss_peak();
uint64_t peak_rss_bytes();     // VmHWM from /proc/self/status, 0 if unavailable
uint64_t rusage_maxrss_bytes();  // getrusage(RUSAGE_SELF).ru_maxrss (never reset)

void register_framing(const Scale& scale);
void register_worst_cases(const Scale& scale);
void register_memory(const Scale& scale);
void register_accumulate(const Scale& scale);
void register_assemble(const Scale& scale);

}  // namespace ssecheck::bench
