#!/bin/sh
# Builds and tests clarifaitag a second time in a Debian 13 (trixie:
# GStreamer 1.26, GLib 2.84, json-glib 1.10) root, made with debootstrap
# from the Debian archive apt is configured with, and kept for the next run
# in $CLARIFAI_DEBIAN13_ROOT (default /var/cache/clarifaitag/debian13).
#
#   scripts/debian13.sh                 meson test and the fuzzers (CI's run)
#   scripts/debian13.sh COMMAND...      COMMAND in the root's copy of the
#                                       source (/src), e.g. ./scripts/test.sh
#
# The root gets a fresh copy of this working tree's files (those git
# tracks, and untracked ones it does not ignore) and installs what is
# missing with scripts/install-deps.sh, as on a new machine.  Its last line
# is the command's: for CI's run, "N passed, N failed".
set -eu
cd "$(dirname "$0")/.."

root=${CLARIFAI_DEBIAN13_ROOT:-/var/cache/clarifaitag/debian13}
[ "$(id -u)" -eq 0 ] || { echo "debian13: run as root (debootstrap, chroot)" >&2; exit 1; }

# The mirror apt uses here, so that the root comes from where this machine
# reaches Debian.
mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources \
  2>/dev/null | grep -v security | head -n 1 || true)
[ -n "$mirror" ] || mirror=$(sed -n 's/^deb  *\(http[^ ]*\) .*/\1/p' \
  /etc/apt/sources.list 2>/dev/null | grep -v security | head -n 1 || true)
mirror=${mirror:-http://deb.debian.org/debian}

if [ ! -x "$root/usr/bin/apt-get" ]; then
  if ! command -v debootstrap >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap
  fi
  echo "debian13: debootstrap trixie from $mirror into $root"
  rm -rf "$root.tmp"
  mkdir -p "$(dirname "$root")"
  debootstrap --variant=minbase trixie "$root.tmp" "$mirror" >"$root.log" 2>&1 ||
    { tail -n 20 "$root.log"; exit 1; }
  mv "$root.tmp" "$root"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"

mounted=""
cleanup() {
  for m in $mounted; do
    umount -l "$root$m" 2>/dev/null || true
  done
}
trap cleanup EXIT INT TERM
# /dev/shm last: it is inside /dev
for m in /proc /sys /dev /dev/pts /dev/shm; do
  case $m in
    /proc) mount -t proc proc "$root/proc" ;;
    /sys) mount -t sysfs sysfs "$root/sys" ;;
    /dev/shm) mount -t tmpfs tmpfs "$root/dev/shm" ;;
    *) mount --bind "$m" "$root$m" ;;
  esac
  mounted="$m $mounted"
done

rm -rf "$root/src"
mkdir -p "$root/src"
git ls-files -z --cached --others --exclude-standard |
  tar --null -T - -cf - | tar -C "$root/src" -xf -

if [ $# -eq 0 ]; then
  set -- env CLARIFAI_TEST_STAGES="meson fuzz" ./scripts/test.sh
fi
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
  HOME=/root LANG=C.UTF-8 TERM=dumb CI="${CI:-}" \
  FUZZ_SECONDS="${FUZZ_SECONDS:-60}" \
  sh -c 'cd /src && exec "$@"' sh "$@"
