// ssecheck_bench: registers every benchmark for the chosen scale, then runs
// Google Benchmark as usual. Extra flag: --scale=smoke|default|full
// (or SSECHECK_BENCH_SCALE). See bench/README.md.
#include "bench_support.h"

int main(int argc, char** argv) {
  using namespace ssecheck::bench;
  Scale scale = scale_from(&argc, argv);
  benchmark::AddCustomContext("ssecheck_scale", scale.name);
  benchmark::AddCustomContext("ssecheck_heap_counting", heap_counting_enabled() ? "on" : "off");
  register_framing(scale);
  register_accumulate(scale);
  register_assemble(scale);
  register_worst_cases(scale);
  register_memory(scale);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
