#!/bin/sh
# Installs the Debian packages clarifaitag needs to build, test and run
# its demo, on Debian 12 (bookworm) and 13 (trixie) alike.  Safe to run
# again: packages already present are skipped.
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
"

# GstAnalytics comes with GStreamer 1.24, in Debian 13: its headers, its
# introspection data and objectdetectionoverlay, for the analytics metas
# and their checks.  Debian 12's GStreamer (1.22) has none of it.
. /etc/os-release
if [ "${VERSION_ID:-99}" -ge 13 ] 2>/dev/null; then
  PACKAGES="$PACKAGES
  libgstreamer-plugins-bad1.0-dev
  gir1.2-gst-plugins-bad-1.0
  gstreamer1.0-plugins-bad
"
fi

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
    missing="$missing $p"
  fi
done

install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages:$* (run as root, or install them)" >&2
    exit 1
  fi
  echo "install-deps: installing $*"
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${updated:-}" ]; then
    apt-get update -q
    updated=yes
  fi
  # shellcheck disable=SC2086
  apt-get install -y -q --no-install-recommends "$@"
}

if [ -n "$missing" ]; then
  # shellcheck disable=SC2086
  install $missing
fi

# The sanitizer and fuzzer runtime of the installed clang: its version is
# Debian's default (14 in Debian 12, 19 in Debian 13).
clang_major=$(clang --version | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -n 1)
if ! dpkg-query -W -f '${Status}' "libclang-rt-$clang_major-dev" 2>/dev/null |
  grep -q 'ok installed'; then
  install "libclang-rt-$clang_major-dev"
fi
