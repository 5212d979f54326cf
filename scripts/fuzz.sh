#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (a second build tree, without the
# RTL) and runs each for a bounded time. usage: fuzz.sh [SECONDS_PER_TARGET]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-30}
FUZZ_DIR=${FUZZ_DIR:-build-fuzz}
if [ ! -f "$FUZZ_DIR/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$FUZZ_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMPLSEC_WITH_RTL=OFF >/dev/null
fi
cmake --build "$FUZZ_DIR" --target fuzz_datapath fuzz_config -j "$(nproc)"
for target in fuzz_datapath fuzz_config; do
  corpus="$FUZZ_DIR/corpus/$target"
  mkdir -p "$corpus"
  echo "== $target for ${SECONDS_EACH}s"
  "$FUZZ_DIR/tests/fuzz/$target" -max_total_time="$SECONDS_EACH" -max_len=10000 -print_final_stats=1 "$corpus" 2>&1 | tail -4
done
