#!/bin/sh
# Builds and runs the benchmarks (docs/performance.md): every figure with
# its baseline and ratio.  Arguments: b1 ... b16 or all
# (default).
# CLARIFAI_BENCH_FRAMES sets B4's frame count (default 100000).
set -eu
cd "$(dirname "$0")/.."

./scripts/build.sh >/dev/null
export GST_PLUGIN_PATH="$PWD/build/gst/clarifai"
export CLARIFAI_REFERENCE_SERVER="$PWD/build/tests/server/clarifai-reference-server"
echo "== $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
# Each figure in a process of its own, so that one's memory does not show
# in the next one's RSS.
if [ "${1:-all}" = all ]; then
  for b in b1 b2 b3 b4 b5 b6 b7 b8 b9 b10 b11 b12 b13 b14 b15 b16; do
    build/tests/bench/clarifai-bench "$b"
  done
else
  build/tests/bench/clarifai-bench "$1"
fi
