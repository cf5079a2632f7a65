#!/usr/bin/env bash
# `ssecheck fuzz --impl` end to end: a planted bug yields a saved, minimised,
# replayable finding; the reference adapter yields none; findings are not repeated.
# Usage: fuzz_cli.sh SSECHECK ADAPTER
set -euo pipefail
ssecheck=$1
adapter=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "fuzz_cli: $*" >&2; exit 1; }

set +e
"$ssecheck" fuzz --impl "ref=$adapter" --time 3 --findings "$work/ref" -q >"$work/out"; rc=$?
set -e
[ $rc -eq 0 ] || fail "the reference adapter must give no finding (rc $rc): $(cat "$work/out")"
grep -q '^fuzz summary: ref, .* 0 new finding' "$work/out" || fail "no summary: $(cat "$work/out")"
execs=$(sed -n 's/.* s, \([0-9]*\) execs.*/\1/p' "$work/out")
[ "${execs:-0}" -gt 100 ] || fail "too few inputs ran: ${execs:-0}"

# Each read decoded as UTF-8 on its own: a split character turns into U+FFFD.
set +e
"$ssecheck" fuzz --impl "bad=$adapter --bug=split-utf8" --time 8 --seed 3 --findings "$work/bad" --progress 4 >"$work/out"; rc=$?
set -e
[ $rc -eq 1 ] || fail "a planted bug must give new findings (rc $rc)"
grep -q '^fuzz: [0-9]* s, .* execs' "$work/out" || fail "no progress line"
finding=$(find "$work/bad" -name finding.txt | head -1)
[ -n "$finding" ] || fail "no finding saved"
dir=$(dirname "$finding")
for f in body.bin reads.txt command.json answer.json case.md; do [ -f "$dir/$f" ] || fail "finding lacks $f"; done
# Minimised: unminimised, these findings are 1-56 KB (a whole recorded response, split
# data, comments); minimised, all of them fit in a few hundred bytes to ~3 KB.
while read -r size path; do
  [ "$size" -le 8192 ] || fail "finding not minimised: $path is $size bytes"
done < <(find "$work/bad" -name body.bin -printf '%s %p\n')
# Replayable: the buggy adapter still fails it, the reference passes it.
set +e
"$ssecheck" repro --finding "$dir" --impl "bad=$adapter --bug=split-utf8" >/dev/null; rc=$?
set -e
[ $rc -eq 1 ] || fail "the finding does not reproduce (rc $rc)"
"$ssecheck" repro --finding "$dir" --impl "ref=$adapter" >/dev/null || fail "the reference fails the finding"
# A second run resumes: what is known is not reported again.
n_before=$(find "$work/bad" -name finding.txt | wc -l)
"$ssecheck" fuzz --impl "bad=$adapter --bug=split-utf8" --time 2 --seed 3 --findings "$work/bad" -q >"$work/out" || true
grep -q "$n_before from earlier runs" "$work/out" || fail "the known findings were not read back: $(tail -1 "$work/out")"
echo "fuzz_cli: ok ($n_before findings)"
