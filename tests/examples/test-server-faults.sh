#!/bin/sh
# The reference server program's --fault option, seen through gst-launch:
# the first answer is a 500 VISION_ERROR, the second a 429 with a 1 s wait,
# the third is tagged after that wait.
set -eu
SERVER_ARGS="--fault vision-error:1 --fault throttle:1:1"
. "$(dirname "$0")/server.sh"

export CLARIFAI_CLIENT_ID=test-client-id CLARIFAI_CLIENT_SECRET=test-client-secret
out=$("$2" -m videotestsrc num-buffers=3 pattern=solid-color \
  foreground-color=0xffff0000 ! video/x-raw,width=64,height=48,framerate=30/1 ! \
  clarifaitag api-url="$url" interval=0 retries=0 max-in-flight=1 ! fakesink)
got=$(echo "$out" | grep -o 'status=(string)[A-Z_]*' | tr '\n' ' ')
echo "$got"
[ "$got" = "status=(string)VISION_ERROR status=(string)HTTP_ERROR status=(string)OK " ] ||
  { echo "FAIL"; echo "$out"; exit 1; }
echo PASS
