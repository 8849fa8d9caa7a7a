#!/bin/sh
# Builds the libFuzzer targets with clang, ASan and UBSan into ./build-fuzz
# (the v1 tag, token and info parsers, and the v2 dialect's parser and
# answer reading) and runs each for FUZZ_SECONDS (default 60) from the seed
# corpus in tests/fuzz/corpus, as many at once as there are cores.  Fails on
# any crash, leak or sanitizer report.
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

# One fuzzer per core at a time (each is single-threaded): on CI's two
# cores the four take two rounds of $seconds, not four.
jobs=$(nproc)
fuzz() {
  if build-fuzz/tests/fuzz/fuzz-"$1" -max_total_time="$seconds" \
      -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$2/" "$2" "tests/fuzz/corpus/$1" >"$2/log" 2>&1; then
    echo ok >"$2/status"
  else
    echo failed >"$2/status"
  fi
}
runs=""
n=0
for target in tag token info v2; do
  work=$(mktemp -d)
  runs="$runs $target:$work"
  echo "fuzz-$target: $seconds s"
  fuzz "$target" "$work" &
  n=$((n + 1))
  [ $((n % jobs)) -ne 0 ] || wait
done
wait

status=0
for run in $runs; do
  target=${run%%:*}
  work=${run#*:}
  if [ "$(cat "$work/status")" != ok ]; then
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
