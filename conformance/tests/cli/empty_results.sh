#!/usr/bin/env bash
# Say when nothing happened: an input with no event (empty, binary) or whose every event
# --on-limit skip dropped exits 0 with nothing on stdout and a note on stderr.
# usage: empty_results.sh <ssecheck-binary> <corpus-dir>
set -uo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# note WHAT WANT_STDERR_TEXT ARGS...: exit 0, empty stdout, one note line naming WANT.
note() {
  local what=$1 want=$2
  shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ "$rc" -eq 0 ] || fail "$what: exit $rc, want 0"
  [ ! -s "$tmp/out" ] || fail "$what: stdout not empty: $(head -c 200 "$tmp/out")"
  [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$what: want one stderr line, got: $(cat "$tmp/err")"
  grep -qF -- "$want" "$tmp/err" || fail "$what: stderr lacks '$want': $(cat "$tmp/err")"
}

: >"$tmp/empty.sse"
note "empty file" "ssecheck events: note: $tmp/empty.sse is empty: no events" "$bin" events "$tmp/empty.sse"
note "empty stdin" "note: standard input is empty: no events" "$bin" events - </dev/null
# 12 bytes, no line ending at all: no field line, no event.
printf '\177ELF\002\001\001\000\000\000\377\376' >"$tmp/binary.bin"
note "binary file" "note: no events in 12 bytes of $tmp/binary.bin" "$bin" events "$tmp/binary.bin"
# Comments only: counted in the note.
printf ': ping\n: ping\n\n' >"$tmp/comments.sse"
note "comments only" "note: no events in 15 bytes of $tmp/comments.sse (2 comment(s), 0 retry field(s))" \
  "$bin" events "$tmp/comments.sse"
# Every event over the line limit and skipped (2 x 18 bytes): the note says input was
# dropped, and why.
printf 'data: 0123456789\n\ndata: abcdefghij\n\n' >"$tmp/long.sse"
"$bin" events --max-line-bytes 5 --on-limit skip "$tmp/long.sse" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 0 ] || fail "skip all: exit $rc, want 0"
[ ! -s "$tmp/out" ] || fail "skip all: stdout not empty"
grep -qF -- "note: --on-limit skip dropped input over a limit (line_too_long ×2)" "$tmp/err" ||
  fail "skip all: no note of the dropped input: $(cat "$tmp/err")"
grep -qF -- "note: no events in 36 bytes" "$tmp/err" || fail "skip all: no note of no events: $(cat "$tmp/err")"
# Some dropped, some kept: the kept one is printed, the note still says what was dropped.
printf 'data: 0123456789\n\ndata: ok\n\n' >"$tmp/some.sse"
"$bin" events --max-line-bytes 10 --on-limit skip "$tmp/some.sse" >"$tmp/out" 2>"$tmp/err" || fail "skip some: exit $?"
[ "$(cat "$tmp/out")" = '{"event":"message","data":"ok","id":""}' ] || fail "skip some: stdout $(cat "$tmp/out")"
grep -qF -- "(line_too_long ×1)" "$tmp/err" || fail "skip some: no note: $(cat "$tmp/err")"
# A normal stream: no note at all.
printf 'data: x\n\n' | "$bin" events >/dev/null 2>"$tmp/err" || fail "normal: exit $?"
[ ! -s "$tmp/err" ] || fail "normal: unexpected stderr: $(cat "$tmp/err")"
# accumulate: the report is still printed (stdout is always JSON), and a note says no events.
"$bin" accumulate "$tmp/empty.sse" >"$tmp/out" 2>"$tmp/err"
grep -qF "ssecheck accumulate: note: no events in 0 bytes of $tmp/empty.sse" "$tmp/err" ||
  fail "accumulate empty: no note: $(cat "$tmp/err")"
[ -s "$tmp/out" ] || fail "accumulate empty: no report on stdout"

if [ "$failures" -ne 0 ]; then
  echo "empty_results.sh: $failures failure(s)" >&2
  exit 1
fi
echo "empty_results.sh: ok"
