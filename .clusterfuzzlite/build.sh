#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build script.
# In:  $CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE $SRC (and $WORK for scratch).
# Out: $OUT/<target>, <target>.dict, <target>.options, <target>_seed_corpus.zip.
repo=$SRC/ssecheck
work=${WORK:-/tmp}
. "$repo/fuzz/targets.sh"
fuzz_load_targets
jobs=$(nproc)

# The distribution's yaml-cpp is built against libstdc++, so link with it rather than
# the image's default libc++ (this rules out MemorySanitizer, which we do not use).
# Fuzzers run in OSS-Fuzz's runner image, which lacks the distribution's shared
# libraries: yaml-cpp is linked from its static archive, and the optional simdjson
# (shared only) is left out, so the accumulator parses with RapidJSON there.
CXXFLAGS="${CXXFLAGS//-stdlib=libc++/}"
export CXXFLAGS

cmake -S "$repo" -B "$work/ssecheck-build" -G Ninja -DCMAKE_BUILD_TYPE= \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DSSECHECK_WERROR=OFF -DSSECHECK_STATIC_YAML_CPP=ON -DSSECHECK_WITH_SIMDJSON=OFF \
  -DSSECHECK_BUILD_TESTS=OFF -DSSECHECK_BUILD_BENCH=OFF -DSSECHECK_SANITIZE=OFF \
  -DSSECHECK_LIBFUZZER=OFF -DSSECHECK_FUZZ_ENGINE_FLAGS="$LIB_FUZZING_ENGINE"
cmake --build "$work/ssecheck-build" --target fuzzers -j "$jobs"

zip_dir() {  # zip_dir OUT.zip DIR... (flat; zip if present, else python3)
  local out=$1; shift
  local files=()
  for d in "$@"; do
    [ -d "$d" ] || continue
    while IFS= read -r f; do files+=("$f"); done < <(find "$d" -type f ! -name '.*' | sort)
  done
  rm -f "$out"
  [ ${#files[@]} -eq 0 ] && return 0
  if command -v zip >/dev/null; then
    zip -q -j "$out" "${files[@]}"
  else
    python3 -c 'import sys, zipfile, os
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for f in sys.argv[2:]: z.write(f, os.path.basename(f))' "$out" "${files[@]}"
  fi
}

for t in "${targets[@]}"; do
  if command -v ldd >/dev/null && ldd "$work/ssecheck-build/fuzz/$t" | grep -E 'yaml-cpp|simdjson'; then
    echo "build.sh: $t needs a shared library the runner image does not have" >&2
    exit 1
  fi
  cp "$work/ssecheck-build/fuzz/$t" "$OUT/"
  cp "$repo/fuzz/$t.dict" "$repo/fuzz/$t.options" "$OUT/"
  zip_dir "$OUT/${t}_seed_corpus.zip" "$repo/fuzz/corpus/$t" "$repo/corpus/regressions/$t"
done
