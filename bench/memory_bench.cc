// Memory flatness: a keep-alive-heavy stream generated on the fly (never held in
// memory) goes through EventStreamParser in 64 KiB blocks. Heap and RSS counters
// should not depend on the stream's size: compare the sizes of one run.
#include <algorithm>
#include <vector>

#include "bench_support.h"
#include "framers.h"

namespace ssecheck::bench {

namespace {

void run_memory(benchmark::State& st, uint64_t target_bytes) {
  StreamOptions o;
  o.seed = 99;
  o.profile = StreamProfile::keepalive;
  o.target_bytes = target_bytes;
  std::vector<char> block(64 * 1024);
  uint64_t bytes = 0, events = 0, largest_event = 0, feed_alloc_bytes = 0, feed_allocs = 0;
  uint64_t max_capacity = 0, capacity_at_1pct = 0, heap_peak_over_start = 0;
  bool rss_reset = false;
  uint64_t rss_peak = 0;
  drop_cached_inputs();  // earlier benchmarks' inputs would dominate the RSS peak
  for (auto _ : st) {
    StreamGenerator gen(o);
    OursFramer framer;
    rss_reset = reset_rss_peak();
    uint64_t heap_start = heap_stats().live_bytes;
    reset_heap_peak();
    feed_alloc_bytes = feed_allocs = max_capacity = capacity_at_1pct = 0;
    while (size_t n = gen.next_block(block)) {
      HeapStats before = heap_stats();
      framer.feed(std::string_view(block.data(), n));
      HeapStats after = heap_stats();
      feed_alloc_bytes += after.allocated_bytes - before.allocated_bytes;
      feed_allocs += after.allocations - before.allocations;
      size_t cap = framer.parser().buffer_capacity();
      max_capacity = std::max<uint64_t>(max_capacity, cap);
      if (capacity_at_1pct == 0 && gen.stats().bytes >= target_bytes / 100) capacity_at_1pct = max_capacity;
    }
    framer.finish();
    heap_peak_over_start = heap_stats().peak_live_bytes - heap_start;
    rss_peak = peak_rss_bytes();
    bytes = gen.stats().bytes;
    events = gen.stats().events;
    largest_event = gen.stats().largest_event;
    if (framer.events() != events || framer.comments() != gen.stats().comments) {
      st.SkipWithError("count mismatch between parser and generator");
      return;
    }
  }
  set_throughput(st, bytes, events);
  using benchmark::Counter;
  auto plain = [](uint64_t v) { return Counter(static_cast<double>(v), Counter::kDefaults, Counter::kIs1024); };
  st.counters["largest_event"] = plain(largest_event);
  st.counters["buffer_capacity_max"] = plain(max_capacity);
  st.counters["buffer_capacity_at_1pct"] = plain(capacity_at_1pct);
  if (heap_counting_enabled()) {
    st.counters["feed_alloc_bytes"] = plain(feed_alloc_bytes);
    st.counters["feed_allocs"] = plain(feed_allocs);
    st.counters["heap_peak_over_start"] = plain(heap_peak_over_start);
  }
  if (rss_reset) st.counters["peak_rss"] = plain(rss_peak);
  st.counters["rusage_maxrss"] = plain(rusage_maxrss_bytes());
}

}  // namespace

void register_memory(const Scale& scale) {
  for (uint64_t bytes : scale.keepalive_bytes) {
    add(scale, "memory/ours/keepalive_" + size_label(bytes) + "/feed:65536",
        [bytes](benchmark::State& st) { run_memory(st, bytes); });
  }
}

}  // namespace ssecheck::bench
