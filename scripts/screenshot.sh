#!/bin/sh
# Makes docs/clarifaioverlay.png, the README's screenshot: the colour tour
# tagged by the bundled reference server through clarifaitag and drawn by
# clarifaioverlay (examples/clarifai-overlay.py); the last frame is kept.
set -eu
cd "$(dirname "$0")/.."

./scripts/build.sh >/dev/null
. scripts/reference-server.sh

GST_PLUGIN_PATH="$PWD/build/gst/clarifai${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}" \
  /usr/bin/python3 examples/clarifai-overlay.py \
  --api-url "$url" \
  --api-key test-api-key --sync --sink fakesink \
  --snapshot docs/clarifaioverlay.png >/dev/null
echo "wrote docs/clarifaioverlay.png"
