#!/usr/bin/env bash
# Line coverage of parser/ reached by the fuzz corpora. Builds the replay binaries with
# clang source-based coverage (the `coverage` preset), runs each over its seed corpus,
# corpus/regressions/<target>/ and, when present, the overnight corpus in fuzz/work/,
# then prints llvm-cov's per-file report for parser/ and the total line coverage.
#
# Usage: ci/fuzz-coverage.sh [--html DIR]
# Env:   SSECHECK_COVERAGE_BUILD_DIR (default build/coverage), SSECHECK_JOBS
set -euo pipefail
cd "$(dirname "$0")/.."
build=${SSECHECK_COVERAGE_BUILD_DIR:-build/coverage}
jobs=${SSECHECK_JOBS:-$(nproc)}
html=""
if [ "${1:-}" = "--html" ]; then html=${2:?--html needs a directory}; fi
. fuzz/targets.sh
fuzz_load_targets

tool() {
  for candidate in "$1-14" "/usr/lib/llvm-14/bin/$1" "$1"; do
    if command -v "$candidate" >/dev/null; then echo "$candidate"; return; fi
  done
  echo "fuzz-coverage: $1 not found (apt-get install llvm-14)" >&2
  exit 2
}
profdata=$(tool llvm-profdata)
cov=$(tool llvm-cov)

if [ "$build" = build/coverage ]; then
  cmake --preset coverage >/dev/null
else
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++-14 \
    -DSSECHECK_COVERAGE=ON -DSSECHECK_BUILD_TESTS=OFF -DSSECHECK_BUILD_BENCH=OFF >/dev/null
fi
cmake --build "$build" --target fuzzers -j "$jobs"

profiles=$(mktemp -d)
trap 'rm -rf "$profiles"' EXIT
objects=()
for t in "${targets[@]}"; do
  inputs=("fuzz/corpus/$t")
  [ -d "corpus/regressions/$t" ] && inputs+=("corpus/regressions/$t")
  [ -d "fuzz/work/$t/corpus" ] && inputs+=("fuzz/work/$t/corpus")
  LLVM_PROFILE_FILE="$profiles/$t-%p.profraw" "$build/fuzz/$t" "${inputs[@]}" 2>&1 | tail -1
  objects+=(-object "$build/fuzz/$t")
done
"$profdata" merge -sparse "$profiles"/*.profraw -o "$profiles/all.profdata"

# The first binary is positional, the rest come with -object.
args=("${objects[@]:1}" -instr-profile="$profiles/all.profdata")
"$cov" report "$build/fuzz/${targets[0]}" "${args[@]}" parser/
total=$("$cov" report "$build/fuzz/${targets[0]}" "${args[@]}" parser/ | awk '/^TOTAL/ { print $(NF-3) }')
echo "fuzz-coverage: parser/ line coverage: $total"
if [ -n "$html" ]; then
  "$cov" show "$build/fuzz/${targets[0]}" "${args[@]}" -format=html -output-dir="$html" parser/
  echo "fuzz-coverage: HTML report in $html"
fi
