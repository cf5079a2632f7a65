# Sourced by the fuzz scripts: fuzz_targets prints the target names of
# fuzz/targets.txt, one per line; fuzz_ci_runs TARGET prints its --ci run count.
# Fails loudly when the list is missing or empty.
_fuzz_targets_file="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/targets.txt"
fuzz_targets() {
  [ -r "$_fuzz_targets_file" ] || { echo "fuzz: $_fuzz_targets_file not found" >&2; return 1; }
  local names
  names=$(awk '!/^[[:space:]]*#/ && NF { print $1 }' "$_fuzz_targets_file")
  [ -n "$names" ] || { echo "fuzz: no targets in $_fuzz_targets_file" >&2; return 1; }
  printf '%s\n' "$names"
}
fuzz_ci_runs() {
  awk -v t="$1" '!/^[[:space:]]*#/ && $1 == t { print ($2 == "" ? 10000 : $2) }' "$_fuzz_targets_file"
}
# Sets the array `targets` to the list; exits the calling script when it is empty.
fuzz_load_targets() {
  local list
  list=$(fuzz_targets) || exit 2
  mapfile -t targets <<<"$list"
}
