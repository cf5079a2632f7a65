#!/usr/bin/env bash
# Benchmark smoke run: every benchmark once at a tiny size, so none of them rots.
# Runs in the ASan build that ci/test.sh made (configures and builds it if absent),
# checks that no benchmark reported an error, and exercises the report scripts.
# Usage: ci/bench-smoke.sh [BUILD_DIR]   (default build/asan). Takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/asan}
if [ ! -f "$build/build.ninja" ]; then
  if [ "$build" = build/asan ]; then cmake --preset asan >/dev/null
  else echo "bench-smoke: $build is not a configured build directory" >&2; exit 2; fi
fi
cmake --build "$build" -j "${SSECHECK_JOBS:-2}" --target ssecheck_bench ssecheck_streamgen ssecheck_framefile

out=$(mktemp -d "${TMPDIR:-/tmp}/ssecheck_bench_smoke.XXXXXX")
trap 'rm -rf "$out"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
SSECHECK_BENCH_SCALE=smoke "$build/bench/ssecheck_bench" --benchmark_out="$out/run.json" \
  --benchmark_out_format=json >"$out/console.txt" 2>&1 || { cat "$out/console.txt" >&2; exit 1; }
if grep -q '"error_occurred": true' "$out/run.json"; then
  grep -A1 '"error_occurred": true' "$out/run.json" >&2
  echo "bench-smoke: a benchmark reported an error" >&2
  exit 1
fi
count=$(grep -c '"run_type": "iteration"' "$out/run.json")
bench/ratios.sh "$out/run.json" >"$out/ratios.txt"
SSECHECK_COMPARE_OWN=1 bench/compare.sh "$out/run.json" "$out/run.json" >"$out/compare.txt" 2>/dev/null
"$build/bench/ssecheck_streamgen" --seed 1 --size 256K --crlf -o "$out/stream.txt" 2>/dev/null
"$build/bench/ssecheck_framefile" "$out/stream.txt" --repeat 1 >/dev/null
echo "bench-smoke: $count benchmarks ran without error; ratios.sh, compare.sh, streamgen, framefile ok"
