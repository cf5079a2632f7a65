#!/usr/bin/env bash
# Benchmark smoke run: every benchmark once at a tiny size, so none of them rots.
# Runs in the ASan build that ci/test.sh made (configures and builds it if absent),
# checks that no benchmark reported an error (assemble/* of every dialect included: each
# checks its result digest against the generator's), exercises the report scripts, and
# runs ssecheck_assemblefile on each dialect's generated stream, whose digest must be
# the generator's (the check bench/peers/run.sh makes against the SDKs).
# Usage: ci/bench-smoke.sh [BUILD_DIR]   (default build/asan). Takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/asan}
if [ ! -f "$build/build.ninja" ]; then
  if [ "$build" = build/asan ]; then cmake --preset asan >/dev/null
  else echo "bench-smoke: $build is not a configured build directory" >&2; exit 2; fi
fi
targets=(ssecheck_bench ssecheck_streamgen ssecheck_framefile ssecheck_assemblefile)
have_assemblefile=1
cmake --build "$build" -j "${SSECHECK_JOBS:-2}" --target "${targets[@]}"

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
assembled=$(grep -c '"name": "assemble/ours/' "$out/run.json" || true)
if [ "$assembled" -lt 12 ]; then
  echo "bench-smoke: expected assemble/ours/* for 4 dialects x 3 feeds, found $assembled" >&2
  exit 1
fi
bench/ratios.sh "$out/run.json" >"$out/ratios.txt"
SSECHECK_COMPARE_OWN=1 bench/compare.sh "$out/run.json" "$out/run.json" >"$out/compare.txt" 2>/dev/null
"$build/bench/ssecheck_streamgen" --seed 1 --size 256K --crlf -o "$out/stream.txt" 2>/dev/null
"$build/bench/ssecheck_framefile" "$out/stream.txt" --repeat 1 >/dev/null
tools="streamgen, framefile"
if [ "$have_assemblefile" = 1 ]; then
  for dialect in openai-chat openai-responses anthropic-messages gemini; do
    gen=$("$build/bench/ssecheck_streamgen" --dialect "$dialect" --seed 1 --size 256K -o "$out/$dialect.sse" 2>&1)
    want=$(sed -n 's/.* digest=\([0-9a-f]*\).*/\1/p' <<<"$gen")
    line=$("$build/bench/ssecheck_assemblefile" "$out/$dialect.sse" --dialect "$dialect" --feed 1500 --repeat 1) || {
      echo "bench-smoke: ssecheck_assemblefile failed on the $dialect stream: $line" >&2; exit 1; }
    got=$(sed -n 's/.*"digest":"\([0-9a-f]*\)".*/\1/p' <<<"$line")
    if [ -z "$want" ] || [ "$got" != "$want" ]; then
      echo "bench-smoke: $dialect: assembled digest '$got' is not the generator's '$want'" >&2
      exit 1
    fi
  done
  if "$build/bench/ssecheck_assemblefile" "$out/stream.txt" --dialect no-such-dialect >/dev/null 2>&1; then
    echo "bench-smoke: ssecheck_assemblefile accepted an unknown dialect" >&2; exit 1
  fi
  tools+=", assemblefile (4 dialects)"
fi
# `ssecheck bench --impl` on the shipped adapters at a tiny size, worst cases included:
# every row's digest must be ssecheck's, and the chart must draw a line per adapter.
# The node adapters join when they are installed (ci/fuzz-smoke.sh installs them).
cmake --build "$build" -j "${SSECHECK_JOBS:-2}" --target ssecheck ssecheck_adapter
impls=()
while read -r name needs command; do
  case $name in ''|'#'*) continue ;; esac
  if [ "$needs" = node ]; then
    case $name in eventsource-parser|openai-node) ;; *) continue ;; esac
    [ -d conformance/adapters/node/node_modules ] && command -v node >/dev/null || {
      echo "bench-smoke: SKIPPED bench --impl $name: the node adapters are not installed" >&2; continue; }
  fi
  impls+=(--impl "$name=${command//\{build\}/$build}")
done <conformance/adapters/adapters.txt
"$build/conformance/ssecheck" bench "${impls[@]}" --size 64K --rounds 1 --feeds 16,65536 \
  --svg "$out/impl.svg" --json "$out/impl.json" >"$out/impl.txt" 2>&1 || {
  cat "$out/impl.txt" >&2; echo "bench-smoke: ssecheck bench --impl failed" >&2; exit 1; }
python3 - "$out/impl.json" $((${#impls[@]} / 2)) <<'PY' || { cat "$out/impl.txt" >&2; exit 1; }
import json, sys
rows = json.load(open(sys.argv[1]))
names = {r["impl"] for r in rows}
bad = [r for r in rows if not r["digest_ok"]]
assert len(names) == int(sys.argv[2]), f"bench-smoke: {len(names)} adapters timed, {sys.argv[2]} asked"
assert not bad, f"bench-smoke: wrong digests: {bad}"
assert any(r["work"].startswith("framing/8MiB-line") for r in rows), "bench-smoke: no worst-case rows"
PY
lines=$(grep -c '<polyline' "$out/impl.svg" || true)
[ "$lines" -ge $((${#impls[@]} / 2)) ] || { echo "bench-smoke: the chart has $lines lines" >&2; exit 1; }
tools+=", bench --impl ($((${#impls[@]} / 2)) adapters)"
echo "bench-smoke: $count benchmarks ran without error; ratios.sh, compare.sh, $tools ok"
