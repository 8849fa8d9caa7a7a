#!/bin/sh
# Makes docs/clarifaioverlay.png, the README's screenshot: the colour tour
# tagged by the bundled reference server through clarifaitag and drawn by
# clarifaioverlay (examples/clarifai-overlay.py); the last frame is kept.
set -eu
cd "$(dirname "$0")/.."

./scripts/build.sh >/dev/null
url_file=$(mktemp)
build/tests/server/clarifai-reference-server --port 0 >"$url_file" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$url_file"' EXIT INT TERM
i=0
while [ ! -s "$url_file" ]; do
  i=$((i + 1))
  [ "$i" -lt 100 ] || { echo "the reference server did not start" >&2; exit 1; }
  sleep 0.1
done

GST_PLUGIN_PATH="$PWD/build/gst/clarifai${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}" \
  /usr/bin/python3 examples/clarifai-overlay.py \
  --api-url "$(head -n 1 "$url_file")" \
  --api-key test-api-key --sync --sink fakesink \
  --snapshot docs/clarifaioverlay.png >/dev/null
echo "wrote docs/clarifaioverlay.png"
