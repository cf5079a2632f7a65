#!/bin/sh
# Runs the Node adapters' self-test (selftest.mjs) after installing what it needs.
#   conformance/adapters/node/selftest.sh [selftest.mjs options: --only NAME, --strict, ...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
"$here/install.sh"
exec node "$here/selftest.mjs" "$@"
