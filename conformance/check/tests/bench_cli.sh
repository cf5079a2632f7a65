#!/usr/bin/env bash
# `ssecheck bench --impl` end to end, at a tiny size: ratios in the table, the SVG
# chart, and a wrong result marked WRONG with exit 1 (speed itself is never asserted).
# Usage: bench_cli.sh SSECHECK ADAPTER
set -euo pipefail
ssecheck=$1
adapter=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "bench_cli: $*" >&2; exit 1; }
common=(--size 256K --rounds 1 --feeds 16,65536 --no-worst-cases)

"$ssecheck" bench "${common[@]}" --impl "ssecheck=$adapter" --impl "sse=$adapter --framing" \
  --svg "$work/c.svg" --json "$work/b.json" >"$work/out" || fail "reference run failed: $(tail -5 "$work/out")"
grep -q 'x ssecheck' "$work/out" || fail "no ratio column"
for d in openai-chat openai-responses anthropic-messages gemini; do
  grep -q "^assemble/$d .* ssecheck .* 1.000 " "$work/out" || fail "no $d row"
done
grep -q '^framing/keepalive .* sse ' "$work/out" || fail "the framing adapter was not timed"
grep -c '<polyline' "$work/c.svg" | grep -qv '^0$' || fail "the chart has no lines"
python3 -c 'import json,sys; rows=json.load(open(sys.argv[1])); assert rows and all(r["digest_ok"] for r in rows)' "$work/b.json" \
  || fail "bad JSON rows"

set +e
"$ssecheck" bench "${common[@]}" --impl "ssecheck=$adapter" --impl "bad=$adapter --bug=split-utf8" >"$work/out"; rc=$?
set -e
[ $rc -eq 1 ] || fail "a wrong digest must exit 1, got $rc"
grep -q ' bad .*WRONG digest' "$work/out" || fail "the wrong row is not marked"
set +e
"$ssecheck" bench --impl "x=$adapter" --size 0 >/dev/null 2>&1; rc=$?
set -e
[ $rc -eq 2 ] || fail "--size 0 must exit 2"
echo "bench_cli: ok"
