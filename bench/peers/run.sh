#!/usr/bin/env bash
# Times the npm package eventsource-parser beside ssecheck on the same generated file.
#   bench/peers/run.sh BUILD_DIR [SIZE=64M] [FEED=65536]
# BUILD_DIR holds bench/ssecheck_streamgen and bench/ssecheck_framefile (a Release
# build, e.g. build/release). Installs the peer into bench/peers/node_modules on first
# use (gitignored). Exits 0 with a note when node or npm is missing.
set -euo pipefail
build=${1:?usage: bench/peers/run.sh BUILD_DIR [SIZE] [FEED]}
size=${2:-64M}
feed=${3:-65536}
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "peers: node/npm not found; skipped" >&2
  exit 0
fi
if [ ! -d "$here/node_modules/eventsource-parser" ]; then
  (cd "$here" && npm install --no-audit --no-fund --silent) || { echo "peers: npm install failed; skipped" >&2; exit 0; }
fi
file=$(mktemp "${TMPDIR:-/tmp}/ssecheck_peer.XXXXXX")
trap 'rm -f "$file"' EXIT
"$build/bench/ssecheck_streamgen" --seed 42 --size "$size" -o "$file"
ours=$("$build/bench/ssecheck_framefile" "$file" --feed "$feed" --repeat 5)
peer=$(node "$here/eventsource_parser.mjs" "$file" "$feed" 5)
echo "$ours"
echo "$peer"
mib() { sed -n 's/.*"mib_per_s":\([0-9.]*\).*/\1/p' <<<"$1"; }
evt() { sed -n 's/.*"events":\([0-9]*\).*/\1/p' <<<"$1"; }
[ "$(evt "$ours")" = "$(evt "$peer")" ] || echo "peers: WARNING: event counts differ" >&2
awk -v a="$(mib "$ours")" -v b="$(mib "$peer")" 'BEGIN { printf "ssecheck / eventsource-parser throughput: %.2fx\n", a / b }'
