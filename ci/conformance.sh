#!/usr/bin/env bash
# The main job: installs what is missing, builds the release preset, and runs
# `ssecheck conform` over the repository's corpus (every cassette, every chunking).
# Extra arguments go to `ssecheck conform` (e.g. --corpus DIR --junit report.xml).
#
#   ci/conformance.sh --impl all|NAME[,NAME...] [check options...]
# instead runs the suite against the shipped adapters (conformance/adapters/adapters.txt)
# with `ssecheck check`, writing results/matrix.html, results/results.json and
# results/junit.xml, and comparing with conformance/expectations.json (CI fails only on
# a change). Node adapters are skipped with a note when node/npm are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/install-deps.sh

jobs=${SSECHECK_JOBS:-$(nproc)}
build=build/release
cmake --preset release >/dev/null
if [ "${1:-}" != "--impl" ]; then
  cmake --build --preset release -j "$jobs" --target ssecheck
  exec "$build/conformance/ssecheck" conform "$@"
fi

want=${2:?--impl needs all or a comma list of adapter names}
shift 2
cmake --build --preset release -j "$jobs" --target ssecheck ssecheck_adapter
have_node=1
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then have_node=0; fi
impls=()
while read -r name needs command; do
  case $name in ''|'#'*) continue ;; esac
  if [ "$want" != all ] && [[ ",$want," != *",$name,"* ]]; then continue; fi
  if [ "$needs" = node ]; then
    if [ $have_node -eq 0 ]; then
      echo "conformance: node/npm not found; skipping the $name adapter" >&2
      continue
    fi
    conformance/adapters/node/install.sh >&2
  fi
  impls+=(--impl "$name=${command//\{build\}/$build}")
done <conformance/adapters/adapters.txt
if [ ${#impls[@]} -eq 0 ]; then
  echo "conformance: no adapter matches --impl $want (see conformance/adapters/adapters.txt)" >&2
  exit 2
fi
mkdir -p results
expect=()
[ -f conformance/expectations.json ] && expect=(--expect conformance/expectations.json)
# Feed mode by default: conformance/expectations.json records the feed outcomes.
# Pass --modes feed,http for the replay server's cases too (chunkings, rewrites, faults).
modes=(--modes feed)
for a in "$@"; do case $a in --modes|--modes=*) modes=() ;; esac; done
exec "$build/conformance/ssecheck" check "${impls[@]}" "${expect[@]}" "${modes[@]}" \
  --html results/matrix.html --json results/results.json --junit results/junit.xml "$@"
