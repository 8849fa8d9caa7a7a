#!/bin/sh
# The README's second quick-start command: installs what is missing, builds
# and runs the whole test suite.  Its last line, from meson's summary, is
# "N passed, N failed".
set -eu
cd "$(dirname "$0")/.."

./scripts/build.sh
out=$(mktemp)
destdir=$(mktemp -d)
trap 'rm -rf "$out" "$destdir"' EXIT

# The plugin installs into a gstreamer-1.0 plugin directory.
meson install -C build --destdir "$destdir" --quiet
find "$destdir" -path '*/gstreamer-1.0/libgstclarifai.so' | grep -q . ||
  { echo "install: libgstclarifai.so not installed into a gstreamer-1.0 directory"; exit 1; }

status=0
meson test -C build --print-errorlogs "$@" 2>&1 | tee "$out" || true
grep -q '^Fail: *0 *$' "$out" && grep -q '^Timeout: *0 *$' "$out" || status=1

count() {
  v=$(sed -n "s/^$1: *\([0-9]*\) *$/\1/p" "$out" | tail -n 1)
  echo "${v:-0}"
}
passed=$(( $(count Ok) + $(count 'Expected Fail') ))
failed=$(( $(count Fail) + $(count 'Unexpected Pass') + $(count Timeout) ))
[ "$passed" -gt 0 ] || status=1
echo "$passed passed, $failed failed"
exit $status
