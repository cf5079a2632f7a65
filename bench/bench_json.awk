# Flattens Google Benchmark --benchmark_format=json output (as its JSONReporter
# prints it: one "key": value per line) into one tab-separated row per benchmark:
#   name bytes_per_second events_per_s time_per_event time_per_byte real_time time_unit error
#   peak_rss heap_peak_over_start buffer_capacity_max feed_alloc_bytes largest_event
# Names lose the /iterations:N, /min_time:X, /repeats:N and /real_time suffixes.
# With --benchmark_repetitions, the median aggregate is kept; plain runs are averaged.
# Missing values are "-".
function value(line) {
  sub(/^[^:]*": */, "", line)
  sub(/,$/, "", line)
  gsub(/^"|"$/, "", line)
  return line
}
function reset() { delete f }
function keep(name, row) {
  if (!(name in first)) { order[++n] = name; first[name] = 1 }
  rows[name] = row
}
BEGIN { OFS = "\t"; n = 0; inside = 0 }
/^  "benchmarks": \[/ { inside = 1; next }
!inside { next }
/^    \{/ { reset(); next }
/^      "[^"]+": / {
  key = $0
  sub(/^      "/, "", key)
  sub(/".*/, "", key)
  f[key] = value($0)
  next
}
/^    \}/ {
  name = f["name"]
  if (f["run_type"] == "aggregate") {
    if (f["aggregate_name"] != "median") next
    sub(/_median$/, "", name)
  }
  gsub(/\/(iterations|min_time|repeats|threads):[^\/]*/, "", name)
  gsub(/\/real_time/, "", name)
  if (f["run_type"] == "aggregate") has_median[name] = 1
  else if (has_median[name]) next
  err = ("error_occurred" in f && f["error_occurred"] == "true") ? f["error_message"] : "-"
  split("bytes_per_second events/s time/event time/byte real_time time_unit", a, " ")
  split("peak_rss heap_peak_over_start buffer_capacity_max feed_alloc_bytes largest_event", m, " ")
  row = ""
  for (i = 1; i <= 6; ++i) row = row OFS ((a[i] in f) ? f[a[i]] : "-")
  row = row OFS err
  for (i = 1; i <= 5; ++i) row = row OFS ((m[i] in f) ? f[m[i]] : "-")
  if (f["run_type"] != "aggregate" && (name in count) && err == "-") {
    # Average repeated plain runs field by field (numbers only).
    split(rows[name], old, OFS); split(row, cur, OFS)
    c = count[name]; row = ""
    for (i = 2; i <= 14; ++i) {
      v = (old[i] ~ /^[-+0-9.eE]+$/ && cur[i] ~ /^[-+0-9.eE]+$/ && old[i] != "-") ? (old[i] * c + cur[i]) / (c + 1) : cur[i]
      row = row OFS v
    }
  }
  count[name]++
  keep(name, row)
  next
}
END { for (i = 1; i <= n; ++i) print order[i] rows[order[i]] }
