#!/usr/bin/env bash
# The fuzz replay driver (the default build's fuzz targets) says it is one, that it does
# not fuzz, and how to build the fuzzers that do; the commands it names exist.
# usage: replay.sh <ssecheck-binary> <corpus-dir>
#   SSECHECK_REPLAY_PROBE: fuzz/replay_main.cc linked with an empty target
#   SSECHECK_SOURCE_DIR:   the repository
set -uo pipefail
probe=${SSECHECK_REPLAY_PROBE:?set SSECHECK_REPLAY_PROBE}
src=${SSECHECK_SOURCE_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
has() { grep -qF -- "$2" "$1" || fail "$3: stderr lacks '$2': $(cat "$1")"; }

# 1. The libFuzzer way of calling it, with no corpus: exit 1, and an explanation.
"$probe" -runs=100 >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 1 ] || fail "-runs=100: exit $rc, want 1 (no inputs)"
has "$tmp/err" "is a replay build (no libFuzzer): it runs each input file once and does not fuzz" "-runs=100"
has "$tmp/err" "ignored libFuzzer options: -runs=100" "-runs=100"
has "$tmp/err" "cmake --preset fuzz && cmake --build --preset fuzz" "-runs=100"
has "$tmp/err" "ci/fuzz-smoke.sh" "-runs=100"

# 2. With inputs: they run, and the closing line still says it was a replay.
mkdir -p "$tmp/corpus/sub"
printf a >"$tmp/corpus/one"
printf b >"$tmp/corpus/sub/two"
printf c >"$tmp/corpus/.gitkeep"
"$probe" "$tmp/corpus" >"$tmp/out" 2>"$tmp/err" || fail "with inputs: exit $?"
has "$tmp/err" "replay: 2 inputs ran once each (replay build, no fuzzing)" "with inputs"
grep -q 'ignored' "$tmp/err" && fail "with inputs and no options: an 'ignored' line"
"$probe" -max_total_time=5 "$tmp/corpus" >"$tmp/out" 2>"$tmp/err" || fail "options and inputs: exit $?"
has "$tmp/err" "ignored libFuzzer options: -max_total_time=5" "options and inputs"
"$probe" "$tmp/missing" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] || fail "missing input: want exit 2"

# 3. What it recommends exists.
grep -q '"name": "fuzz"' "$src/CMakePresets.json" || fail "CMakePresets.json has no fuzz preset"
[ -x "$src/ci/fuzz-smoke.sh" ] || [ -f "$src/ci/fuzz-smoke.sh" ] || fail "ci/fuzz-smoke.sh is missing"

if [ "$failures" -ne 0 ]; then
  echo "replay.sh: $failures failure(s)" >&2
  exit 1
fi
echo "replay.sh: ok"
