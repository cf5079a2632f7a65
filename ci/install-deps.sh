#!/usr/bin/env bash
# Installs the Debian packages ssecheck needs; does nothing when all are present.
# Usage: ci/install-deps.sh [--optional]   (--optional adds simdjson and benchmark tools)
set -euo pipefail
required=(rapidjson-dev libyaml-cpp-dev libgtest-dev libbenchmark-dev clang-14 libclang-rt-14-dev
          llvm-14 cmake ninja-build g++ libboost-dev libcurl4-openssl-dev libcli11-dev chromium)
optional=(libsimdjson-dev libbenchmark-tools)
want=("${required[@]}")
# The Node adapters (conformance/adapters/node) need node and npm; the C++ core does not.
# A machine with its own Node keeps it; otherwise Debian's packages are installed.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then want+=(nodejs npm); fi
[ "${1:-}" = "--optional" ] && want+=("${optional[@]}")

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "install-deps: need root to install packages. Run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
