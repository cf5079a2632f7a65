#!/usr/bin/env bash
# Short libFuzzer run of every fuzz target (clang-14, ASan+UBSan; the `fuzz` preset).
# Each target runs for SECONDS with its dict and .options over a temp copy of its
# seed corpus (plus corpus/regressions/<target>/, read-only); nothing is written into
# the repository. Crash inputs are copied to $BUILD/fuzz-artifacts/.
#
# Usage: ci/fuzz-smoke.sh [SECONDS]   (default 60)
# Env:   SSECHECK_FUZZ_BUILD_DIR (default build/fuzz), SSECHECK_JOBS (build jobs)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=${SSECHECK_FUZZ_BUILD_DIR:-build/fuzz}
jobs=${SSECHECK_JOBS:-$(nproc)}
targets=(sse_parser_fuzzer sse_split_fuzzer accumulator_fuzzer cassette_fuzzer)

if ! command -v clang++-14 >/dev/null; then
  echo "fuzz-smoke: clang++-14 not found (ci/install-deps.sh installs it)" >&2
  exit 2
fi
if [ "$build" = build/fuzz ]; then
  cmake --preset fuzz >/dev/null
else
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
    -DSSECHECK_SANITIZE=ON -DSSECHECK_LIBFUZZER=ON -DSSECHECK_BUILD_TESTS=OFF -DSSECHECK_BUILD_BENCH=OFF >/dev/null
fi
cmake --build "$build" --target fuzzers -j "$jobs"

# -key=value flags from a target's .options file ([libfuzzer] section).
options_flags() {
  sed -n '/^\[libfuzzer\]/,/^\[/{/=/p}' "$1" | tr -d ' ' | sed 's/^/-/'
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
summary=()
for t in "${targets[@]}"; do
  mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
  cp fuzz/corpus/"$t"/* "$work/$t/corpus/" 2>/dev/null || true
  regressions=()
  if [ -d "corpus/regressions/$t" ]; then regressions=("corpus/regressions/$t"); fi
  echo "fuzz-smoke: $t for ${seconds}s"
  mapfile -t extra < <(options_flags "fuzz/$t.options")
  set +e
  "$build/fuzz/$t" "$work/$t/corpus" "${regressions[@]}" -dict="fuzz/$t.dict" "${extra[@]}" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/$t/artifacts/" >"$work/$t/log" 2>&1
  rc=$?
  set -e
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$work/$t/log" | tail -1 || true)
  eps=$(sed -n 's/^stat::average_exec_per_sec:[[:space:]]*//p' "$work/$t/log")
  cov=$(sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\) corp: \([^ ]*\).*/cov \1 ft \2 corp \3/p' <<<"$done_line")
  summary+=("$(printf '%-20s exec/s %-7s %s' "$t" "${eps:-?}" "${cov:-(no DONE line)}")")
  if [ $rc -ne 0 ]; then
    failed+=("$t")
    echo "fuzz-smoke: $t FAILED (exit $rc); log tail:" >&2
    tail -40 "$work/$t/log" >&2
    mkdir -p "$build/fuzz-artifacts"
    cp "$work/$t/artifacts/"* "$build/fuzz-artifacts/" 2>/dev/null || true
    echo "fuzz-smoke: reproducer(s) copied to $build/fuzz-artifacts/" >&2
  fi
done
printf '%s\n' "fuzz-smoke summary:" "${summary[@]}"
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz-smoke: failing targets: ${failed[*]}" >&2
  exit 1
fi
