#!/bin/sh
# The reference server program's --fault option, seen through gst-launch:
# the first answer is a 429 with a 1 s wait, the second (1 ms late) is
# tagged after that wait, the third is a 500 VISION_ERROR.  (A 500 first
# would close the account's gate for a second: the frames after it would
# fail at once, as in any outage.)
set -eu
SERVER_ARGS="--fault throttle:1:1 --fault slow:1:1 --fault vision-error:1"
. "$(dirname "$0")/server.sh"

export CLARIFAI_CLIENT_ID=test-client-id CLARIFAI_CLIENT_SECRET=test-client-secret
out=$("$2" -m videotestsrc num-buffers=3 pattern=solid-color \
  foreground-color=0xffff0000 ! video/x-raw,width=64,height=48,framerate=30/1 ! \
  clarifaitag api-url="$url" interval=0 retries=0 max-in-flight=1 ! fakesink)
got=$(echo "$out" | grep -o 'status=(string)[A-Z_]*' | tr '\n' ' ')
echo "$got"
[ "$got" = "status=(string)HTTP_ERROR status=(string)OK status=(string)VISION_ERROR " ] ||
  { echo "FAIL"; echo "$out"; exit 1; }
echo PASS
