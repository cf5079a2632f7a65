#!/usr/bin/env bash
# Restores the damaged seed cassettes in corpus/seeds/ into corpus/cassettes/.
# Damage: every line starts with its line number (sometimes right-aligned with
# spaces); seeds 000-002 also lost their indentation (each line kept at most one
# leading space). The numbers are stripped (checked against the real line number)
# and 000-002 are re-indented the way go-vcr writes cassettes:
#   - id: 0 / "  request:" / "    key: value" / header names and their "- value"
#   lines at 6 / block-scalar body lines at 6.
# Usage: ci/restore-seeds.sh [--check]   (--check: diff against the committed files)
set -euo pipefail
cd "$(dirname "$0")/.."

seeds=corpus/seeds
out=corpus/cassettes
check=0
[ "${1:-}" = "--check" ] && check=1

# seed prefix | output name | reindent? | why comment
table=(
  "000|xai-grok-code-fast-object-streaming.yaml|1|xAI grok-code-fast-1 stream: reasoning, then one forced tool call 'Person' carrying the generated object, usage chunk, [DONE]; restored from seed 000"
  "001|xai-grok-code-fast-ola-streaming.yaml|1|xAI grok-code-fast-1 stream (Fantasy client): reasoning, then the short answer 'Olá!', usage chunk, [DONE]; restored from seed 001"
  "002|xai-grok-code-fast-add-multiply-tools-streaming.yaml|1|xAI grok-code-fast-1, two interactions: parallel add+multiply tool calls, then the final answer after the tool results; restored from seed 002"
  "003|xai-grok-4-fast-reasoning-tools-empty-deltas-streaming.yaml|0|xAI grok-4-fast-reasoning, two interactions: add+multiply tool calls and the answer, with many empty deltas (hidden reasoning); restored from seed 003"
  "004|xai-grok-code-fast-ola-openai-go-streaming.yaml|0|xAI grok-code-fast-1 stream (OpenAI Go client): reasoning, then a longer 'Olá!' answer, usage chunk, [DONE]; restored from seed 004"
)

# Removes "  N" (the line's own number, right-aligned) from each line.
strip_numbers() {
  awk '{
    s = $0; sub(/^ */, "", s)
    n = length(NR "")
    if (substr(s, 1, n) != NR "") { printf "line %d: number missing\n", NR > "/dev/stderr"; exit 1 }
    print substr(s, n + 1)
  }' "$1"
}

# Re-indents text that lost its indentation (see the header comment).
reindent() {
  awk '
    BEGIN {
      split("proto proto_major proto_minor content_length transfer_encoding trailer host " \
            "remote_addr request_uri body form headers url method status code duration uncompressed", k, " ")
      for (i in k) known[k[i]] = 1
    }
    function key_of(t) { sub(/:.*/, "", t); return t }
    {
      top = ($0 !~ /^ /)
      t = $0; sub(/^ /, "", t)
      if (in_body) {
        if (t == "") { print ""; next }
        if (t != "headers:") { print "      " t; next }
        in_body = 0
      }
      if (top) { print t; in_headers = 0; next }
      if (t == "request:" || t == "response:") { print "  " t; in_headers = 0; next }
      if (in_headers) {
        if (t ~ /^- /) { print "      " t; next }
        if (t ~ /^[A-Za-z0-9-]+:$/ && !(key_of(t) in known)) { print "      " t; next }
        in_headers = 0
      }
      print "    " t
      if (t ~ /^body: [|>]/) in_body = 1
      if (t == "headers:") in_headers = 1
    }'
}

status=0
for row in "${table[@]}"; do
  IFS='|' read -r prefix name reindent_flag why <<<"$row"
  src=$(ls "$seeds"/"$prefix"_*.txt)
  tmp=$(mktemp)
  {
    echo "# why: $why"
    if [ "$reindent_flag" = 1 ]; then strip_numbers "$src" | reindent; else strip_numbers "$src"; fi
  } >"$tmp"
  if [ "$check" = 1 ]; then
    if ! cmp -s "$tmp" "$out/$name"; then echo "restore-seeds: $out/$name is out of date" >&2; status=1; fi
    rm -f "$tmp"
  else
    mv "$tmp" "$out/$name"
    chmod 644 "$out/$name"
    echo "restored $src -> $out/$name"
  fi
done
exit $status
