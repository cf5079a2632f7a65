#!/usr/bin/env bash
# Prints each benchmark's throughput as a ratio to the memchr line-scan limit and to
# the naive baseline measured in the same run (same input, same feed size).
#   bench/ratios.sh RUN.json         (from ssecheck_bench --benchmark_format=json
#                                     or --benchmark_out=RUN.json)
# A benchmark family/impl/case is compared with family/memchr/case and
# family/naive/case; accumulate/* fall back to framing/* (they use the same stream).
# x memchr = our bytes/s ÷ memchr's (1.0 = as fast as finding line ends at all);
# x naive  = our bytes/s ÷ the naive baseline's (2.0 = twice as fast).
# A ratio is "-" when its reference row is not in the run (a --benchmark_filter that
# left out the memchr or naive rows); a note on stderr then names the missing rows.
set -euo pipefail
[ $# -eq 1 ] && [ -r "$1" ] || { echo "usage: bench/ratios.sh RUN.json" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
awk -F'\t' -f "$here/bench_json.awk" "$1" | awk -F'\t' '
function ref(name, impl,   p, q, i) {
  split(name, p, "/")
  q = p[1] "/" impl
  for (i = 3; i <= length(p); ++i) q = q "/" p[i]
  if (q in bps) return bps[q]
  first_try = q
  sub(/^[^\/]+/, "framing", q)
  if (q in bps) return bps[q]
  # Remember what was looked for, once per missing row, for the note.
  if (name !~ /\/(memchr|naive)\//) {
    want = (first_try == q) ? q : first_try " (or " q ")"
    if (!(want in missing_seen)) { missing_seen[want] = 1; missing[++nmissing] = want }
  }
  return ""
}
function num(v, scale, fmt) { return (v == "-" || v == "") ? "-" : sprintf(fmt, v * scale) }
{ name[NR] = $1; bps[$1] = $2; eps[$1] = $3; tev[$1] = $4; tby[$1] = $5; err[$1] = $8
  mem[$1] = $9 "\t" $10 "\t" $11 "\t" $12 "\t" $13 }
END {
  fmt = "%-58s %11s %10s %10s %9s %9s %9s\n"
  printf fmt, "benchmark", "MiB/s", "Mevents/s", "ns/event", "ns/byte", "x memchr", "x naive"
  for (r = 1; r <= NR; ++r) {
    b = name[r]
    if (err[b] != "-") { printf "%-58s ERROR: %s\n", b, err[b]; continue }
    m = ref(b, "memchr"); v = ref(b, "naive")
    printf fmt, b, num(bps[b], 1 / 1048576, "%.1f"), num(eps[b], 1e-6, "%.3f"),
      num(tev[b], 1e9, "%.1f"), num(tby[b], 1e9, "%.3f"),
      (m == "" || bps[b] == "-") ? "-" : sprintf("%.3f", bps[b] / m),
      (v == "" || bps[b] == "-") ? "-" : sprintf("%.2f", bps[b] / v)
  }
  if (nmissing > 0) {
    printf "ratios: note: %d reference row(s) are not in this run, so their ratios show \"-\":\n", nmissing > "/dev/stderr"
    for (i = 1; i <= nmissing; ++i) printf "ratios:   %s\n", missing[i] > "/dev/stderr"
    printf "ratios: run the memchr and naive rows too (a --benchmark_filter that matches \"memchr|naive\" as well)\n" > "/dev/stderr"
  }
  header = 0
  for (r = 1; r <= NR; ++r) {
    b = name[r]
    if (mem[b] == "-\t-\t-\t-\t-") continue
    if (!header) {
      printf "\n%-58s %12s %14s %12s %14s %12s\n", "memory (bytes)", "peak_rss", "heap_peak", "buf_cap_max", "feed_alloc", "largest_evt"
      header = 1
    }
    split(mem[b], x, "\t")
    for (i = 1; i <= 5; ++i) x[i] = num(x[i], 1, "%.0f")
    printf "%-58s %12s %14s %12s %14s %12s\n", b, x[1], x[2], x[3], x[4], x[5]
  }
}'
