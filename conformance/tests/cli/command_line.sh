#!/usr/bin/env bash
# One command line: plain paths everywhere, --opt=value everywhere, one number validator
# with one message and documented ranges (ssecheck and ssecheck_framefile), a top-level
# help built from the commands.
# usage: command_line.sh <ssecheck-binary> <corpus-dir>   (SSECHECK_FRAMEFILE: the tool)
set -uo pipefail
bin=$1
corpus=$2
framefile=${SSECHECK_FRAMEFILE:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

printf 'data: {"id":"c","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n' >"$tmp/ok.sse"

# 1. Numbers: every bad value is refused the same way: exit 2, nothing on stdout (no
#    help dump), one stderr line "CMD: --opt: expected an integer from MIN to MAX, got 'V'".
refuse() {  # refuse "CMD..." OPT MIN MAX VALUE [EXTRA ARGS]
  local cmd=$1 opt=$2 min=$3 max=$4 value=$5
  shift 5
  # shellcheck disable=SC2086
  $cmd "$opt" "$value" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  local who=${cmd##*/}
  [ "$rc" -eq 2 ] || fail "$who $opt $value: exit $rc, want 2"
  [ ! -s "$tmp/out" ] || fail "$who $opt $value: stdout not empty"
  [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$who $opt $value: want one stderr line, got: $(cat "$tmp/err")"
  grep -qF -- "$opt: expected an integer from $min to $max, got '$value'" "$tmp/err" ||
    fail "$who $opt $value: message: $(cat "$tmp/err")"
}
for v in 0 -5 abc 67108865 18446744073709551615 99999999999999999999 " 5" 5x 0x10 +5 ""; do
  refuse "$bin events" --chunk 1 67108864 "$v"
  refuse "$bin accumulate" --chunk 1 67108864 "$v"
done
for v in abc -1 1073741825; do
  refuse "$bin events" --max-line-bytes 1 1073741824 "$v"
  refuse "$bin events" --max-event-bytes 1 1073741824 "$v"
done
refuse "$bin cassette $corpus/cassettes/synthetic/refusal.yaml" --interaction 0 999999999 x
refuse "$bin conform" --random 0 4096 4097
refuse "$bin conform" --jobs 0 1024 -1
# The limits themselves are accepted.
"$bin" events --chunk 67108864 "$tmp/ok.sse" >/dev/null || fail "events --chunk 67108864 refused"
"$bin" events --chunk 1 "$tmp/ok.sse" >/dev/null || fail "events --chunk 1 refused"
"$bin" accumulate --chunk 67108864 "$tmp/ok.sse" >/dev/null || fail "accumulate --chunk 67108864 refused"
# The help documents the ranges.
"$bin" events --help | grep -qF -- '--chunk N' || fail "events --help: no --chunk"
"$bin" events --help | grep -qF '[1..67108864]' || fail "events --help: no range for --chunk"
"$bin" accumulate --help | grep -qF '[1..67108864]' || fail "accumulate --help: no range for --chunk"

# 2. --opt=value and --opt value give the same result, in every command.
"$bin" events --chunk 5 "$tmp/ok.sse" >"$tmp/a" || fail "events --chunk 5"
"$bin" events --chunk=5 "$tmp/ok.sse" >"$tmp/b" || fail "events --chunk=5 refused"
cmp -s "$tmp/a" "$tmp/b" || fail "events: --chunk=5 differs from --chunk 5"
"$bin" accumulate --chunk=3 --dialect=openai-chat --format=normalized "$tmp/ok.sse" >"$tmp/a" || fail "accumulate --opt=value"
"$bin" accumulate --chunk 3 --dialect openai-chat --format normalized "$tmp/ok.sse" >"$tmp/b" || fail "accumulate --opt value"
cmp -s "$tmp/a" "$tmp/b" || fail "accumulate: --opt=value differs from --opt value"
"$bin" cassette "$corpus/cassettes/synthetic/refusal.yaml" --interaction=0 --body >"$tmp/a" || fail "cassette --interaction=0"
[ -s "$tmp/a" ] || fail "cassette --interaction=0 --body printed nothing"

# 3. Plain paths: conform FILE and conform DIR, like every other command.
one="$corpus/cassettes/synthetic/refusal.yaml"
"$bin" conform "$one" --chunkings=splits --random=0 >"$tmp/out" 2>&1 || fail "conform FILE: exit $? $(tail -3 "$tmp/out")"
grep -q '^conform: 1 passed, 0 failed, 0 skipped$' "$tmp/out" || fail "conform FILE: $(tail -2 "$tmp/out")"
mkdir -p "$tmp/dir" && cp "$one" "$tmp/dir/"
"$bin" conform "$tmp/dir" --chunkings splits >"$tmp/out" 2>&1 || fail "conform DIR: exit $?"
"$bin" conform --corpus="$tmp/dir" --chunkings splits >/dev/null 2>&1 || fail "conform --corpus=DIR: exit $?"

# 4. Unknown options and choices: exit 2, one line naming them.
while IFS='|' read -r args named; do
  # shellcheck disable=SC2086
  "$bin" $args </dev/null >"$tmp/out" 2>"$tmp/err"
  rc=$?
  [ "$rc" -eq 2 ] || fail "'$args': exit $rc, want 2"
  [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "'$args': want one stderr line: $(cat "$tmp/err")"
  grep -qF -- "$named" "$tmp/err" || fail "'$args': the message does not name '$named': $(cat "$tmp/err")"
done <<'CASES'
events --bogus|--bogus
accumulate --bogus|--bogus
conform --bogus|--bogus
cassette --bogus x|--bogus
events --on-limit maybe|maybe
accumulate --dialect nope|nope
accumulate --format xml|xml
conform --chunkings bytes2|bytes2
events a b|b
CASES

# 5. The top-level help lists each command with the summary its own --help starts with.
"$bin" --help >"$tmp/help" || fail "--help exited $?"
for c in events accumulate conform cassette; do
  summary=$(sed -n "s/^  $c  *//p" "$tmp/help")
  [ -n "$summary" ] || fail "--help does not list $c"
  first=$("$bin" "$c" --help | head -1)
  [ "$summary" = "$first" ] || fail "$c: --help list says '$summary', '$c --help' starts '$first'"
done
for c in check repro fuzz; do
  grep -q "^  $c " "$tmp/help" || fail "--help does not list $c"
done
"$bin" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'Subcommands:' "$tmp/err" || fail "no command: want exit 2 and the help on stderr"
"$bin" frobnicate >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -qF "unknown command 'frobnicate'" "$tmp/err" || fail "unknown command: $(cat "$tmp/err")"

# 6. ssecheck_framefile: the same conventions.
if [ -n "$framefile" ]; then
  for v in 0 -1 abc 1073741825; do refuse "$framefile" --feed 1 1073741824 "$v" "$tmp/ok.sse"; done
  refuse "$framefile" --repeat 1 1000000 0 "$tmp/ok.sse"
  "$framefile" "$tmp/ok.sse" --bogus >"$tmp/out" 2>"$tmp/err"
  [ $? -eq 2 ] && grep -qF -- '--bogus' "$tmp/err" || fail "framefile --bogus: not refused: $(cat "$tmp/err")"
  "$framefile" --feed=7 --repeat 1 "$tmp/ok.sse" >"$tmp/out" || fail "framefile --feed=7: exit $?"
  grep -q '^{"impl":"ssecheck","bytes":[0-9]*,"events":2,' "$tmp/out" || fail "framefile: output $(cat "$tmp/out")"
  "$framefile" "$tmp/missing" >"$tmp/out" 2>"$tmp/err"
  [ $? -eq 2 ] && grep -qF "No such file or directory" "$tmp/err" || fail "framefile missing file: $(cat "$tmp/err")"
  "$framefile" --help | grep -qF '[1..1073741824]' || fail "framefile --help: no range for --feed"
else
  echo "command_line.sh: SSECHECK_FRAMEFILE not set; skipping ssecheck_framefile" >&2
fi

if [ "$failures" -ne 0 ]; then
  echo "command_line.sh: $failures failure(s)" >&2
  exit 1
fi
echo "command_line.sh: ok"
