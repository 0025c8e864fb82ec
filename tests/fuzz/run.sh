#!/bin/sh
# Runs each fuzzer for N seconds (default 60) on a scratch copy of its seed corpus.
# Build first: cmake --preset fuzz && cmake --build --preset fuzz
set -eu
cd "$(dirname "$0")/../.."
seconds=${1:-60}
for corpus in tests/fuzz/corpus/*/; do
  name=$(basename "$corpus")
  work=$(mktemp -d)
  cp -r "$corpus." "$work/"
  echo "== fuzz_$name for ${seconds}s"
  "build-fuzz/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -print_final_stats=1 "$work" 2>&1 | tail -12
  rm -rf "$work"
done
