#!/usr/bin/env bash
# ssecheck events: output for a few spec inputs, chunking independence, exit codes.
# usage: events.sh <ssecheck-binary> <corpus-dir>
set -uo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# expect NAME EXPECTED_STDOUT INPUT_PRINTF_FORMAT [ARGS...]
expect() {
  local name=$1 want=$2 input=$3
  shift 3
  local got
  got=$(printf "$input" | "$bin" events "$@")
  local rc=$?
  [ "$rc" -eq 0 ] || fail "$name: exit $rc"
  [ "$got" = "$want" ] || fail "$name: got
$got
want
$want"
}

expect crlf-and-comment \
  '{"comment":" hi"}
{"event":"message","data":"a\nb","id":""}' \
  ': hi\r\ndata: a\r\ndata: b\r\n\r\n' --comments

expect type-id-retry \
  '{"retry":250}
{"event":"add","data":"x","id":"7"}
{"event":"message","data":"y","id":"7"}' \
  'event: add\nid: 7\nretry:250\ndata: x\n\ndata: y\n\n'

expect comments-hidden-by-default \
  '{"event":"message","data":"a","id":""}' \
  ': ping\ndata: a\n\n'

expect bom-and-invalid-utf8 \
  $'{"diagnostic":"invalid_utf8"}\n{"event":"message","data":"\xef\xbf\xbd\xef\xbf\xbd","id":""}' \
  '\xef\xbb\xbfdata: \xc0\x80\n\n' --diagnostics

expect escapes \
  '{"event":"message","data":"q\"\\\\ \u0000\t","id":""}' \
  'data: q"\\\\ \0\t\n\n'

expect seeded-id-and-incomplete \
  '{"event":"message","data":"a","id":"s1"}
{"diagnostic":"incomplete_event"}' \
  'data: a\n\ndata: b' --last-event-id s1 --diagnostics

# --chunk 1 and --chunk 3 give the same output as one read, from stdin and from a file.
input='\xef\xbb\xbf: c\r\nevent: e\rdata: 1\r\n\r\nid: 9\ndata: \xe2\x82\n\ndata: \xf0\x9f\x98\x80\r\r:\nretry: 5\ndata: tail'
printf "$input" > "$tmp/in.sse"
"$bin" events --comments --diagnostics "$tmp/in.sse" > "$tmp/whole" || fail "whole: exit $?"
[ "$(wc -l < "$tmp/whole")" -ge 8 ] || fail "whole: too few lines: $(cat "$tmp/whole")"
for chunk in 1 3; do
  "$bin" events --comments --diagnostics --chunk "$chunk" "$tmp/in.sse" > "$tmp/c$chunk" ||
    fail "chunk $chunk: exit $?"
  cmp -s "$tmp/whole" "$tmp/c$chunk" || fail "--chunk $chunk differs from whole"
done
printf "$input" | "$bin" events --comments --diagnostics --chunk 1 - > "$tmp/stdin"
cmp -s "$tmp/whole" "$tmp/stdin" || fail "stdin --chunk 1 differs from file"

# A missing file: exit 2, one line on stderr naming the file.
"$bin" events "$tmp/missing.sse" > "$tmp/out" 2> "$tmp/err"
rc=$?
[ "$rc" -eq 2 ] || fail "missing file: exit $rc, want 2"
[ "$(wc -l < "$tmp/err")" -eq 1 ] && grep -q 'missing.sse' "$tmp/err" ||
  fail "missing file: stderr: $(cat "$tmp/err")"

# A line over the limit: exit 1, an error line on stdout and a message on stderr.
printf 'data: ok\n\ndata: 0123456789\n\n' | "$bin" events --max-line-bytes 10 > "$tmp/out" 2> "$tmp/err"
rc=$?
[ "$rc" -eq 1 ] || fail "line limit: exit $rc, want 1"
[ "$(cat "$tmp/out")" = '{"event":"message","data":"ok","id":""}
{"error":"line_too_long"}' ] || fail "line limit: stdout: $(cat "$tmp/out")"
[ "$(wc -l < "$tmp/err")" -eq 1 ] && grep -q 'line_too_long' "$tmp/err" ||
  fail "line limit: stderr: $(cat "$tmp/err")"

# The same with --on-limit skip: the event is dropped, exit 0.
got=$(printf 'data: 0123456789\n\ndata: ok\n\n' | "$bin" events --max-line-bytes 10 --on-limit skip)
rc=$?
[ "$rc" -eq 0 ] && [ "$got" = '{"event":"message","data":"ok","id":""}' ] ||
  fail "skip: exit $rc, stdout $got"

# Usage errors exit 2; --help exits 0 and prints the usage.
"$bin" events --chunk 0 < /dev/null > /dev/null 2>&1
[ $? -eq 2 ] || fail "--chunk 0 should be a usage error"
"$bin" events --no-such-flag < /dev/null > /dev/null 2>&1
[ $? -eq 2 ] || fail "unknown flag should be a usage error"
"$bin" events --help | grep -q 'Usage: ssecheck events' || fail "--help"

if [ "$failures" -ne 0 ]; then
  echo "events.sh: $failures failure(s)" >&2
  exit 1
fi
echo "events.sh: ok"
