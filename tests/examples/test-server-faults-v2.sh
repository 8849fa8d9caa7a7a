#!/bin/sh
# The reference server program's --fault option in v2, seen through
# gst-launch with CLARIFAI_PAT alone: a 429 CONN_THROTTLED with
# Retry-After: 1, an unknown status code, then the key is revoked after one
# more request: the third frame is tagged, the fourth refused with an
# element error that names api-key.  (TRY_AGAIN and the other outage-class
# faults are in the element tests' v2 fault matrix.)
#
# The statuses are read from the published lines, not from -m: gst-launch
# quits from its bus sync handler on the error, so the messages still
# queued ahead of it on the bus may never be printed.
set -eu
SERVER_ARGS="--api-key s3cret-pat --fault throttle:1:1 --fault unknown-code:1:55555 --fault key-revoked:1:1"
. "$(dirname "$0")/server.sh"
lines=$(mktemp)
trap 'kill "$server_pid" 2>/dev/null || true; rm -f "$server_out" "$lines"' EXIT

export CLARIFAI_PAT=s3cret-pat
out=$("$2" -m videotestsrc num-buffers=4 pattern=solid-color \
  foreground-color=0xffff0000 ! video/x-raw,width=64,height=48,framerate=30/1 ! \
  clarifaitag api-url="$url" interval=0 retries=0 max-in-flight=1 \
  publish="file://$lines" ! fakesink 2>&1 || true)
got=$(grep -o '"status":"[A-Z_0-9]*"' "$lines" | tr '\n' ' ')
echo "$got"
[ "$got" = '"status":"CONN_THROTTLED" "status":"CODE_55555" "status":"OK" "status":"CONN_KEY_NOT_FOUND" ' ] ||
  { echo "FAIL"; echo "$out"; cat "$lines"; exit 1; }
echo "$out" | grep -q 'Clarifai rejected the credentials' || { echo "FAIL: no error"; echo "$out"; exit 1; }
echo "$out" | grep -q 'check api-key' || { echo "FAIL: error does not name api-key"; echo "$out"; exit 1; }
if grep -q 's3cret-pat' "$lines" || echo "$out" | grep -q 's3cret-pat'; then
  echo "FAIL: the key was printed"; exit 1
fi
echo PASS
