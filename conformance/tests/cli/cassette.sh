#!/usr/bin/env bash
# ssecheck cassette: listing, byte-exact --body, and exit codes.
# Usage: cassette.sh <ssecheck-binary> <corpus-dir>
set -u
bin=$1
corpus=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# Response body number $2 (from 1) of damaged seed $1, straight from its text:
# drop each line's number, take the lines after "body: |+" up to "headers:",
# less the first body line's indentation.
seed_body() {
  awk -v want="$2" '
    { sub(/^ */, ""); $0 = substr($0, length(NR "") + 1) }
    /^ *body: \|\+$/ { n++; if (n == want) { on = 1; indent = -1; next } }
    on && /^ *headers:$/ { exit }
    on {
      if ($0 == "") { print ""; next }
      if (indent < 0) { match($0, /^ */); indent = RLENGTH }
      print substr($0, indent + 1)
    }' "$1"
}

# 1. Listing a restored cassette.
ola="$corpus/cassettes/xai-grok-code-fast-ola-streaming.yaml"
"$bin" cassette "$ola" >"$tmp/list" 2>"$tmp/err" || fail "listing exited $?"
[ "$(wc -l <"$tmp/list")" -eq 2 ] || fail "listing: expected a header and 1 row"
grep -q $'^0\t0\tPOST\t200\tevent-stream\t' "$tmp/list" || fail "listing row: $(cat "$tmp/list")"
grep -q 'https://api.x.ai/v1/chat/completions' "$tmp/list" || fail "listing: url missing"

two="$corpus/cassettes/xai-grok-4-fast-reasoning-tools-empty-deltas-streaming.yaml"
"$bin" cassette "$two" >"$tmp/list2" || fail "listing two exited $?"
[ "$(grep -c $'\tevent-stream\t' "$tmp/list2")" -eq 2 ] || fail "listing two: expected 2 rows"

# 2. --body is byte-exact against the seed text.
seed_body "$corpus"/seeds/001_*.txt 1 >"$tmp/expected001"
"$bin" cassette "$ola" --body >"$tmp/got001" || fail "--body exited $?"
cmp "$tmp/expected001" "$tmp/got001" || fail "--body differs from seed 001"
"$bin" cassette --interaction 0 --body "$ola" >"$tmp/got001b" || fail "--interaction 0 --body exited $?"
cmp "$tmp/expected001" "$tmp/got001b" || fail "--interaction 0 --body differs"

seed_body "$corpus"/seeds/003_*.txt 2 >"$tmp/expected003"
"$bin" cassette "$two" --interaction 1 --body >"$tmp/got003" || fail "--interaction 1 exited $?"
cmp "$tmp/expected003" "$tmp/got003" || fail "interaction 1 body differs from seed 003"
tail -c 14 "$tmp/got003" | grep -q 'data: \[DONE\]' || fail "interaction 1 body does not end with [DONE]"

# 3. A CRLF body keeps its CR bytes.
crlf="$corpus/cassettes/synthetic/crlf-line-endings.yaml"
"$bin" cassette "$crlf" --body >"$tmp/crlf" || fail "crlf --body exited $?"
[ "$(tr -cd '\r' <"$tmp/crlf" | wc -c)" -eq 12 ] || fail "crlf body: expected 12 CR bytes"

# 4. Errors: exit 2 and one line on stderr.
expect_error() {
  local what=$1
  shift
  "$bin" cassette "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ "$rc" -eq 2 ] || fail "$what: exit $rc, expected 2"
  [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$what: expected one stderr line, got: $(cat "$tmp/err")"
  [ ! -s "$tmp/out" ] || fail "$what: wrote to stdout"
}
expect_error "missing file" "$tmp/does-not-exist.yaml"
expect_error "bad index" "$ola" --interaction 1 --body
expect_error "bad index (listing)" "$ola" --interaction 7
expect_error "not a number" "$ola" --interaction x
expect_error "no file"
expect_error "unknown option" "$ola" --frobnicate
expect_error "damaged seed is not YAML" "$corpus"/seeds/000_*.txt
grep -q 'cassette_yaml_invalid' "$tmp/err" || fail "damaged seed: code missing from: $(cat "$tmp/err")"

# 5. "-" reads the cassette from stdin: the same body bytes, errors named <stdin>.
"$bin" cassette - --body <"$ola" >"$tmp/got001s" || fail "stdin --body exited $?"
cmp "$tmp/expected001" "$tmp/got001s" || fail "stdin --body differs from seed 001"
"$bin" cassette - <"$corpus"/seeds/000_*.txt >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] || fail "stdin damaged seed: expected exit 2"
grep -q '^ssecheck cassette: <stdin>:.*cassette_yaml_invalid' "$tmp/err" || fail "stdin error line: $(cat "$tmp/err")"

"$bin" cassette --help >/dev/null || fail "--help exited $?"

[ "$failures" -eq 0 ] && echo "cassette.sh: all passed"
[ "$failures" -eq 0 ]
