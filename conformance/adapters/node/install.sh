#!/bin/sh
# Installs the Node adapters' dependencies (package-lock.json, exact versions) into
# ./node_modules with `npm ci`, when node_modules is missing or was installed from
# another lockfile. Nothing here is needed by the C++ build.
#   conformance/adapters/node/install.sh [--force]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "install.sh: node and npm are needed (Debian: apt-get install nodejs npm; Node >= 20)" >&2
  exit 2
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "install.sh: Node $(node --version) is too old; the adapters need Node >= 20" >&2
  exit 2
fi

want=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.ssecheck-lock-sha256
if [ "${1:-}" != "--force" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "install.sh: npm ci in $here" >&2
# --ignore-scripts: no package needs an install script to work here (protobufjs's
# postinstall only checks versions). Several packages declare engines node >= 22;
# npm warns, and the self-test shows they run on Node 20.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
