#!/usr/bin/env bash
# Runs .clusterfuzzlite/build.sh locally the way OSS-Fuzz/ClusterFuzzLite would (clang-14,
# libFuzzer, ASan+UBSan), checks that every expected output exists, and runs each
# built fuzzer for a few seconds over its unzipped seed corpus. Nothing is written
# into the repository: SRC, WORK and OUT are temp dirs (SRC holds a symlink to the repo).
#
# Usage: ci/clusterfuzzlite-check.sh [SECONDS]   (default 5 per fuzzer)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-5}
. "$repo/fuzz/targets.sh"
fuzz_load_targets

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src" "$tmp/work" "$tmp/out"
ln -s "$repo" "$tmp/src/ssecheck"

# As OSS-Fuzz sets them, -stdlib=libc++ included: build.sh must drop it (the
# distribution yaml-cpp is built against libstdc++).
# pointer-overflow is off as in OSS-Fuzz's UBSan set (RapidJSON 1.1.0 trips it).
sanitize="-fsanitize=address,undefined -fno-sanitize=pointer-overflow -fno-sanitize-recover=undefined"
export CC=clang-14 CXX=clang++-14
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only $sanitize -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS -stdlib=libc++"
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
export SRC=$tmp/src WORK=$tmp/work OUT=$tmp/out
bash "$repo/.clusterfuzzlite/build.sh" >"$tmp/build.log" 2>&1 || {
  tail -40 "$tmp/build.log" >&2
  echo "clusterfuzzlite-check: build.sh failed" >&2
  exit 1
}

missing=0
for t in "${targets[@]}"; do
  for f in "$t" "$t.dict" "$t.options" "${t}_seed_corpus.zip"; do
    if [ ! -s "$OUT/$f" ]; then echo "clusterfuzzlite-check: missing \$OUT/$f" >&2; missing=1; fi
  done
  [ -x "$OUT/$t" ] || { echo "clusterfuzzlite-check: \$OUT/$t is not executable" >&2; missing=1; }
done
[ $missing -eq 0 ] || exit 1

# The runner image has the C and C++ runtimes and nothing from the build image's
# packages: every other shared library an output needs would fail to load there.
for t in "${targets[@]}"; do
  extra=$(ldd "$OUT/$t" | awk '{print $1}' |
    grep -vE '^(linux-vdso\.so|/lib64/ld-linux|ld-linux|libc\.so|libm\.so|libstdc\+\+\.so|libgcc_s\.so|libpthread\.so|libdl\.so|librt\.so)' || true)
  if [ -n "$extra" ]; then
    echo "clusterfuzzlite-check: \$OUT/$t needs shared libraries the runner lacks: $(echo $extra)" >&2
    missing=1
  fi
done
[ $missing -eq 0 ] || exit 1

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=0
for t in "${targets[@]}"; do
  mkdir -p "$tmp/run/$t"
  unzip -q -o "$OUT/${t}_seed_corpus.zip" -d "$tmp/run/$t"
  if (cd "$tmp/run" && "$OUT/$t" "$tmp/run/$t" -dict="$OUT/$t.dict" -max_total_time="$seconds" \
        -timeout=10 -artifact_prefix="$tmp/run/$t-" >"$tmp/run/$t.log" 2>&1); then
    echo "clusterfuzzlite-check: $t ok ($(grep -E '^#[0-9]+[[:space:]]+DONE' "$tmp/run/$t.log" | tail -1))"
  else
    echo "clusterfuzzlite-check: $t FAILED" >&2
    tail -30 "$tmp/run/$t.log" >&2
    failed=1
  fi
done
[ $failed -eq 0 ] && echo "clusterfuzzlite-check: ok (${#targets[@]} fuzzers, dicts, options, seed corpora)"
exit $failed
