#!/usr/bin/env bash
# Two shipped Node adapters through the real protocol, so it cannot rot: the
# eventsource-parser adapter on the spec cases and openai-node on every chat and
# Responses feed case. Their known failures are recorded in conformance/expectations.json
# (each classified there); any change from it fails this test.
# Usage: check_node.sh SSECHECK ADAPTER SOURCE_DIR
set -euo pipefail
ssecheck=$1
src=$3
fail() { echo "check_node: $*" >&2; exit 1; }
command -v node >/dev/null || fail "node not found: the Node adapters need Node >= 20 (ci/install-deps.sh)"
"$src/conformance/adapters/node/install.sh" || fail "npm ci of conformance/adapters/node failed"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$src"
set +e
"$ssecheck" check -q --modes feed --expect conformance/expectations.json \
  --impl "eventsource-parser=node conformance/adapters/node/eventsource-parser.mjs" \
  --impl "openai-node=node conformance/adapters/node/openai.mjs" --json "$work/r.json" >"$work/out" 2>&1
rc=$?
set -e
[ $rc -eq 0 ] || fail "outcomes changed from conformance/expectations.json (rc $rc):
$(grep -E '^(CHANGED|ssecheck)' "$work/out" | head -20)"
python3 - "$work/r.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for impl in d["implementations"]:
    ran = sum(1 for r in impl["results"] if r["outcome"] != "SKIPPED")
    assert ran >= 100, f'{impl["name"]}: only {ran} cases ran'
    assert not any(r["outcome"] in ("CRASH", "TIMEOUT", "PROTOCOL_ERROR") for r in impl["results"]), impl["name"]
print("check_node: ok")
PY
