#!/usr/bin/env bash
# One exit-code table for every command, as README.md states it:
#   0 pass, 1 a check failed, 2 usage, I/O or cassette (input) error.
# usage: exit_codes.sh <ssecheck-binary> <corpus-dir>   (SSECHECK_SOURCE_DIR: the repository)
set -uo pipefail
bin=$1
corpus=$2
src=${SSECHECK_SOURCE_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

expect() {  # expect WANT WHAT ARGS...   (stdin from /dev/null unless ARGS redirect)
  local want=$1 what=$2
  shift 2
  "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ "$rc" -eq "$want" ] || fail "$what: exit $rc, want $want ($(head -c 300 "$tmp/err"))"
}

ok='data: {"id":"c","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n'
printf "$ok" >"$tmp/ok.sse"
printf 'data: {"id":"c","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}\n\n' >"$tmp/truncated.sse"
printf 'data: 0123456789\n\n' >"$tmp/long.sse"
printf '"\\\000"\n' >"$tmp/nul.yaml"   # a YAML string: backslash, NUL, quote

# ssecheck (no command)
expect 0 "--help" "$bin" --help
expect 2 "no command" "$bin"
expect 2 "unknown command" "$bin" nope

# events: 1 = a limit was exceeded (--on-limit stop)
expect 0 "events ok" "$bin" events "$tmp/ok.sse"
expect 1 "events limit" "$bin" events --max-line-bytes 5 "$tmp/long.sse"
expect 2 "events usage" "$bin" events --chunk 0 "$tmp/ok.sse"
expect 2 "events missing file" "$bin" events "$tmp/missing.sse"

# accumulate: 1 = a fatal diagnostic
expect 0 "accumulate ok" "$bin" accumulate "$tmp/ok.sse"
expect 1 "accumulate fatal" "$bin" accumulate "$tmp/truncated.sse"
expect 2 "accumulate usage" "$bin" accumulate --format xml "$tmp/ok.sse"
expect 2 "accumulate missing file" "$bin" accumulate "$tmp/missing.sse"

# cassette: no check to fail
expect 0 "cassette ok" "$bin" cassette "$corpus/cassettes/synthetic/refusal.yaml"
expect 2 "cassette usage" "$bin" cassette
expect 2 "cassette missing" "$bin" cassette "$tmp/missing.yaml"
expect 2 "cassette invalid" "$bin" cassette "$tmp/nul.yaml"

# conform: 1 = an interaction failed a check; 2 = usage, I/O, a cassette that does not
# load, or nothing to check.
mkdir -p "$tmp/pass" "$tmp/failing" "$tmp/empty"
cp "$corpus/cassettes/synthetic/refusal.yaml" "$tmp/pass/"
cp "$corpus/cassettes/synthetic/truncated-mid-event.yaml" "$tmp/failing/"
cp "$corpus/cassettes/synthetic/non-streaming-json.yaml" "$tmp/empty/"
expect 0 "conform pass" "$bin" conform --chunkings splits "$tmp/pass"
expect 1 "conform failed check" "$bin" conform --chunkings splits "$tmp/failing"
expect 2 "conform usage" "$bin" conform --random x "$tmp/pass"
expect 2 "conform missing corpus" "$bin" conform "$tmp/missing"
expect 2 "conform unwritable --junit" "$bin" conform --junit /nonexistent/x.xml "$tmp/pass"
expect 2 "conform: only skipped interactions" "$bin" conform "$tmp/empty"
mkdir -p "$tmp/none"
expect 2 "conform: an empty directory" "$bin" conform "$tmp/none"
grep -qF "no cassettes (*.yaml, *.yml) under $tmp/none" "$tmp/err" || fail "empty directory: $(cat "$tmp/err")"

# A cassette that does not load is a cassette error (2), even beside a failing one, and
# its message shows the offending character instead of ending in a blank.
expect 2 "conform --corpus /bin/ls" "$bin" conform --corpus /bin/ls
grep -q 'cassette_yaml_invalid: /bin/ls:1:[0-9]*: .*\\x[0-9A-F][0-9A-F]$' "$tmp/out" ||
  fail "/bin/ls: the YAML error does not show its character: $(grep yaml_invalid "$tmp/out" | head -1)"
cp "$tmp/nul.yaml" "$tmp/failing/"
expect 2 "conform: a cassette error beside a failure" "$bin" conform --chunkings splits "$tmp/failing"
grep -qF 'unknown escape character: \x00' "$tmp/out" || fail "NUL not shown as \\x00: $(grep -a yaml "$tmp/out" | head -1)"
grep -qF 'unknown escape character: \x00 [cassette_yaml_invalid]' <("$bin" cassette "$tmp/nul.yaml" 2>&1) ||
  fail "cassette: NUL not shown as \\x00"

# The README says the same, in one table.
readme="$src/README.md"
grep -q '^| 0 | ' "$readme" && grep -q '^| 1 | ' "$readme" && grep -q '^| 2 | ' "$readme" ||
  fail "README.md: no exit-code table (| 0 |, | 1 |, | 2 | rows)"
grep '^| 2 | ' "$readme" | grep -q 'cassette' || fail "README.md: the 2 row does not mention cassette errors"

if [ "$failures" -ne 0 ]; then
  echo "exit_codes.sh: $failures failure(s)" >&2
  exit 1
fi
echo "exit_codes.sh: ok"
