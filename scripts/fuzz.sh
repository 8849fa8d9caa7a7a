#!/bin/sh
# Builds the libFuzzer targets with clang, ASan and UBSan into ./build-fuzz
# (the v1 tag, token and info parsers, and the v2 dialect's parser and
# answer reading) and runs each for FUZZ_SECONDS (default 60) from the seed corpus in
# tests/fuzz/corpus.  Fails on any crash, leak or sanitizer report.
set -eu
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang meson setup build-fuzz -Dfuzzing=enabled -Dtests=disabled \
    -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
ninja -C build-fuzz >/dev/null

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
status=0
for target in tag token info v2; do
  work=$(mktemp -d)
  echo "fuzz-$target: $seconds s"
  if ! build-fuzz/tests/fuzz/fuzz-$target -max_total_time="$seconds" \
      -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$work/" "$work" "tests/fuzz/corpus/$target" \
      >"$work/log" 2>&1; then
    tail -n 60 "$work/log"
    echo "fuzz-$target: FAILED (artifacts in $work)"
    status=1
    continue
  fi
  grep -E '^stat::number_of_executed_units|^Done' "$work/log" | tr '\n' ' '
  echo
  echo "fuzz-$target: OK"
  rm -rf "$work"
done
exit $status
