#!/usr/bin/env bash
# ssecheck conform: result names are unique across corpus roots and stable across
# options. Two roots holding the same relative path give two names (console, JUnit,
# JSON); JUnit test names do not change with --chunkings, --random or once a golden
# exists; JUnit carries time=, classname and <skipped>.
# usage: conform_names.sh <ssecheck-binary> <corpus-dir>
set -uo pipefail
bin=$1
corpus=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

src="$corpus/cassettes/anthropic_messages/claude-sonnet-4-simple-streaming.yaml"
plain="$corpus/cassettes/synthetic/non-streaming-json.yaml"
[ -f "$src" ] && [ -f "$plain" ] || { echo "conform_names.sh: corpus cassettes missing" >&2; exit 1; }
for root in a b; do
  mkdir -p "$tmp/$root/claude-sonnet-4"
  cp "$src" "$tmp/$root/claude-sonnet-4/multi_tool.yaml"
  cp "$plain" "$tmp/$root/claude-sonnet-4/plain.yaml"
done

# 1. Two roots, same relative paths: every name is unique, and says its root.
"$bin" conform -v --chunkings splits --corpus "$tmp/a" --corpus "$tmp/b" --junit "$tmp/two.xml" --json "$tmp/two.json" \
  >"$tmp/out" 2>&1 || fail "two roots: exit $?"
for root in a b; do
  grep -qF "PASS  $tmp/$root/claude-sonnet-4/multi_tool.yaml#0" "$tmp/out" || fail "console: no $root/…/multi_tool.yaml#0"
  grep -qF "<testsuite name=\"$tmp/$root/claude-sonnet-4/multi_tool.yaml\"" "$tmp/two.xml" || fail "junit: no $root suite"
  grep -qF "\"name\":\"$tmp/$root/claude-sonnet-4/multi_tool.yaml#0\"" "$tmp/two.json" || fail "json: no $root name"
done
dups=$(grep -o '<testcase classname="[^"]*" name="[^"]*"' "$tmp/two.xml" | sort | uniq -d)
[ -z "$dups" ] || fail "junit: duplicate test identities: $dups"
[ "$(grep -c '<testcase ' "$tmp/two.xml")" -eq 4 ] || fail "junit: want 4 testcases (2 roots x 2 cassettes)"

# The same root twice (or a file inside a root given too) is checked once.
"$bin" conform --chunkings splits "$tmp/a" "$tmp/a" "$tmp/a/claude-sonnet-4/multi_tool.yaml" --junit "$tmp/once.xml" \
  >/dev/null 2>&1 || fail "repeated root: exit $?"
[ "$(grep -c '<testcase ' "$tmp/once.xml")" -eq 2 ] || fail "repeated root: want 2 testcases, got $(grep -c '<testcase ' "$tmp/once.xml")"

# 2. Stable JUnit names: different options, then with a golden, give the same names.
names() { grep -o '<testcase classname="[^"]*" name="[^"]*"' "$1" | sort; }
"$bin" conform "$tmp/a" --junit "$tmp/j1.xml" >/dev/null 2>&1 || fail "run 1: exit $?"
"$bin" conform "$tmp/a" --chunkings=bytes1,random --random=3 --junit "$tmp/j2.xml" >/dev/null 2>&1 || fail "run 2: exit $?"
"$bin" conform "$tmp/a" --update-golden --chunkings splits >/dev/null 2>&1 || fail "update-golden: exit $?"
[ -f "$tmp/a/golden/claude-sonnet-4/multi_tool/interaction-0.json" ] || fail "no golden written"
"$bin" conform "$tmp/a" --chunkings inject --junit "$tmp/j3.xml" >/dev/null 2>&1 || fail "run 3: exit $?"
[ -n "$(names "$tmp/j1.xml")" ] || fail "no testcases in run 1"
[ "$(names "$tmp/j1.xml")" = "$(names "$tmp/j2.xml")" ] || fail "names change with --chunkings/--random:
$(diff <(names "$tmp/j1.xml") <(names "$tmp/j2.xml"))"
[ "$(names "$tmp/j1.xml")" = "$(names "$tmp/j3.xml")" ] || fail "names change once a golden exists:
$(diff <(names "$tmp/j1.xml") <(names "$tmp/j3.xml"))"
grep -qF "<testcase classname=\"$tmp/a/claude-sonnet-4/multi_tool.yaml\" name=\"interaction-0\" time=\"" "$tmp/j1.xml" ||
  fail "junit: testcase classname/name/time"

# 3. time= on every testsuite and testcase; skipped results carry their reason.
for f in "$tmp/j1.xml" "$tmp/j3.xml"; do
  [ "$(grep -c '<testcase ' "$f")" -eq "$(grep -c '<testcase [^>]*time="[0-9]*\.[0-9][0-9][0-9]"' "$f")" ] ||
    fail "$(basename "$f"): a testcase without time="
  [ "$(grep -c '<testsuite ' "$f")" -eq "$(grep -c '<testsuite [^>]*time="' "$f")" ] || fail "$(basename "$f"): a testsuite without time="
  grep -q '<skipped message="not a stream: Content-Type application/json' "$f" || fail "$(basename "$f"): no <skipped message=...>"
done

if [ "$failures" -ne 0 ]; then
  echo "conform_names.sh: $failures failure(s)" >&2
  exit 1
fi
echo "conform_names.sh: ok"
