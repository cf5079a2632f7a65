#!/usr/bin/env bash
# Times ssecheck beside the JavaScript peers on the same generated files, in one run:
#  - assembly, per dialect: ssecheck_assemblefile (parser -> dialect -> report) against
#    the provider's official SDK stream accumulator (openai-node responses.stream() and
#    chat.completions.stream(), @anthropic-ai/sdk messages.stream(), @google/genai
#    generateContentStream()), fed the file through the SDK's own `fetch` option;
#  - framing: ssecheck_framefile against the npm package eventsource-parser;
#  - whole process: `ssecheck accumulate FILE` against node + eventsource-parser +
#    JSON.parse (eventsource_parser_json.mjs), start-up and all.
#   bench/peers/run.sh BUILD_DIR [SIZE=16M] [FEED=65536]
# BUILD_DIR holds bench/ssecheck_streamgen, ssecheck_assemblefile, ssecheck_framefile (a
# Release build, e.g. build/release). Environment: PEER_ROUNDS (3) interleaved rounds
# of PEER_REPEAT (2) timed runs each, the best of all kept; PEER_DIALECTS (all four).
# Each stream is the dialect's generated agent stream (seed 42), shaped like the
# recordings: reasoning, text, tool-call fragments, keep-alives and idle stretches.
# A peer that assembles a different result (digest, see bench/result_digest.h) is an
# error: exit 1. Installs bench/peers/node_modules from package-lock.json on first use
# (npm ci, from the npm registry). Exits 0 with a note when node/npm is missing.
set -euo pipefail
usage() { echo "usage: bench/peers/run.sh BUILD_DIR [SIZE=16M] [FEED=65536]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 3 ] || usage
build=$1
size=${2:-16M}
feed=${3:-65536}
rounds=${PEER_ROUNDS:-3}
repeat=${PEER_REPEAT:-2}
dialects=${PEER_DIALECTS:-openai-chat openai-responses anthropic-messages gemini}
[[ $size =~ ^[0-9]+[KMG]?$ ]] || { echo "peers: SIZE must be like 16M, not '$size'" >&2; usage; }
[[ $feed =~ ^[1-9][0-9]*$ ]] || { echo "peers: FEED must be a positive integer, not '$feed'" >&2; usage; }
[[ $rounds =~ ^[1-9][0-9]*$ && $repeat =~ ^[1-9][0-9]*$ ]] || { echo "peers: PEER_ROUNDS/PEER_REPEAT must be positive integers" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
for tool in ssecheck_streamgen ssecheck_assemblefile ssecheck_framefile; do
  [ -x "$build/bench/$tool" ] || { echo "peers: $build/bench/$tool not found (ninja -C $build $tool)" >&2; exit 2; }
done
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "peers: node/npm not found; skipped (install Node.js 20 or later to compare with the SDKs)" >&2
  exit 0
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "peers: Node.js $(node --version) is older than 20; skipped" >&2
  exit 0
fi
for pkg in eventsource-parser openai @anthropic-ai/sdk @google/genai; do
  if [ ! -f "$here/node_modules/$pkg/package.json" ]; then
    echo "peers: installing the pinned peers (npm ci) into bench/peers/node_modules" >&2
    (cd "$here" && npm ci --no-audit --no-fund --silent) || { echo "peers: npm ci failed; skipped" >&2; exit 0; }
    break
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/ssecheck_peers.XXXXXX")
trap 'rm -rf "$work"' EXIT
field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" <<<"$2"; }
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 > a + 0) ? b : a }'; }
failed=0
rows=()

for dialect in $dialects; do
  case $dialect in
    openai-chat) peer=openai_chat.mjs ;;
    openai-responses) peer=openai_responses.mjs ;;
    anthropic-messages) peer=anthropic_messages.mjs ;;
    gemini) peer=gemini.mjs ;;
    *) echo "peers: unknown dialect '$dialect' in PEER_DIALECTS" >&2; exit 2 ;;
  esac
  file="$work/$dialect.sse"
  gen=$("$build/bench/ssecheck_streamgen" --dialect "$dialect" --seed 42 --size "$size" -o "$file" 2>&1)
  want=$(sed -n 's/.* digest=\([0-9a-f]*\).*/\1/p' <<<"$gen")
  ours_best="" peer_best="" impl=""
  for ((r = 1; r <= rounds; r++)); do
    ours=$("$build/bench/ssecheck_assemblefile" "$file" --dialect "$dialect" --feed "$feed" --repeat "$repeat") || {
      echo "peers: $dialect: ssecheck reported a fatal diagnostic: $ours" >&2; failed=1; break; }
    theirs=$(node "$here/$peer" "$file" "$feed" "$repeat") || { echo "peers: $dialect: $peer failed" >&2; failed=1; break; }
    if [ "$r" = 1 ]; then echo "$ours"; echo "$theirs"; fi
    if [ "$(field digest "$ours")" != "$want" ]; then
      echo "peers: $dialect: ssecheck's digest $(field digest "$ours") is not the generator's $want" >&2
      failed=1
    fi
    if [ "$(field digest "$theirs")" != "$(field digest "$ours")" ]; then
      echo "peers: $dialect: the SDK assembled a different text or tool calls (digest $(field digest "$theirs") vs ours $(field digest "$ours"))" >&2
      failed=1
    fi
    # openai-node's chat helper keeps only the last reasoning_content delta: not compared.
    if [ "$dialect" != openai-chat ] && [ "$(field reasoning_digest "$theirs")" != "$(field reasoning_digest "$ours")" ]; then
      echo "peers: $dialect: the SDK assembled different reasoning (reasoning_digest $(field reasoning_digest "$theirs") vs ours $(field reasoning_digest "$ours"))" >&2
      failed=1
    fi
    ours_best=$(best "$ours_best" "$(field mib_per_s "$ours")")
    peer_best=$(best "$peer_best" "$(field mib_per_s "$theirs")")
    impl=$(field impl "$theirs")
  done
  [ -n "$ours_best" ] && [ -n "$peer_best" ] && rows+=("$dialect|$(stat -c %s "$file")|$ours_best|$peer_best|$impl")
done

# Framing alone, as before: the openai-chat agent stream through both event-stream parsers.
file="$work/framing.sse"
"$build/bench/ssecheck_streamgen" --seed 42 --size "$size" -o "$file" 2>/dev/null
ours_best="" peer_best="" events_ok=1
for ((r = 1; r <= rounds; r++)); do
  ours=$("$build/bench/ssecheck_framefile" "$file" --feed "$feed" --repeat "$repeat")
  theirs=$(node "$here/eventsource_parser.mjs" "$file" "$feed" "$repeat")
  [ "$(field events "$ours")" = "$(field events "$theirs")" ] || events_ok=0
  ours_best=$(best "$ours_best" "$(field mib_per_s "$ours")")
  peer_best=$(best "$peer_best" "$(field mib_per_s "$theirs")")
done
if [ "$events_ok" = 0 ]; then echo "peers: framing: event counts differ" >&2; failed=1; fi
rows+=("framing (openai-chat stream)|$(stat -c %s "$file")|$ours_best|$peer_best|eventsource-parser $(node -p "require('$here/node_modules/eventsource-parser/package.json').version")")

# Whole process, start-up included: `ssecheck accumulate FILE` against a plain Node
# client (eventsource-parser + JSON.parse, eventsource_parser_json.mjs), on the
# openai-chat stream; both must join the same text.
if [ -x "$build/conformance/ssecheck" ]; then
  ours_best="" peer_best="" bytes=$(stat -c %s "$file")
  mib_per_s() { awk -v b="$bytes" -v ns="$1" 'BEGIN { print b / (ns / 1e9) / 1048576 }'; }
  for ((r = 1; r <= rounds * repeat; r++)); do
    t0=$(date +%s%N)
    "$build/conformance/ssecheck" accumulate "$file" --dialect openai-chat --format normalized --compact >"$work/ours.json"
    t1=$(date +%s%N)
    theirs=$(node "$here/eventsource_parser_json.mjs" "$file" "$feed")
    t2=$(date +%s%N)
    ours_best=$(best "$ours_best" "$(mib_per_s $((t1 - t0)))")
    peer_best=$(best "$peer_best" "$(mib_per_s $((t2 - t1)))")
  done
  ours_text=$(node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(Buffer.byteLength(r.outputs[0].text))' "$work/ours.json")
  if [ "$ours_text" != "$(field text_bytes "$theirs")" ]; then
    echo "peers: whole process: the Node client joined $(field text_bytes "$theirs") bytes of text, ssecheck $ours_text" >&2
    failed=1
  fi
  rows+=("whole process (ssecheck accumulate)|$bytes|$ours_best|$peer_best|node + eventsource-parser + JSON.parse")
else
  echo "peers: $build/conformance/ssecheck not found: no whole-process row" >&2
fi

echo
echo "feed $feed bytes; best of $rounds interleaved rounds x $repeat runs; ratio = ssecheck MiB/s / peer MiB/s"
printf '%-30s %10s %12s %10s %8s  %s\n' dialect bytes "ours MiB/s" "peer MiB/s" ratio peer
for row in "${rows[@]}"; do
  IFS='|' read -r name bytes a b impl <<<"$row"
  awk -v n="$name" -v y="$bytes" -v a="$a" -v b="$b" -v i="$impl" \
    'BEGIN { printf "%-30s %10d %12.1f %10.1f %7.1fx  %s\n", n, y, a, b, (b > 0 ? a / b : 0), i }'
done
if [ "$failed" != 0 ]; then
  echo "peers: FAILED: a peer disagreed with ssecheck (see above)" >&2
  exit 1
fi
