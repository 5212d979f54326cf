#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (a second build tree, without the
# RTL; every library instrumented so coverage guides the search into the
# datapath and the config loader) and runs each for a fixed number of inputs
# from a fixed seed, so a run is repeatable.
# usage: fuzz.sh [DATAPATH_RUNS [CONFIG_RUNS]]  (the config loader forks a
# guarded parse per input, so it runs far fewer inputs a second)
set -euo pipefail
cd "$(dirname "$0")/.."
DATAPATH_RUNS=${1:-200000}
CONFIG_RUNS=${2:-5000}
FUZZ_DIR=${FUZZ_DIR:-build-fuzz}
if [ ! -f "$FUZZ_DIR/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$FUZZ_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMPLSEC_WITH_RTL=OFF \
    -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" >/dev/null
fi
cmake --build "$FUZZ_DIR" --target fuzz_datapath fuzz_config -j "$(nproc)"
for target in fuzz_datapath fuzz_config; do
  RUNS=$DATAPATH_RUNS
  [ "$target" = fuzz_config ] && RUNS=$CONFIG_RUNS
  corpus="$FUZZ_DIR/corpus/$target"
  mkdir -p "$corpus"
  echo "== $target: $RUNS inputs"
  "$FUZZ_DIR/tests/fuzz/$target" -runs="$RUNS" -seed=1 -max_len=10000 -timeout=30 -print_final_stats=1 -artifact_prefix="$FUZZ_DIR/$target-" "$corpus" >"$FUZZ_DIR/$target.log" 2>&1 || {
    tail -40 "$FUZZ_DIR/$target.log"
    exit 1
  }
  grep -E "^stat::(number_of_executed_units|new_units_added|peak_rss_mb)" "$FUZZ_DIR/$target.log"
done
