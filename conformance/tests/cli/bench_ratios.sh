#!/usr/bin/env bash
# bench/ratios.sh names the reference rows a run lacks (instead of silent "-" columns),
# and bench/README.md explains Google Benchmark's DEBUG warning.
# usage: bench_ratios.sh <ssecheck-binary> <corpus-dir>   (SSECHECK_SOURCE_DIR: the repository)
set -uo pipefail
src=${SSECHECK_SOURCE_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# A run as Google Benchmark's JSONReporter writes it: row NAME BYTES_PER_SECOND
row() {
  printf '    {\n      "name": "%s",\n      "run_type": "iteration",\n      "real_time": 1.0e+03,\n' "$1"
  printf '      "time_unit": "ns",\n      "bytes_per_second": %s\n    }' "$2"
}
run() {  # run FILE NAME=BPS...
  local out=$1 sep=""
  shift
  { printf '{\n  "context": {\n    "library_build_type": "debug"\n  },\n  "benchmarks": [\n'
    for nb in "$@"; do printf '%s' "$sep"; row "${nb%=*}" "${nb#*=}"; sep=$',\n'; done
    printf '\n  ]\n}\n'; } >"$out"
}

# 1. All three rows: ours at 2 MiB/s, memchr 4 MiB/s, naive 1 MiB/s -> 0.500 and 2.00.
run "$tmp/all.json" framing/ours/x/feed:4096=2097152 framing/memchr/x/feed:4096=4194304 framing/naive/x/feed:4096=1048576
bash "$src/bench/ratios.sh" "$tmp/all.json" >"$tmp/out" 2>"$tmp/err" || fail "all rows: exit $?"
grep -q '^framing/ours/x/feed:4096  *2\.0 .* 0\.500  *2\.00$' "$tmp/out" || fail "all rows: ratios: $(cat "$tmp/out")"
[ ! -s "$tmp/err" ] || fail "all rows: unexpected note: $(cat "$tmp/err")"

# 2. A filter that kept only ours and memchr: x naive is "-", and the note says which row.
run "$tmp/part.json" framing/ours/x/feed:4096=2097152 accumulate/ours/x/feed:4096=1048576 framing/memchr/x/feed:4096=4194304
bash "$src/bench/ratios.sh" "$tmp/part.json" >"$tmp/out" 2>"$tmp/err" || fail "part: exit $?"
grep -q '^framing/ours/x/feed:4096  *2\.0 .* 0\.500  *-$' "$tmp/out" || fail "part: ratios: $(cat "$tmp/out")"
grep -qF 'reference row(s) are not in this run' "$tmp/err" || fail "part: no note: $(cat "$tmp/err")"
grep -qF 'framing/naive/x/feed:4096' "$tmp/err" || fail "part: the note does not name framing/naive/x/feed:4096"
grep -qF 'accumulate/naive/x/feed:4096 (or framing/naive/x/feed:4096)' "$tmp/err" ||
  fail "part: the accumulate row's references are not named: $(cat "$tmp/err")"
grep -q 'memchr/x' "$tmp/err" && fail "part: memchr named missing, but it is there"

# 3. Only ours: both references named.
run "$tmp/ours.json" framing/ours/x/feed:4096=2097152
bash "$src/bench/ratios.sh" "$tmp/ours.json" >"$tmp/out" 2>"$tmp/err" || fail "ours only: exit $?"
grep -qF 'framing/memchr/x/feed:4096' "$tmp/err" && grep -qF 'framing/naive/x/feed:4096' "$tmp/err" ||
  fail "ours only: note: $(cat "$tmp/err")"

# 4. The DEBUG warning is explained where the benchmarks are documented.
grep -qF 'Library was built as DEBUG' "$src/bench/README.md" || fail "bench/README.md does not explain the DEBUG warning"
grep -qF 'NDEBUG' "$src/bench/README.md" || fail "bench/README.md: the explanation does not say why (NDEBUG)"

if [ "$failures" -ne 0 ]; then
  echo "bench_ratios.sh: $failures failure(s)" >&2
  exit 1
fi
echo "bench_ratios.sh: ok"
