#!/usr/bin/env bash
# Short libFuzzer run of every fuzz target (clang-14, ASan+UBSan; the `fuzz` preset).
# Each target starts from its seed corpus plus corpus/regressions/<target>/ with its
# dict and .options; new units go to a temp dir, nothing is written into the
# repository. Crash inputs are copied to $BUILD/fuzz-artifacts/.
#
# Two modes:
#   ci/fuzz-smoke.sh [SECONDS]   explore: random seed, SECONDS per target (default 60)
#   ci/fuzz-smoke.sh --ci        reproducible (what ci/test.sh runs): -seed=1, a fixed
#                                number of runs per target, seed files passed in sorted
#                                order, so a commit that passes here passes in CI too.
#                                About 10 s per target on 2 cores; a time cap only ever
#                                shortens a run.
# Then `ssecheck fuzz --impl` (differential fuzzing, 10 s or SECONDS per adapter) on
# the native adapters and on eventsource-parser when node and npm are there.
# Env:   SSECHECK_FUZZ_BUILD_DIR (default build/fuzz), SSECHECK_JOBS (build jobs),
#        SSECHECK_CLI_BUILD_DIR (where ssecheck is built, default build/asan),
#        SSECHECK_FUZZ_SEED (--ci seed, default 1), SSECHECK_FUZZ_RUNS_SCALE (--ci runs
#        multiplier, default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=explore
seconds=60
case "${1:-}" in
  --ci) mode=ci ;;
  '') ;;
  *[!0-9]*) echo "usage: ci/fuzz-smoke.sh [SECONDS] | --ci" >&2; exit 2 ;;
  *) seconds=$1 ;;
esac
build=${SSECHECK_FUZZ_BUILD_DIR:-build/fuzz}
cli=${SSECHECK_CLI_BUILD_DIR:-build/asan}
jobs=${SSECHECK_JOBS:-$(nproc)}
# shellcheck source=../fuzz/targets.sh
. fuzz/targets.sh
fuzz_load_targets
seed=${SSECHECK_FUZZ_SEED:-1}
# seconds of `ssecheck fuzz --impl` per adapter
if [ "$mode" = ci ]; then diff_seconds=10; else diff_seconds=$seconds; fi
scale=${SSECHECK_FUZZ_RUNS_SCALE:-1}

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
# --ci: also switch off ASLR where the kernel lets us. Comparisons of pointers feed
# addresses into libFuzzer's compare table, so randomised addresses make runs differ.
launcher=()
if [ "$mode" = ci ]; then
  if setarch "$(uname -m)" -R true 2>/dev/null; then
    launcher=(setarch "$(uname -m)" -R)
  else
    echo "fuzz-smoke: cannot switch off ASLR here; runs may differ slightly between machines" >&2
  fi
fi
failed=()
summary=()
for t in "${targets[@]}"; do
  mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
  # Seed files as one sorted list: libFuzzer reads directories in readdir order,
  # which differs between file systems; -seed_inputs keeps the order we give.
  seed_dirs=()
  for d in fuzz/corpus/"$t" corpus/regressions/"$t"; do [ -d "$d" ] && seed_dirs+=("$d"); done
  find "${seed_dirs[@]}" -type f | LC_ALL=C sort | paste -sd, | tr -d "\n" >"$work/$t/seeds"
  mapfile -t extra < <(options_flags "fuzz/$t.options")
  if [ "$mode" = ci ]; then
    runs=$(( $(fuzz_ci_runs "$t") * scale ))
    budget=(-seed="$seed" -runs="$runs" -reload=0 -max_total_time=120)
    echo "fuzz-smoke: $t, $runs runs, seed $seed"
  else
    budget=(-max_total_time="$seconds")
    echo "fuzz-smoke: $t for ${seconds}s"
  fi
  set +e
  "${launcher[@]}" "$build/fuzz/$t" "$work/$t/corpus" -seed_inputs=@"$work/$t/seeds" -dict="fuzz/$t.dict" "${extra[@]}" \
    "${budget[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
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
# The differential path, `ssecheck fuzz --impl`, on the shipped adapters (built in
# $cli, the ASan build ci/test.sh made): each native adapter against itself must give
# no finding; eventsource-parser (node) has a known bug (a second BOM is dropped), so
# it must give findings, and each must replay with `ssecheck repro --finding`, fail
# against it and pass against the reference adapter.
if [ ! -f "$cli/build.ninja" ]; then
  if [ "$cli" = build/asan ]; then cmake --preset asan >/dev/null
  else echo "fuzz-smoke: $cli is not a configured build directory" >&2; exit 2; fi
fi
cmake --build "$cli" --target ssecheck ssecheck_adapter -j "$jobs" >/dev/null
ssecheck=$cli/conformance/ssecheck
while read -r name needs command; do
  case $name in ''|'#'*) continue ;; esac
  command=${command//\{build\}/$cli}
  if [ "$needs" = node ]; then
    [ "$name" = eventsource-parser ] || continue
    if ! command -v node >/dev/null || ! command -v npm >/dev/null || ! conformance/adapters/node/install.sh >"$work/npm.log" 2>&1; then
      echo "fuzz-smoke: SKIPPED fuzz --impl $name: node/npm missing or the adapters did not install ($(tail -1 "$work/npm.log" 2>/dev/null))" >&2
      summary+=("$(printf '%-20s SKIPPED (node adapters not installed)' "fuzz --impl $name")")
      continue
    fi
  fi
  set +e
  "$ssecheck" fuzz --impl "$name=$command" --time "$diff_seconds" --seed "$seed" --findings "$work/diff-$name" -q \
    >"$work/diff-$name.log" 2>&1
  rc=$?
  set -e
  line=$(grep '^fuzz summary:' "$work/diff-$name.log" || true)
  summary+=("$(printf '%-20s %s' "fuzz --impl $name" "${line#fuzz summary: $name, }")")
  ok=1
  if [ -z "$line" ]; then ok=0
  elif [ "$needs" = native ]; then [ $rc -eq 0 ] || ok=0
  else
    [ $rc -eq 1 ] || ok=0
    for f in "$work/diff-$name"/*/finding.txt; do
      [ -f "$f" ] || { ok=0; break; }
      d=$(dirname "$f")
      set +e
      "$ssecheck" repro --finding "$d" --impl "$name=$command" >/dev/null 2>&1; r1=$?
      ref=$cli/conformance/adapters/ssecheck/ssecheck_adapter
      grep -q '"dialect":null' "$d/command.json" && ref+=" --framing"  # a framing finding
      "$ssecheck" repro --finding "$d" --impl "ref=$ref" >/dev/null 2>&1; r2=$?
      set -e
      if [ $r1 -ne 1 ] || [ $r2 -ne 0 ]; then
        echo "fuzz-smoke: finding $d does not replay (adapter rc $r1, reference rc $r2)" >&2; ok=0
      fi
    done
  fi
  if [ $ok -eq 0 ]; then
    failed+=("fuzz --impl $name")
    echo "fuzz-smoke: fuzz --impl $name gave an unexpected result (exit $rc); log tail:" >&2
    tail -20 "$work/diff-$name.log" >&2
    find "$work/diff-$name" -name finding.txt -exec cat {} + >&2 2>/dev/null || true
  fi
done <conformance/adapters/adapters.txt

printf '%s\n' "fuzz-smoke summary:" "${summary[@]}"
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz-smoke: failing targets: ${failed[*]}" >&2
  exit 1
fi
