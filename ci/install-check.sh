#!/usr/bin/env bash
# Installs a build tree's libraries with `cmake --install` into a temporary prefix, then
# builds parser/tests/install_consumer against it with find_package(ssecheck) and runs it.
# The consumer links only ssecheck::sse and one dialect: its link line must not name
# yaml-cpp. Usage: ci/install-check.sh BUILD_DIR [extra CXX flags, e.g. sanitizers]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
flags=${2:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$root/parser/tests/install_consumer" -B "$work/consumer" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" >/dev/null
cmake --build "$work/consumer" >/dev/null
if ninja -C "$work/consumer" -t commands consumer | tail -1 | grep -q yaml; then
  echo "install-check: the consumer's link line pulls in yaml-cpp" >&2
  exit 1
fi
out=$("$work/consumer/consumer")
if [ "$out" != "installed end_turn" ]; then
  echo "install-check: consumer printed '$out', expected 'installed end_turn'" >&2
  exit 1
fi
echo "install-check: passed (headers, libraries and package config; no yaml-cpp)"
