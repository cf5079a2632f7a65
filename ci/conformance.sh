#!/usr/bin/env bash
# The main job: installs what is missing, builds the release preset, and runs
# `ssecheck conform` over the repository's corpus (every cassette, every chunking).
# Extra arguments go to `ssecheck conform` (e.g. --corpus DIR --junit report.xml).
set -euo pipefail
cd "$(dirname "$0")/.."
ci/install-deps.sh

jobs=${SSECHECK_JOBS:-$(nproc)}
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs" --target ssecheck
exec build/release/conformance/ssecheck conform "$@"
