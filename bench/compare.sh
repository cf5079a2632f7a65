#!/usr/bin/env bash
# Compares two ssecheck_bench JSON runs (before/after, machine A/B):
#   bench/compare.sh A.json B.json
# Uses Google Benchmark's compare.py (Debian libbenchmark-tools) when its Python
# imports work (it needs python3-scipy and python3-numpy); otherwise prints our own
# table: bytes/s of A and B and the change, per benchmark present in both.
set -euo pipefail
[ $# -eq 2 ] && [ -r "$1" ] && [ -r "$2" ] || { echo "usage: bench/compare.sh A.json B.json" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
tool=/usr/share/benchmark/compare.py
if [ -z "${SSECHECK_COMPARE_OWN:-}" ] && [ -r "$tool" ] && command -v python3 >/dev/null &&
   (cd /usr/share/benchmark && python3 -c 'import gbench.report' 2>/dev/null); then
  exec python3 "$tool" benchmarks "$1" "$2"
fi
echo "compare.sh: compare.py unavailable (needs python3-scipy, python3-numpy); using bench/bench_json.awk" >&2
a=$(mktemp "${TMPDIR:-/tmp}/ssecheck_compare.XXXXXX")
trap 'rm -f "$a"' EXIT
awk -F'\t' -f "$here/bench_json.awk" "$1" >"$a"
awk -F'\t' -f "$here/bench_json.awk" "$2" | awk -F'\t' -v a="$a" '
BEGIN {
  while ((getline line < a) > 0) { split(line, f, "\t"); A[f[1]] = f[2]; At[f[1]] = f[6]; Au[f[1]] = f[7] }
  fmt = "%-58s %12s %12s %9s %12s %12s\n"
  printf fmt, "benchmark", "A MiB/s", "B MiB/s", "change", "A time", "B time"
}
!($1 in A) { next }
{
  change = (A[$1] != "-" && $2 != "-" && A[$1] > 0) ? sprintf("%+.1f%%", ($2 / A[$1] - 1) * 100) : "-"
  mib_a = A[$1] == "-" ? "-" : sprintf("%.1f", A[$1] / 1048576)
  mib_b = $2 == "-" ? "-" : sprintf("%.1f", $2 / 1048576)
  printf fmt, $1, mib_a, mib_b, change, sprintf("%.4g%s", At[$1], Au[$1]), sprintf("%.4g%s", $6, $7)
}'
