#!/bin/sh
# Runs examples/clarifai-overlay.py (PyGObject) against the reference server
# program without a display: the tags of the colour tour are printed, in
# sync mode too, and the snapshot is a PNG; the ball's box from the
# reference detector and a VLM's answer are printed too.
set -eu
. "$(dirname "$0")/server.sh"

png=$(mktemp --suffix .png)
trap 'kill "$server_pid" 2>/dev/null || true; rm -f "$server_out" "$png"' EXIT
for mode in "" "--sync"; do
  # shellcheck disable=SC2086
  out=$(/usr/bin/python3 "$2" --api-url "$url" --api-key test-api-key \
    --sink fakesink --snapshot "$png" $mode)
  echo "$out"
  for colour in red green blue yellow white; do
    echo "$out" | grep -q "^tags .* OK $colour " ||
      { echo "FAIL ($mode): no $colour tags"; exit 1; }
  done
  [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
    { echo "FAIL ($mode): the snapshot is not a PNG"; exit 1; }
done
out=$(/usr/bin/python3 "$2" --api-url "$url" --api-key test-api-key \
  --sink fakesink --ball --sync --model general-image-detection)
echo "$out"
echo "$out" | grep -q '^  box    white 0\.[0-9]* at x 0\.' ||
  { echo "FAIL: no box on the ball"; exit 1; }
out=$(/usr/bin/python3 "$2" --api-url "$url" --api-key test-api-key \
  --sink fakesink --user-id qwen --app-id qwen-VL \
  --model Qwen2_5-VL-7B-Instruct --prompt "Describe the picture.")
echo "$out"
echo "$out" | grep -q '^  text   The picture shows a red image\.' ||
  { echo "FAIL: no answer printed"; exit 1; }
echo PASS
