#!/bin/sh
# docs/publishing.md's file:///dev/stdout through gst-launch -q: standard
# output holds the JSON lines and nothing else, one per sampled frame.
set -eu
. "$(dirname "$0")/server.sh"

export CLARIFAI_PAT=test-api-key
out=$("$2" -q videotestsrc num-buffers=30 pattern=solid-color \
  foreground-color=0xff00ff00 ! video/x-raw,width=64,height=48,framerate=30/1 ! \
  clarifaitag api-url="$url" interval=100000000 source-id=cam-7 \
  publish=file:///dev/stdout ! fakesink)
echo "$out"
echo "$out" | "$3" -c '
import json, sys
lines = sys.stdin.read().splitlines()
assert len(lines) == 10, "%d lines" % len(lines)
for i, line in enumerate(lines):
    o = json.loads(line)
    assert o["source"] == "cam-7" and o["sample_id"] == i, o
    assert o["status"] == "OK" and o["tags"][0]["name"] == "green", o
' || { echo FAIL; exit 1; }
echo PASS
