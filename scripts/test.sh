#!/bin/sh
# The README's second quick-start command: installs what is missing, builds
# and runs the whole test suite: the meson tests, the C tests again under
# valgrind memcheck and under ASan+UBSan, the publishing checks in a build
# without MQTT, the parser fuzzers (FUZZ_SECONDS each, default 60), and the
# meson tests and fuzzers once more in a Debian 13 root
# (scripts/debian13.sh).  Its last line is "N passed, N failed", summed
# over the six.  CLARIFAI_TEST_STAGES names the stages to run (default:
# "meson memcheck asan nomqtt fuzz debian13").
set -eu
cd "$(dirname "$0")/.."

stages=${CLARIFAI_TEST_STAGES:-meson memcheck asan nomqtt fuzz debian13}
want() {
  case " $stages " in
    *" $1 "*) return 0 ;;
  esac
  return 1
}

./scripts/build.sh
out=$(mktemp)
destdir=$(mktemp -d)
trap 'rm -rf "$out" "$destdir"' EXIT

# The plugin installs into a gstreamer-1.0 plugin directory.
meson install -C build --destdir "$destdir" --quiet
find "$destdir" -path '*/gstreamer-1.0/libgstclarifai.so' | grep -q . ||
  { echo "install: libgstclarifai.so not installed into a gstreamer-1.0 directory"; exit 1; }

passed=0
failed=0
count() {
  v=$(sed -n "s/^$1: *\([0-9]*\) *$/\1/p" "$out" | tail -n 1)
  echo "${v:-0}"
}
# Runs meson test in the build directory $1 with the other arguments and
# adds up its summary; a run without a summary counts as a failure.
run_meson() {
  dir=$1
  shift
  : >"$out"
  meson test -C "$dir" --print-errorlogs "$@" 2>&1 | tee "$out" || true
  if ! grep -q '^Ok:' "$out"; then
    failed=$((failed + 1))
    return
  fi
  passed=$((passed + $(count Ok) + $(count 'Expected Fail')))
  failed=$((failed + $(count Fail) + $(count 'Unexpected Pass') + $(count Timeout)))
}

if want meson; then
  echo "== meson test"
  run_meson build
fi
if want memcheck; then
  echo "== meson test under valgrind memcheck"
  run_meson build --setup memcheck --suite pure --suite elements --num-processes 2
fi

# Leaks are memcheck's to find: LeakSanitizer's fast unwinder reports a
# GLib-internal buffer now and then.  The plugin is scanned in-process, as
# the registry scanner is not built with ASan.  Each meson test runs one
# check, so check need not fork: a fork after Pango started a thread hangs
# under ASan (Debian 13).
if want asan; then
  echo "== meson test under ASan and UBSan"
  if [ ! -f build-asan/build.ninja ]; then
    meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false \
      >/dev/null
  fi
  ninja -C build-asan >/dev/null
  rm -f build-asan/tests/registry-*.bin
  export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
  export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 GST_REGISTRY_FORK=no
  export CK_FORK=no
  run_meson build-asan --suite pure --suite elements --num-processes 2
  unset ASAN_OPTIONS UBSAN_OPTIONS GST_REGISTRY_FORK CK_FORK
fi

# Without libmosquitto, mqtt:// is a start-up error that names the
# feature, and files still work.
if want nomqtt; then
  echo "== meson test without the mqtt feature"
  if [ ! -f build-nomqtt/build.ninja ]; then
    meson setup build-nomqtt -Dmqtt=disabled >/dev/null
  fi
  ninja -C build-nomqtt gst/clarifai/libgstclarifai.so \
    tests/test-clarifaipublish >/dev/null
  run_meson build-nomqtt --no-rebuild publish_bad_uri publish_file_schema
fi

if want fuzz; then
  echo "== fuzzing"
  : >"$out"
  ./scripts/fuzz.sh 2>&1 | tee "$out" || true
  passed=$((passed + $(grep -c '^fuzz-[a-z0-9]*: OK$' "$out" || true)))
  failed=$((failed + $(grep -c '^fuzz-[a-z0-9]*: FAILED' "$out" || true)))
  [ "$(grep -c '^fuzz-[a-z0-9]*: ' "$out" | tr -d ' ')" -gt 0 ] || failed=$((failed + 1))
fi

# Its lines are marked, so that only the last line here is a summary.  On
# Debian 13 itself the stages above were that run already.
if want debian13 && ! grep -q '^13' /etc/debian_version 2>/dev/null; then
  echo "== Debian 13 root: meson test and the fuzzers"
  : >"$out"
  ./scripts/debian13.sh 2>&1 | sed -u 's/^/debian13| /' | tee "$out" || true
  sum=$(sed -n 's/^debian13| \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$out" |
    tail -n 1)
  if [ -n "$sum" ]; then
    passed=$((passed + ${sum% *}))
    failed=$((failed + ${sum#* }))
  else
    failed=$((failed + 1))
  fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
