#!/bin/sh
# Runs examples/clarifai-tags-example against the reference server program
# on an ephemeral loopback port and checks what it printed: ten tagged
# samples of the colour tour, in order, the meta read in the pad probe, and
# the stats.
set -eu

server=$1
example=$2
out=$(mktemp)
url_file=$(mktemp)
trap 'kill "$pid" 2>/dev/null || true; rm -f "$out" "$url_file"' EXIT

"$server" --port 0 >"$url_file" &
pid=$!
i=0
while [ ! -s "$url_file" ]; do
  i=$((i + 1))
  [ "$i" -lt 100 ] || { echo "reference server did not start"; exit 1; }
  sleep 0.1
done
url=$(head -n 1 "$url_file")

"$example" --api-url "$url" --client-id test-client-id \
  --client-secret test-client-secret --interval-ms 500 >"$out"
cat "$out"

got=$(grep '^message' "$out" | awk '{print $5, $6}' | tr '\n' ' ')
want="OK red OK red OK green OK green OK blue OK blue OK yellow OK yellow OK white OK white "
if [ "$got" != "$want" ]; then
  echo "FAIL: tags were: $got"
  echo "      expected:  $want"
  exit 1
fi
grep -q '^meta .*carries the tags of frame 0:00:00.500000000: red' "$out" ||
  { echo "FAIL: no ClarifaiTagMeta read"; exit 1; }
grep -q 'sampled=(guint64)10, tagged=(guint64)10, failed=(guint64)0' "$out" ||
  { echo "FAIL: stats"; exit 1; }
echo "PASS"
