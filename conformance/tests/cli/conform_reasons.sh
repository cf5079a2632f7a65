#!/usr/bin/env bash
# ssecheck conform: a failure says why, the same text on the console, in the JUnit
# <failure> and in the JSON; codes are counted with their severity; skipped results are
# marked skipped (not passed). Expected facts are worked out by hand from the bodies
# written below (offsets with wc -c), not taken from the program.
# usage: conform_reasons.sh <ssecheck-binary> <corpus-dir>
set -uo pipefail
bin=$1
corpus=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
contains() { grep -qF -- "$2" "$1"; }  # contains FILE TEXT

# A cassette with one text/event-stream interaction: cassette DIR NAME BODYFILE
cassette() {
  {
    printf -- '---\nversion: 2\ninteractions:\n- id: 0\n  request:\n    body: "{}"\n'
    printf '    url: https://api.openai.com/v1/chat/completions\n    method: POST\n'
    printf '  response:\n    body: |+\n'
    sed 's/^/      /' "$3"
    printf '    headers:\n      Content-Type:\n      - text/event-stream\n    code: 200\n'
  } >"$1/cassettes/$2.yaml"
}
mkdir -p "$tmp/c/cassettes" "$tmp/kc/cassettes"
chunk() {  # chunk ID CONTENT
  printf 'data: {"id":"%s","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"%s"},"finish_reason":null}]}\n\n' "$1" "$2"
}

# 1. No finish_reason and no [DONE], and the id changes three times (a -> b -> c -> d):
#    fatal `truncated` after the 4 events, at the end of the body; `id_changed` x3.
{ chunk a 1; chunk b 2; chunk c 3; chunk d 4; } >"$tmp/fatal.sse"
cassette "$tmp/c" fatal "$tmp/fatal.sse"
fatal_len=$(wc -c <"$tmp/fatal.sse")

# 2. A clean stream whose golden is then edited: a golden diff.
{ chunk g Hello; printf 'data: {"id":"g","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n'; } >"$tmp/golden.sse"
cassette "$tmp/c" golden "$tmp/golden.sse"
"$bin" conform "$tmp/c/cassettes/golden.yaml" --update-golden >/dev/null 2>&1 || fail "update-golden exited $?"
# A single cassette's root is its folder: the golden went to cassettes/golden/golden/;
# the corpus run below looks for it under golden/golden/ (cassettes/ stripped).
mkdir -p "$tmp/c/golden/golden"
mv "$tmp/c/cassettes/golden/golden/interaction-0.json" "$tmp/c/golden/golden/" || fail "no golden written"
rm -rf "$tmp/c/cassettes/golden/"
golden="$tmp/c/golden/golden/interaction-0.json"
grep -q '"text": "Hello"' "$golden" || fail "golden: no \"text\": \"Hello\" line in $golden"
sed -i 's/"text": "Hello"/"text": "Hallo"/' "$golden"

# 3. Not an event stream: skipped with its reason.
cat >"$tmp/c/cassettes/plain.yaml" <<'EOF'
---
version: 2
interactions:
- id: 0
  request:
    body: "{}"
    url: https://api.openai.com/v1/chat/completions
    method: POST
  response:
    body: '{"object":"chat.completion"}'
    headers:
      Content-Type:
      - application/json
    code: 200
EOF

"$bin" conform "$tmp/c" --junit "$tmp/r.xml" --json "$tmp/r.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 1 ] || fail "exit $rc, want 1 (checks failed)"

# The fatal diagnostic: code, event index, byte offset and message, in all three.
want_fatal="fatal diagnostic (no golden expects it): truncated at event 4, byte $fatal_len: "
contains "$tmp/out" "$want_fatal" || fail "console: no '$want_fatal'
$(cat "$tmp/out")"
contains "$tmp/r.xml" "<failure message=\"$want_fatal" || fail "junit: failure message lacks '$want_fatal'"
contains "$tmp/r.json" "\"reason\":\"$want_fatal" || fail "json: reason lacks '$want_fatal'"
# Codes counted with their severity, not listed one by one.
contains "$tmp/out" "id_changed ×3 (deviation)" || fail "console: no 'id_changed ×3 (deviation)'"
contains "$tmp/r.xml" "id_changed ×3 (deviation)" || fail "junit: no 'id_changed ×3 (deviation)'"
[ "$(grep -c 'id_changed id_changed' "$tmp/out")" -eq 0 ] || fail "console: codes listed, not counted"
contains "$tmp/r.json" '{"code":"id_changed","severity":"deviation","count":3}' || fail "json: id_changed count/severity"
contains "$tmp/r.json" "\"first_fatal\":{\"code\":\"truncated\",\"severity\":\"fatal\",\"event\":4,\"offset\":$fatal_len," ||
  fail "json: first_fatal"

# The golden diff: which check, which golden, and the differing line both ways.
want_golden="golden diff: the whole-body report differs from $tmp/c/golden/golden/interaction-0.json: line "
contains "$tmp/out" "$want_golden" || fail "console: no '$want_golden'"
contains "$tmp/out" 'expected `        "text": "Hallo",`, got `        "text": "Hello",`' || fail "console: differing line"
contains "$tmp/out" '-        "text": "Hallo",' || fail "console: the diff's - line"
contains "$tmp/r.xml" "<failure message=\"$want_golden" || fail "junit: golden failure message"
contains "$tmp/r.xml" 'type="golden diff"' || fail "junit: failure type"
contains "$tmp/r.json" "\"reason\":\"$want_golden" || fail "json: golden reason"
contains "$tmp/r.json" '"failed_checks":["golden diff"]' || fail "json: failed_checks"

# The skipped one: outcome skipped with the reason; JUnit <skipped message=...>.
contains "$tmp/r.json" "\"name\":\"$tmp/c/cassettes/plain.yaml#0\",\"cassette\":\"$tmp/c/cassettes/plain.yaml\"" ||
  fail "json: plain.yaml#0 entry"
grep -o '"name":"[^"]*plain.yaml#0"[^}]*"outcome":"[a-z]*"' "$tmp/r.json" | grep -q '"outcome":"skipped"' ||
  fail "json: the skipped interaction's outcome is not skipped"
grep -q '"passed":true' "$tmp/r.json" && fail "json: a per-result \"passed\":true is back"
contains "$tmp/r.xml" '<skipped message="not a stream: Content-Type application/json (a plain JSON response)"/>' ||
  fail "junit: <skipped message=...>"

# A chunking disagreement (forced on one named chunking: the parser has none to show):
# the check, the chunking's name and where the reports differ.
{ chunk k Hi; printf 'data: {"id":"k","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n'; } >"$tmp/k.sse"
cassette "$tmp/kc" k "$tmp/k.sse"
"$bin" conform "$tmp/kc" --chunkings splits --test-fault-chunking split@7 --junit "$tmp/k.xml" --json "$tmp/k.json" \
  >"$tmp/kout" 2>&1
rc=$?
[ "$rc" -eq 1 ] || fail "chunking: exit $rc, want 1"
want_split='chunking disagreement: splits split@7 differs from the whole body: line 2: '
contains "$tmp/kout" "$want_split" || fail "console: no '$want_split'
$(cat "$tmp/kout")"
contains "$tmp/k.xml" "<failure message=\"$want_split" || fail "junit: chunking failure message"
contains "$tmp/k.json" "\"first_disagreement\":{\"kind\":\"splits\",\"chunking\":\"split@7\"," || fail "json: first_disagreement"
# The body has n bytes, so splits makes n-1 chunkings, one of which disagrees.
k_len=$(wc -c <"$tmp/k.sse")
contains "$tmp/kout" "disagreement: splits: 1 of $((k_len - 1)) chunkings differ, first split@7" ||
  fail "console: the count of disagreeing chunkings"
: "$corpus"  # not used: the corpora here are made above

if [ "$failures" -ne 0 ]; then
  echo "conform_reasons.sh: $failures failure(s)" >&2
  exit 1
fi
echo "conform_reasons.sh: ok"
