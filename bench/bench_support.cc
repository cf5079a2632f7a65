#include "bench_support.h"

#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>

namespace ssecheck::bench {
namespace {

constexpr uint64_t KiB = 1024, MiB = KiB * KiB, GiB = MiB * KiB;
constexpr uint64_t kCacheBudget = 320 * MiB;

Scale make_scale(std::string_view name) {
  if (name == "smoke")
    return {"smoke", 256 * KiB, 256 * KiB, 2000, 2000, {64 * KiB, 256 * KiB, 1 * MiB},
            {1 * MiB, 4 * MiB}, true};
  if (name == "full")
    return {"full", 64 * MiB, 32 * MiB, 1000000, 100000, {1 * MiB, 16 * MiB, 256 * MiB},
            {16 * MiB, 1 * GiB}, false};
  return {"default", 8 * MiB, 32 * MiB, 1000000, 100000, {1 * MiB, 16 * MiB, 256 * MiB},
          {16 * MiB, 256 * MiB}, false};
}

struct CacheEntry {
  std::unique_ptr<Input> input;
};
std::map<std::string, CacheEntry>& cache() {
  static std::map<std::string, CacheEntry> c;
  return c;
}

const Input& cached(const std::string& key, uint64_t expected_bytes,
                    const std::function<void(Input&)>& make) {
  auto& c = cache();
  if (auto it = c.find(key); it != c.end()) return *it->second.input;
  uint64_t total = expected_bytes;
  for (const auto& [k, e] : c) total += e.input->bytes.size();
  if (total > kCacheBudget) c.clear();  // benchmarks run in order: old inputs are done with
  auto input = std::make_unique<Input>();
  make(*input);
  return *c.emplace(key, CacheEntry{std::move(input)}).first->second.input;
}

}  // namespace

Scale scale_from(int* argc, char** argv) {
  std::string name = "default";
  if (const char* env = std::getenv("SSECHECK_BENCH_SCALE"); env != nullptr && *env != '\0') name = env;
  int out = 1;
  for (int i = 1; i < *argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.starts_with("--scale=")) {
      name = std::string(arg.substr(8));
    } else {
      argv[out++] = argv[i];
    }
  }
  *argc = out;
  if (name != "smoke" && name != "default" && name != "full") {
    std::fprintf(stderr, "ssecheck_bench: unknown scale '%s' (smoke|default|full)\n", name.c_str());
    std::exit(2);
  }
  return make_scale(name);
}

const Input& cached_input(const StreamOptions& o) {
  std::string key = "gen/" + std::string(wire_name(o.wire)) + "/" + std::to_string(o.seed) + "/" +
                    std::to_string(static_cast<int>(o.profile)) +
                    "/" + std::to_string(o.target_bytes) + "/" + std::to_string(o.count) +
                    (o.crlf ? "/crlf" : "/lf");
  return cached(key, o.target_bytes, [&](Input& in) { in.bytes = generate_stream(o, &in.stats); });
}

const Input& cached_long_line(size_t data_bytes) {
  return cached("long/" + std::to_string(data_bytes), data_bytes, [&](Input& in) {
    in.bytes = long_data_line_stream(data_bytes, false);
    in.stats.bytes = in.bytes.size();
    in.stats.events = 1;
    in.stats.largest_event = in.bytes.size();
  });
}

void drop_cached_inputs() { cache().clear(); }

std::string size_label(uint64_t bytes) {
  const char* unit = "B";
  double v = static_cast<double>(bytes);
  if (bytes >= GiB && bytes % (GiB / 4) == 0) {
    v /= GiB;
    unit = "GiB";
  } else if (bytes >= MiB && bytes % (MiB / 4) == 0) {
    v /= MiB;
    unit = "MiB";
  } else if (bytes >= KiB && bytes % (KiB / 4) == 0) {
    v /= KiB;
    unit = "KiB";
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g%s", v, unit);
  return buf;
}

void set_throughput(benchmark::State& state, uint64_t bytes, uint64_t events, bool ns_per_byte) {
  using benchmark::Counter;
  state.SetBytesProcessed(static_cast<int64_t>(bytes) * state.iterations());
  if (events != 0) {
    state.counters["events/s"] = Counter(static_cast<double>(events), Counter::kIsIterationInvariantRate);
    state.counters["time/event"] =
        Counter(static_cast<double>(events), Counter::kIsIterationInvariantRate | Counter::kInvert);
  }
  if (ns_per_byte) {
    state.counters["time/byte"] =
        Counter(static_cast<double>(bytes), Counter::kIsIterationInvariantRate | Counter::kInvert);
  }
}

void add(const Scale& scale, const std::string& name, std::function<void(benchmark::State&)> fn) {
  auto* b = benchmark::RegisterBenchmark(name.c_str(), [fn](benchmark::State& st) { fn(st); });
  b->Unit(benchmark::kMillisecond);  // CPU time: the machine may be shared
  if (scale.one_iteration) b->Iterations(1);
}

bool reset_rss_peak() {
  std::FILE* f = std::fopen("/proc/self/clear_refs", "w");
  if (f == nullptr) return false;
  bool ok = std::fputs("5", f) >= 0;
  return std::fclose(f) == 0 && ok;
}

uint64_t peak_rss_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmHWM:")) return std::strtoull(line.c_str() + 6, nullptr, 10) * KiB;
  }
  return 0;
}

uint64_t rusage_maxrss_bytes() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return static_cast<uint64_t>(usage.ru_maxrss) * KiB;
}

}  // namespace ssecheck::bench
