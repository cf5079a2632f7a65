#!/usr/bin/env bash
# The test command: installs what is missing, builds with ASan+UBSan, runs every test.
# Then the fuzz smoke run (clang + libFuzzer) and the benchmark smoke run.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/install-deps.sh
ci/install-deps.sh --optional || echo "test.sh: optional packages unavailable; continuing" >&2

jobs=${SSECHECK_JOBS:-$(nproc)}
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --preset asan

# Run through bash, so a lost run bit cannot turn a smoke run into a silent skip;
# a missing script fails here.
bash ci/fuzz-smoke.sh --ci
bash ci/bench-smoke.sh
