#!/bin/sh
# The README's first quick-start command: installs what is missing, builds,
# starts the bundled reference server on a free loopback port and tags a
# short video with it, printing the tags.
set -eu
cd "$(dirname "$0")/.."

./scripts/build.sh >/dev/null
echo "== built; starting the reference server (a local test double of the Clarifai API)"

. scripts/reference-server.sh
echo "== reference server at $url"
if [ $# -gt 0 ]; then
  echo "== tagging $1, one frame per 500 ms,"
else
  echo "== tagging a 5 s colour tour (red, green, blue, yellow, white), one frame per 500 ms,"
fi
echo "   through the v2 API with a personal access token:"
echo

GST_PLUGIN_PATH="$PWD/build/gst/clarifai${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}" \
  build/examples/clarifai-tags-example --api-url "$url" \
  --api-key test-api-key --interval-ms 500 "$@"
