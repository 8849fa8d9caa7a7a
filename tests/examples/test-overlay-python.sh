#!/bin/sh
# Runs examples/clarifai-overlay.py (PyGObject) against the reference server
# program without a display: the tags of the colour tour are printed, in
# sync mode too, and the snapshot is a PNG.
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
echo PASS
