#!/bin/sh
# Installs what is missing (Debian 12 packages) and builds into ./build.
set -eu
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
if [ -f build/build.ninja ]; then
  meson setup --reconfigure build >/dev/null
else
  meson setup build >/dev/null
fi
ninja -C build
