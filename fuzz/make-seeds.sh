#!/usr/bin/env bash
# Regenerates the seed corpora in fuzz/corpus/<target>/ from corpus/cassettes/**
# (response bodies, via `ssecheck cassette FILE --interaction N --body`) and the
# spec cases corpus/spec/*.md (decoded inputs, via reference_spec_check).
# Each seed gets the trailer its target expects (see the target's header comment).
#
# Usage: fuzz/make-seeds.sh [BUILD_DIR]   (default build/asan; the two tools are
#        built there if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/asan}
if [ ! -x "$build/conformance/ssecheck" ] || [ ! -x "$build/fuzz/reference_spec_check" ]; then
  [ -f "$build/build.ninja" ] || cmake --preset asan >/dev/null
  cmake --build "$build" --target ssecheck reference_spec_check >/dev/null
fi
ssecheck=$build/conformance/ssecheck
out=fuzz/corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Response bodies that are event streams.
mkdir -p "$tmp/bodies" "$tmp/spec"
# Seed names: the path under corpus/cassettes with / as --, so the same file name in
# two dialect folders cannot collide (top-level synthetic/ files keep their bare name).
seed_name() {
  local rel=${1#corpus/cassettes/}
  rel=${rel%.yaml}
  case $rel in synthetic/*/*) ;; synthetic/*) rel=${rel#synthetic/} ;; esac
  printf '%s' "${rel//\//--}"
}
find corpus/cassettes -name '*.yaml' | sort | while read -r cassette; do
  name=$(seed_name "$cassette")
  "$ssecheck" cassette "$cassette" | tail -n +2 | while IFS=$'\t' read -r index _ _ _ kind _; do
    [ "$kind" = event-stream ] || continue
    "$ssecheck" cassette "$cassette" --interaction "$index" --body > "$tmp/bodies/$name-$index"
  done
done
"$build/fuzz/reference_spec_check" corpus/spec --dump-inputs "$tmp/spec"

# Only the corpora made here are replaced; a target with hand-made seeds keeps them.
made=(sse_parser_fuzzer sse_split_fuzzer accumulator_fuzzer cassette_fuzzer)
for t in "${made[@]}"; do rm -rf "${out:?}/$t"; mkdir -p "$out/$t"; done

# sse_parser: [stream][chunk:1][limits:2][flags:1]; sse_split: [stream][cuts][n:1][flags:1].
for f in "$tmp"/spec/* "$tmp"/bodies/*; do
  [ "$(stat -c %s "$f")" -le 16384 ] || continue
  base=$(basename "$f")
  { cat "$f"; printf '\x00\x00\x00\x00'; } > "$out/sse_parser_fuzzer/$base"
  { cat "$f"; printf '\x00\x00'; } > "$out/sse_split_fuzzer/$base"
done
# A few parser seeds with small limits (flags bit2) and the skip policy (bit1).
for f in "$tmp"/spec/data-multiline "$tmp"/spec/eol-mixed; do
  [ -f "$f" ] || continue
  { cat "$f"; printf '\x01\x88\x00\x06'; } > "$out/sse_parser_fuzzer/$(basename "$f")-small-limits"
  { cat "$f"; printf '\x03\x00\x07\x00\x02\x10'; } > "$out/sse_split_fuzzer/$(basename "$f")-cuts-bytewise"
done

# accumulator: [body][cuts: n x uint16 LE][seed:1][transform:1][n:1].
for f in "$tmp"/bodies/*; do
  base=$(basename "$f")
  { cat "$f"; printf '\x10\x00\x01\x01\x00\x00\x02'; } > "$out/accumulator_fuzzer/$base"
  [ "$(stat -c %s "$f")" -le 8192 ] || continue
  { cat "$f"; printf '\x05\x01\x00'; } > "$out/accumulator_fuzzer/$base-empty-deltas"
  { cat "$f"; printf '\x07\x02\x00'; } > "$out/accumulator_fuzzer/$base-keep-alives"
  { cat "$f"; printf '\x0b\x03\x00'; } > "$out/accumulator_fuzzer/$base-split-string"
done

# cassette: the files themselves, those under 16 KB (the big ones add no new shapes).
find corpus/cassettes -name '*.yaml' -size -16k | sort | while read -r cassette; do
  cp "$cassette" "$out/cassette_fuzzer/$(seed_name "$cassette")"
done

# Every declared target must end up with seeds (fuzz/targets.txt).
. fuzz/targets.sh
fuzz_load_targets
for t in "${targets[@]}"; do
  if [ -z "$(find "$out/$t" -type f ! -name '.*' 2>/dev/null | head -1)" ]; then
    echo "make-seeds: $t has no seeds in $out/$t" >&2
    exit 1
  fi
done
for d in "$out"/*/; do
  printf '%-22s %4d files %6d KB\n' "$(basename "$d")" "$(find "$d" -type f | wc -l)" "$(du -sk "$d" | cut -f1)"
done
