#!/bin/sh
# Makes the README's screenshots with the bundled reference server,
# through clarifaitag and clarifaioverlay (examples/clarifai-overlay.py),
# keeping the last frame of each:
#  - docs/clarifaioverlay.png: a moving ball and the box the reference
#    detector found on it, with sync=true (the frame is a sampled one, so
#    the box is that frame's own);
#  - docs/clarifaioverlay-vlm.png: the colour tour with the reference
#    vision-language model's answer to a prompt drawn as text.
set -eu
cd "$(dirname "$0")/.."

./scripts/build.sh >/dev/null
. scripts/reference-server.sh

overlay() {
  GST_PLUGIN_PATH="$PWD/build/gst/clarifai${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}" \
    /usr/bin/python3 examples/clarifai-overlay.py --api-url "$url" \
    --api-key test-api-key --sync --sink fakesink "$@" >/dev/null
}
overlay --ball --model general-image-detection \
  --snapshot docs/clarifaioverlay.png
echo "wrote docs/clarifaioverlay.png"
overlay --user-id qwen --app-id qwen-VL --model Qwen2_5-VL-7B-Instruct \
  --prompt "Describe the picture in one sentence." \
  --snapshot docs/clarifaioverlay-vlm.png
echo "wrote docs/clarifaioverlay-vlm.png"
