#!/usr/bin/env bash
# The reference adapter in http mode, through the replay server and libcurl: every
# case passes, faults included, and each fault kind is really exercised.
# Usage: check_http.sh SSECHECK ADAPTER
set -euo pipefail
ssecheck=$1
adapter=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check_http: $*" >&2; exit 1; }
# The client deadline covers the whole call: a long stream served one byte per write
# takes ~1.5 s alone under ASan and more beside the other tests, so 6 s (each of the
# 8 stall cases waits it out once).
"$ssecheck" check -q --modes http --client-timeout-ms 6000 --impl "ssecheck=$adapter" --json "$work/r.json" \
  >"$work/out" 2>&1 || fail "http mode failed: $(grep -E '^(FAIL|CRASH|TIMEOUT|PROTOCOL)' "$work/out" | head -5)
$(tail -3 "$work/out")
$(python3 -c 'import json,sys
for r in json.load(open(sys.argv[1]))["implementations"][0]["results"]:
    if r["outcome"] not in ("PASS", "SKIPPED"): print(r["case"], r["outcome"], r.get("reason", ""))' "$work/r.json" 2>/dev/null | head -5)"
python3 - "$work/r.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
res = d["implementations"][0]["results"]
passed = [r for r in res if r["outcome"] == "PASS"]
assert len(passed) > 1000, f"only {len(passed)} http cases passed"
for kind in ["fault:fin-mid-event", "fault:rst-mid-event", "fault:stall", "fault:429", "fault:500", "fault:529",
             "fault:error-event", "fault:no-terminator", "framing:close", "bytes1+crlf"]:
    n = sum(1 for r in passed if ("@" + kind) in r["case"])
    assert n > 0, f"no passing {kind} case"
assert all(r.get("journal") for r in passed), "a passing http case has no journal"
print(f"check_http: ok ({len(passed)} http cases)")
PY
