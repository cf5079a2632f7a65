#!/usr/bin/env bash
# `ssecheck check` end to end: exit codes, early path checks, expectations, and the
# HTML matrix as rendered by headless Chromium (the DOM its script builds).
# Usage: check_cli.sh SSECHECK ADAPTER
set -euo pipefail
ssecheck=$1
adapter=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check_cli: $*" >&2; exit 1; }

# Usage errors: 2.
set +e
"$ssecheck" check >/dev/null 2>&1; [ $? -eq 2 ] || fail "no --impl must exit 2"
"$ssecheck" check --impl noequals >/dev/null 2>"$work/err"; [ $? -eq 2 ] || fail "--impl without = must exit 2"
grep -q 'NAME=COMMAND' "$work/err" || fail "--impl error does not show the form"
# An unwritable output path fails before the run, with the OS's reason.
start=$(date +%s)
"$ssecheck" check --modes feed --impl "a=$adapter" --json /nonexistent/dir/x.json >/dev/null 2>"$work/err"; rc=$?
[ $rc -eq 2 ] || fail "unwritable --json must exit 2, got $rc"
grep -q 'No such file or directory' "$work/err" || fail "no OS reason: $(cat "$work/err")"
[ $(( $(date +%s) - start )) -le 5 ] || fail "the path was checked late"
set -e

# The reference adapter passes; the planted bug fails with exit 1.
"$ssecheck" check -q --modes feed --impl "ssecheck=$adapter" --impl "ssecheck-sse=$adapter --framing" \
  --json "$work/ok.json" >/dev/null || fail "reference adapters must pass"
set +e
"$ssecheck" check -q --modes feed --impl "ssecheck=$adapter" --impl "buggy=$adapter --bug=split-utf8" \
  --json "$work/r.json" --junit "$work/r.xml" --html "$work/r.html" --write-expect "$work/expect.json" >"$work/out"
rc=$?
set -e
[ $rc -eq 1 ] || fail "a failing implementation must exit 1, got $rc"
fails=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(1 for i in d["implementations"] for r in i["results"] if r["outcome"]=="FAIL"))' "$work/r.json")
[ "$fails" -gt 0 ] || fail "the planted bug produced no FAIL"
grep -q '<failure type="FAIL"' "$work/r.xml" || fail "JUnit has no <failure>"
# With its own expectations the same run passes; against the empty file it fails.
"$ssecheck" check -q --modes feed --impl "ssecheck=$adapter" --impl "buggy=$adapter --bug=split-utf8" \
  --expect "$work/expect.json" >/dev/null || fail "a run matching its expectations must pass"
echo '{}' >"$work/none.json"
set +e
"$ssecheck" check -q --modes feed --impl "buggy=$adapter --bug=split-utf8" --expect "$work/none.json" >"$work/out"; rc=$?
set -e
[ $rc -eq 1 ] || fail "a change from the expectations must exit 1"
grep -q '^CHANGED buggy ' "$work/out" || fail "changes are not listed"

# The matrix in a real browser: its script must render one cell per implementation
# and case, and as many FAIL cells as the JSON has FAILs (no row is folded: the two
# implementations differ on every FAIL row).
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || fail "chromium not found (ci/install-deps.sh installs it)"
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --user-data-dir="$work/profile" \
  --dump-dom "file://$work/r.html" 2>/dev/null >"$work/dom.html" || fail "chromium could not render the matrix"
dom_fails=$(grep -o 'class="cell FAIL"' "$work/dom.html" | wc -l)
[ "$dom_fails" -eq "$fails" ] || fail "the rendered matrix shows $dom_fails FAIL cells, the JSON $fails"
grep -q 'id="summary">ssecheck: ' "$work/dom.html" || fail "the summary was not rendered"
echo "check_cli: ok ($fails FAIL cells rendered)"
