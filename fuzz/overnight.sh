#!/usr/bin/env bash
# Long fuzzing run of every target (clang-14 libFuzzer, ASan+UBSan).
# The night is cut into rounds; in each round every target fuzzes for its slice with
# -fork=JOBS, then its corpus is merged (-merge=1) into a minimised one, and every
# new crash is minimised (-minimize_crash=1) into corpus/regressions/<target>/, where
# the ctest replay picks it up. State lives in fuzz/work/ (gitignored) and carries
# over between nights. A summary per target closes the run.
#
# Usage: fuzz/overnight.sh [HOURS]   (default 8)
# Env:   SSECHECK_FUZZ_BUILD_DIR (default build/fuzz), SSECHECK_FUZZ_JOBS (default nproc),
#        SSECHECK_FUZZ_ROUND_MINUTES (default 60), SSECHECK_FUZZ_TARGETS (space-separated)
set -euo pipefail
cd "$(dirname "$0")/.."
hours=${1:-8}
build=${SSECHECK_FUZZ_BUILD_DIR:-build/fuzz}
jobs=${SSECHECK_FUZZ_JOBS:-$(nproc)}
round_minutes=${SSECHECK_FUZZ_ROUND_MINUTES:-60}
. fuzz/targets.sh
read -r -a targets <<<"${SSECHECK_FUZZ_TARGETS:-$(fuzz_targets | tr '\n' ' ')}"
work=fuzz/work

if [ "$build" = build/fuzz ]; then
  cmake --preset fuzz >/dev/null
fi
cmake --build "$build" --target fuzzers -j "$jobs"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

options_flags() { sed -n '/^\[libfuzzer\]/,/^\[/{/=/p}' "$1" | tr -d ' ' | sed 's/^/-/'; }

total_seconds=$(awk -v h="$hours" 'BEGIN { printf "%d", h * 3600 }')
round_seconds=$((round_minutes * 60))
[ "$round_seconds" -gt "$total_seconds" ] && round_seconds=$total_seconds
rounds=$(( (total_seconds + round_seconds - 1) / round_seconds ))
slice=$(( round_seconds / ${#targets[@]} ))
[ "$slice" -lt 10 ] && slice=10
echo "overnight: ${hours}h = $rounds round(s) x ${#targets[@]} target(s) x ${slice}s, fork=$jobs"

for t in "${targets[@]}"; do
  mkdir -p "$work/$t/corpus" "$work/$t/artifacts" "$work/$t/logs" "corpus/regressions/$t"
  if [ -z "$(ls -A "$work/$t/corpus")" ]; then cp fuzz/corpus/"$t"/* "$work/$t/corpus/"; fi
  : >"$work/$t/crashes.txt"  # this run's new crashes
  touch "$work/$t/seen.txt"   # every artifact ever minimised (work/ carries over nights)
done

minimise_crashes() {
  local t=$1 crash name
  for crash in "$work/$t/artifacts"/crash-* "$work/$t/artifacts"/timeout-* "$work/$t/artifacts"/oom-*; do
    [ -f "$crash" ] || continue
    name=$(basename "$crash")
    grep -qxF "$name" "$work/$t/seen.txt" && continue
    echo "$name" >>"$work/$t/seen.txt"
    echo "$name" >>"$work/$t/crashes.txt"
    echo "overnight: $t: minimising $name"
    "$build/fuzz/$t" "$crash" -minimize_crash=1 -runs=20000 -max_total_time=120 \
      -exact_artifact_path="corpus/regressions/$t/$name-min" >"$work/$t/logs/minimise-$name.log" 2>&1 || true
    # No smaller input found: keep the original.
    [ -f "corpus/regressions/$t/$name-min" ] || cp "$crash" "corpus/regressions/$t/$name"
  done
}

for ((round = 1; round <= rounds; round++)); do
  for t in "${targets[@]}"; do
    log="$work/$t/logs/round-$round.log"
    echo "overnight: round $round/$rounds: $t for ${slice}s"
    mapfile -t extra < <(options_flags "fuzz/$t.options")
    "$build/fuzz/$t" "$work/$t/corpus" "corpus/regressions/$t" -dict="fuzz/$t.dict" "${extra[@]}" \
      -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -use_value_profile=1 \
      -max_total_time="$slice" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$work/$t/artifacts/" >"$log" 2>&1 || true
    # Merge into a fresh minimised corpus, then swap it in.
    rm -rf "$work/$t/merged" && mkdir -p "$work/$t/merged"
    if "$build/fuzz/$t" -merge=1 "$work/$t/merged" "$work/$t/corpus" "${extra[@]}" \
        >"$work/$t/logs/merge-$round.log" 2>&1; then
      rm -rf "$work/$t/corpus" && mv "$work/$t/merged" "$work/$t/corpus"
    fi
    minimise_crashes "$t"
  done
done

echo
echo "overnight summary ($hours h, fork=$jobs):"
printf '%-20s %10s %8s %8s %8s %8s\n' target "exec/s" cov ft corpus crashes  # exec/s, cov, ft: last round
for t in "${targets[@]}"; do
  last=$(grep -hE '^#[0-9]+: cov: ' "$work/$t/logs/round-$rounds.log" 2>/dev/null | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  # Average over the last slice: executions / seconds (libFuzzer prints "#N: ... time: Ts").
  eps=$(sed -n 's/^#\([0-9]*\):.* time: \([0-9]*\)s.*/\1 \2/p' <<<"$last" | awk '$2 > 0 { printf "%d", $1 / $2 }')
  files=$(find "$work/$t/corpus" -type f | wc -l)
  printf '%-20s %10s %8s %8s %8s %8s\n' "$t" "${eps:-?}" "${cov:-?}" "${ft:-?}" "$files" "$(wc -l <"$work/$t/crashes.txt")"
done
echo "crash reproducers (minimised): corpus/regressions/<target>/; replay with ctest."
