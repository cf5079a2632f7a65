// The timed loop shared by framing, worst-case and linearity benchmarks.
#pragma once

#include <memory>
#include <string>

#include "bench_support.h"
#include "framers.h"

namespace ssecheck::bench {

// Feeds input in pieces of `feed` bytes per iteration; checks the framer's counts
// against the generator's, then reports bytes/s, events/s, ns/event (and ns/byte).
template <Framer F, class Make>
void run_framing(benchmark::State& st, const Input& input, size_t feed, Make make, bool ns_per_byte = false) {
  std::unique_ptr<F> framer = make();
  for (auto _ : st) {
    framer->reset();
    feed_in_pieces(*framer, input.bytes, feed);
    framer->finish();
    benchmark::DoNotOptimize(framer->events());
  }
  if constexpr (!std::is_same_v<F, MemchrLimit>) {
    if (framer->events() != input.stats.events || framer->comments() != input.stats.comments) {
      std::string msg = "count mismatch: events " + std::to_string(framer->events()) + " want " +
                        std::to_string(input.stats.events) + ", comments " + std::to_string(framer->comments()) +
                        " want " + std::to_string(input.stats.comments);
      st.SkipWithError(msg.c_str());
      return;
    }
  }
  set_throughput(st, input.bytes.size(), input.stats.events, ns_per_byte);
}

}  // namespace ssecheck::bench
