#!/bin/sh
# Installs the Debian 12 packages clarifaitag needs to build, test and run
# its demo.  Safe to run again: packages already present are skipped.
set -eu

PACKAGES="
  build-essential
  pkg-config
  meson
  ninja-build
  libglib2.0-dev
  libgstreamer1.0-dev
  libgstreamer-plugins-base1.0-dev
  gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good
  gstreamer1.0-tools
  libsoup-3.0-dev
  libjson-glib-dev
  libturbojpeg0-dev
  libpango1.0-dev
  libmosquitto-dev
  mosquitto
  mosquitto-clients
  fonts-dejavu-core
  gstreamer1.0-x
  indent
  python3-gi
  gir1.2-gstreamer-1.0
  glib-networking
  python3-gst-1.0
  valgrind
  clang
  libclang-rt-14-dev
"

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
    missing="$missing $p"
  fi
done

if [ -n "$missing" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages:$missing (run as root, or install them)" >&2
    exit 1
  fi
  echo "install-deps: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # shellcheck disable=SC2086
  apt-get install -y -q --no-install-recommends $missing
fi
