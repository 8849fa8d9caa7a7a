#!/bin/sh
# Runs examples/clarifai-tags.py (PyGObject) against the reference server
# program: messages with their tags, meta in the pad probe, stats.
set -eu
. "$(dirname "$0")/server.sh"

# v2 with a personal access token, then v1 with the default client
# credentials, with a CLARIFAI_PAT in the environment too (the v1 run must
# not pick v2 from it).
for creds in "--api-key test-api-key" ""; do
  # shellcheck disable=SC2086
  out=$(CLARIFAI_PAT=exported-pat /usr/bin/python3 "$2" --api-url "$url" $creds)
  echo "$out"
  [ "$(echo "$out" | grep -c '^message  sample [0-9]* at [0-9]*: OK red')" -eq 3 ] ||
    { echo "FAIL ($creds): expected 3 red samples"; exit 1; }
  echo "$out" | grep -q '^meta .*carries the tags of frame [0-9]*: red' ||
    { echo "FAIL ($creds): no ClarifaiTagMeta read"; exit 1; }
  echo "$out" | grep -q '^stats    sampled=3 tagged=3' || { echo "FAIL ($creds): stats"; exit 1; }
done
# A vision-language model asked for JSON: the text and the tags it gives.
out=$(/usr/bin/python3 "$2" --api-url "$url" --api-key test-api-key \
  --user-id qwen --app-id qwen-VL --model Qwen2_5-VL-7B-Instruct \
  --prompt "List the colours as a JSON array")
echo "$out"
echo "$out" | grep -q '^message  sample 0 at [0-9]*: OK red 1.00' ||
  { echo "FAIL: no tags from the JSON answer"; exit 1; }
echo "$out" | grep -q '^text     ```json' || { echo "FAIL: no text"; exit 1; }
# A detector on a moving ball: its box is in the message and in GStreamer's
# own metas, which the example reads through GstVideo and, when the plugin
# writes them, GstAnalytics.
out=$(/usr/bin/python3 "$2" --api-url "$url" --api-key test-api-key \
  --model general-image-detection --ball)
echo "$out"
echo "$out" | grep -q '^region   white' || { echo "FAIL: no box"; exit 1; }
echo "$out" | grep -q '^roi      white at [0-9]*,[0-9]* [0-9]*x[0-9]* (0\.[0-9]*)' ||
  { echo "FAIL: no region-of-interest meta"; exit 1; }
if [ "${CLARIFAI_TEST_ANALYTICS:-0}" = 1 ]; then
  echo "$out" | grep -q '^od       white at [0-9]*,[0-9]* [0-9]*x[0-9]* (c=0\.[0-9]*), classes white$' ||
    { echo "FAIL: no ODMtd with its ClsMtd"; exit 1; }
fi
echo PASS
