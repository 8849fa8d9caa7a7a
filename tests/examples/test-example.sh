#!/bin/sh
# Runs examples/clarifai-tags-example against the reference server program
# and checks what it printed: ten tagged samples of the colour tour, in
# order, the meta read in the pad probe, and the stats; a detector's boxes
# and a captioner's text.
set -eu
. "$(dirname "$0")/server.sh"

# v2 with a personal access token, then v1 with client credentials.
for creds in "--api-key test-api-key" \
    "--client-id test-client-id --client-secret test-client-secret"; do
  # shellcheck disable=SC2086
  out=$("$2" --api-url "$url" $creds --interval-ms 500)
  echo "$out"

  got=$(echo "$out" | grep '^message' | awk '{print $5, $6}' | tr '\n' ' ')
  want="OK red OK red OK green OK green OK blue OK blue OK yellow OK yellow OK white OK white "
  [ "$got" = "$want" ] || { echo "FAIL ($creds): tags were: $got"; echo "expected: $want"; exit 1; }
  # The source is not live: which buffer carries which result depends on
  # timing, so any frame of the tour's red second will do.
  echo "$out" | grep -q '^meta .*carries the tags of frame 0:00:00\.[0-9]*: red' ||
    { echo "FAIL ($creds): no ClarifaiTagMeta read"; exit 1; }
  echo "$out" | grep -q 'sampled=(guint64)10, tagged=(guint64)10, failed=(guint64)0' ||
    { echo "FAIL ($creds): stats"; exit 1; }
done
# A detector on the ball: one box a sample, in the tour's colour; a
# captioner: the text.
out=$("$2" --api-url "$url" --api-key test-api-key --interval-ms 1000 \
  --pattern ball --model general-image-detection)
echo "$out"
got=$(echo "$out" | grep '^region' | awk '{print $2}' | tr '\n' ' ')
[ "$got" = "red green blue yellow white " ] ||
  { echo "FAIL: boxes were: $got"; exit 1; }
out=$("$2" --api-url "$url" --api-key test-api-key --interval-ms 1000 \
  --user-id salesforce --app-id blip --model general-english-image-caption-blip)
echo "$out"
echo "$out" | grep -q '^text     a green image$' ||
  { echo "FAIL: no caption"; exit 1; }
echo PASS
