#!/usr/bin/env bash
# ssecheck conform: progress reaches a pipe while the run goes on (a line per cassette,
# flushed); --quiet keeps only the failures and the totals; output paths are checked
# before the run, with the OS reason; an interrupted run still prints its summary.
# usage: conform_progress.sh <ssecheck-binary> <corpus-dir>
set -uo pipefail
bin=$1
corpus=$2
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# 1. Progress through a pipe: eight copies of a large cassette, one worker; the first
#    cassette's line must be in the file while the process still runs.
big="$corpus/cassettes/xai-grok-code-fast-ola-streaming.yaml"
[ -f "$big" ] || { echo "conform_progress.sh: $big missing" >&2; exit 1; }
mkdir -p "$tmp/big"
for i in 1 2 3 4 5 6 7 8; do cp "$big" "$tmp/big/copy$i.yaml"; done
("$bin" conform --corpus "$tmp/big" --jobs 1 | cat >"$tmp/progress") 2>/dev/null &
pid=$!
seen_live=no
for _ in $(seq 1 600); do
  if grep -q '^\[1/8\] PASS ' "$tmp/progress" 2>/dev/null; then
    kill -0 "$pid" 2>/dev/null && seen_live=yes
    break
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
wait "$pid"
pid=
[ "$seen_live" = yes ] || fail "no per-cassette line reached the pipe before the run ended:
$(head -5 "$tmp/progress")"
[ "$(grep -c '^\[[1-8]/8\] PASS ' "$tmp/progress")" -eq 8 ] || fail "want 8 per-cassette PASS lines"
tail -1 "$tmp/progress" | grep -q '^conform: 8 passed, 0 failed, 0 skipped$' || fail "summary line: $(tail -1 "$tmp/progress")"

# 1b. Interrupted (a CI timeout's SIGTERM): the run still ends with a summary of what
#     finished, names the signal, and exits 2.
"$bin" conform --corpus "$tmp/big" --jobs 1 >"$tmp/interrupted" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  grep -q '^\[1/8\] PASS ' "$tmp/interrupted" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
kill -TERM "$pid" 2>/dev/null
wait "$pid"
rc=$?
pid=
[ "$rc" -eq 2 ] || fail "interrupted: exit $rc, want 2"
grep -Eq '^conform: interrupted by SIGTERM after [1-7] of 8 cassettes: [1-7] passed, 0 failed, 0 skipped so far; no report file was written$' \
  "$tmp/interrupted" || fail "interrupted: no summary line: $(tail -2 "$tmp/interrupted")"

# 2. --quiet: no per-cassette lines, the failures and the totals still there.
mkdir -p "$tmp/q"
cp "$big" "$tmp/q/ok.yaml"
cp "$corpus/cassettes/synthetic/truncated-mid-event.yaml" "$tmp/q/bad.yaml"
"$bin" conform "$tmp/q" --quiet --chunkings splits >"$tmp/quiet" 2>&1
rc=$?
[ "$rc" -eq 1 ] || fail "--quiet: exit $rc, want 1"
grep -q '^\[' "$tmp/quiet" && fail "--quiet printed per-cassette lines"
grep -qF "FAIL  $tmp/q/bad.yaml#0: fatal diagnostic (no golden expects it): truncated at event 2" "$tmp/quiet" ||
  fail "--quiet: the failure and its reason are missing:
$(cat "$tmp/quiet")"
grep -q '^conform: 1 passed, 1 failed, 0 skipped$' "$tmp/quiet" || fail "--quiet: no totals"

# 3. Output paths are checked first: exit 2 at once with the OS reason, nothing run.
check_early() {  # check_early WHAT REASON ARGS...
  local what=$1 reason=$2
  shift 2
  "$bin" conform --corpus "$tmp/big" --jobs 1 "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ "$rc" -eq 2 ] || fail "$what: exit $rc, want 2"
  grep -qF "$reason" "$tmp/err" || fail "$what: stderr lacks '$reason': $(cat "$tmp/err")"
  [ ! -s "$tmp/out" ] || fail "$what: the run started before the path was checked: $(head -3 "$tmp/out")"
  [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$what: want one stderr line"
}
check_early "--junit in a missing directory" "cannot write --junit /nonexistent/x.xml: No such file or directory" \
  --junit /nonexistent/x.xml
check_early "--json onto a directory" "cannot write --json $tmp: Is a directory" --json "$tmp"
check_early "--json=FILE form" "cannot write --json /nonexistent/y.json: No such file or directory" \
  --json=/nonexistent/y.json
check_early "a missing corpus" "cannot read $tmp/nothing-here: No such file or directory" --corpus "$tmp/nothing-here"

if [ "$failures" -ne 0 ]; then
  echo "conform_progress.sh: $failures failure(s)" >&2
  exit 1
fi
echo "conform_progress.sh: ok"
