#!/usr/bin/env bash
# ssecheck accumulate: exit codes, stdout always JSON, chunking-independent output.
# Usage: accumulate.sh <ssecheck-binary> <corpus-dir>
set -u
bin=$1
corpus=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# Runs accumulate on stdin $1 with the remaining args; sets rc, out, err files.
acc() {
  local input=$1
  shift
  "$bin" accumulate "$@" <"$input" >"$tmp/out" 2>"$tmp/err"
  rc=$?
}
# A JSON document: checked by jq when present, else by its first and last bytes.
is_json() {
  if command -v jq >/dev/null 2>&1; then
    jq -e . "$1" >/dev/null 2>&1
  else
    [ "$(head -c 1 "$1")" = "{" ] && [ "$(tail -c 2 "$1")" = "}"$'\n' ]
  fi
}
expect() {  # expect <what> <rc> : rc and a JSON stdout
  [ "$rc" -eq "$2" ] || fail "$1: exit $rc, expected $2 ($(head -c 200 "$tmp/err"))"
  is_json "$tmp/out" || fail "$1: stdout is not JSON"
}

# 1. Usage and I/O errors: exit 2, one line on stderr, nothing on stdout.
"$bin" accumulate --help >"$tmp/out" 2>&1 || fail "--help exited $?"
grep -q "Usage: ssecheck accumulate" "$tmp/out" || fail "--help text"
for args in "--bogus" "--chunk" "--chunk 0" "--chunk x" "--chunk 99999999999" "--chunk 67108865" "a b"; do
  # shellcheck disable=SC2086
  "$bin" accumulate $args </dev/null >"$tmp/out" 2>"$tmp/err"
  rc=$?
  [ "$rc" -eq 2 ] || fail "'$args': exit $rc, expected 2"
  [ ! -s "$tmp/out" ] || fail "'$args': stdout not empty"
  [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "'$args': expected one stderr line"
done
"$bin" accumulate "$tmp/does-not-exist" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] || fail "missing file: expected exit 2"
[ ! -s "$tmp/out" ] || fail "missing file: stdout not empty"

# 2. A clean stream: exit 0, also with --strict, from a file, stdin and '-'.
printf 'data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n' >"$tmp/ok.sse"
acc "$tmp/ok.sse"; expect "clean stream" 0
grep -q '"content": "Hi"' "$tmp/out" || fail "clean stream: content Hi not printed"
acc "$tmp/ok.sse" --strict; expect "clean stream --strict" 0
"$bin" accumulate "$tmp/ok.sse" >"$tmp/file.json" || fail "FILE argument exited $?"
"$bin" accumulate - <"$tmp/ok.sse" >"$tmp/dash.json" || fail "'-' exited $?"
cmp -s "$tmp/file.json" "$tmp/dash.json" || fail "FILE and - differ"

# 3. A deviation: exit 0 tolerant, 1 with --strict.
printf 'data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}\n\n' >"$tmp/nodone.sse"
acc "$tmp/nodone.sse"; expect "no [DONE]" 0
grep -q '"done_missing"' "$tmp/out" || fail "no [DONE]: done_missing not reported"
acc "$tmp/nodone.sse" --strict; expect "no [DONE] --strict" 1

# 4. Fatal input: exit 1, still JSON on stdout.
printf 'data: {"choices":[\n\n' >"$tmp/bad.sse"
acc "$tmp/bad.sse"; expect "invalid JSON" 1
grep -q '"invalid_json"' "$tmp/out" || fail "invalid JSON: code missing"
: >"$tmp/empty.sse"
acc "$tmp/empty.sse"; expect "empty input" 1
grep -q '"truncated"' "$tmp/out" || fail "empty input: truncated missing"
head -c 20000 /dev/urandom >"$tmp/noise.bin"
acc "$tmp/noise.bin"; expect "random bytes" 1
printf 'data: {"choices":[{"index":0,"delta":{"content":"\xff\xfe\x00\x01"}}]}\nevent: \xc3\n\n: \x80\n' >"$tmp/bytes.sse"
acc "$tmp/bytes.sse"; expect "invalid UTF-8 and control bytes" 1
printf 'data: %s\n\n' "$(head -c 3000 /dev/zero | tr '\0' '[')" >"$tmp/deep.sse"
acc "$tmp/deep.sse"; expect "deep JSON" 1
grep -q '"json_too_deep"' "$tmp/out" || fail "deep JSON: json_too_deep missing"
printf 'data: {"choices":[{"index":4000000000,"delta":{"content":"x"}}]}\n\n' >"$tmp/huge.sse"
acc "$tmp/huge.sse"; expect "huge index" 1
grep -q '"choice_index_out_of_range"' "$tmp/out" || fail "huge index: code missing"

# 5. The same JSON whatever the feed size, on every restored recording.
for cassette in "$corpus"/cassettes/*.yaml; do
  "$bin" cassette "$cassette" --interaction 0 --body >"$tmp/body.sse" 2>/dev/null || continue
  acc "$tmp/body.sse"; expect "$(basename "$cassette")" 0
  cp "$tmp/out" "$tmp/whole.json"
  for n in 1 7 4096; do
    acc "$tmp/body.sse" --chunk "$n"
    cmp -s "$tmp/out" "$tmp/whole.json" || fail "$(basename "$cassette"): --chunk $n differs"
  done
done

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "accumulate.sh: all checks passed"
