#!/usr/bin/env bash
# `ssecheck serve` end to end: binds loopback, lists its cases, serves a recorded
# stream byte for byte at its base URL, journals the request, stops on SIGTERM with 0,
# and refuses a non-loopback address without the explicit flag.
# Usage: serve_cli.sh SSECHECK [ADAPTER SOURCE_DIR]
set -euo pipefail
ssecheck=$1
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "serve_cli: $*" >&2; exit 1; }

set +e
"$ssecheck" serve --listen 0.0.0.0:0 >/dev/null 2>"$work/err"; rc=$?
set -e
[ $rc -eq 2 ] || fail "a non-loopback address must exit 2, got $rc"
grep -q 'allow-non-loopback' "$work/err" || fail "the refusal does not say how to allow it"

"$ssecheck" serve --dialect anthropic-messages --match simple-streaming --schedule whole \
  --cases-json "$work/cases.json" >"$work/out" 2>&1 &
pid=$!
for _ in $(seq 50); do grep -q '^listening on ' "$work/out" 2>/dev/null && [ -s "$work/cases.json" ] && break; sleep 0.1; done
grep -q '^listening on http://127.0.0.1:' "$work/out" || fail "no listening line: $(cat "$work/out")"
python3 - "$work/cases.json" <<'PY' || fail "the served stream differs"
import json, sys, urllib.request
cases = json.load(open(sys.argv[1]))
case = cases["cases"][0]
req = urllib.request.Request(case["url"], data=b'{"stream":true}', method="POST",
                             headers={"content-type": "application/json"})
body = urllib.request.urlopen(req, timeout=10).read().decode()
assert body.startswith("event: message_start"), body[:80]
assert "event: message_stop" in body, "the stream was not served to its end"
journal = json.load(urllib.request.urlopen(cases["journal"], timeout=10))
requests = [r for t in journal.values() for r in t["requests"]]
assert any(r["body"] == '{"stream":true}' for r in requests), journal
PY
kill -TERM "$pid"
set +e
wait "$pid"; rc=$?
set -e
pid=
[ $rc -eq 0 ] || fail "SIGTERM must stop the server with 0, got $rc"
echo "serve_cli: ok"
