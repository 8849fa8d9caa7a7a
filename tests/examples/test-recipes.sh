#!/bin/sh
# Runs the README's recipes marked <!-- recipe: NAME --> against the
# reference server program: each one's gst-launch-1.0 command, with a test
# source for the camera (a moving ball, 3 s, not live), fakesink for the
# window and the server's URL as api-url, must end well and print what
# the recipe promises.  $3 is README.md, $2 gst-launch-1.0.
set -eu
. "$(dirname "$0")/server.sh"
export CLARIFAI_PAT=test-api-key

# The command of recipe $1: its gst-launch-1.0 line and continuations.
recipe() {
  awk -v name="$1" '
    $0 == "<!-- recipe: " name " -->" { found = 1; next }
    found && /^gst-launch-1.0/ { cmd = 1 }
    found && cmd {
      line = $0
      more = sub(/\\$/, "", line)
      printf "%s", line
      if (!more) exit
    }' "$3"
}

run() {
  cmd=$(recipe "$1" "$2" "$3")
  [ -n "$cmd" ] || { echo "FAIL: no recipe $1 in $3"; exit 1; }
  cmd=$(echo "$cmd" | sed \
    -e "s|^gst-launch-1.0|\"$2\"|" \
    -e 's|v4l2src|videotestsrc num-buffers=90 pattern=ball|' \
    -e 's|autovideosink|fakesink|' \
    -e "s|clarifaitag |clarifaitag api-url=$url |")
  echo "== $1: $cmd"
  out=$(eval "timeout 60 $cmd" 2>&1) || { echo "$out"; echo "FAIL: $1"; exit 1; }
  echo "$out" | grep 'clarifai-tags' | head -n 3
  if echo "$out" | grep -q 'ERROR'; then
    echo "$out"; echo "FAIL: $1 posted an error"; exit 1
  fi
}

run boxes "$2" "$3"
echo "$out" | grep -q 'clarifai-region.*label\\=\\(string\\)white' ||
  { echo "FAIL: no box on the ball"; exit 1; }

# objectdetectionoverlay and the analytics metas: GStreamer 1.24 on
if [ "${CLARIFAI_TEST_ANALYTICS:-0}" = 1 ]; then
  run analytics "$2" "$3"
  echo "$out" | grep -q 'clarifai-region.*label\\=\\(string\\)white' ||
    { echo "FAIL: no box on the ball"; exit 1; }
fi

run vlm "$2" "$3"
echo "$out" | grep -q 'classes=(string)< black, white >' ||
  { echo "FAIL: the VLM's JSON answer gave no tags"; exit 1; }
echo "$out" | grep -q 'prompt-tokens=(guint64)' ||
  { echo "FAIL: no token counts"; exit 1; }

run ocr "$2" "$3"
echo "$out" | grep -q 'text=(string)WHITE' ||
  { echo "FAIL: no text read"; exit 1; }
echo PASS
