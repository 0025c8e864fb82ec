#!/bin/sh
# Runs each fuzzer for N seconds (default 60), one at a time, on a scratch copy of its seed
# corpus, and prints libFuzzer's final stats (exec/s, cov, ft, corpus size) for docs/reliability.md.
#   sh tests/fuzz/run.sh [SECONDS [TARGET...]]      e.g. sh tests/fuzz/run.sh 600 capi_calls
# Build first: cmake --preset fuzz && cmake --build --preset fuzz (FUZZ_BUILD names another
# build dir). Findings (crash-*, leak-*, timeout-*) are kept in FUZZ_ARTIFACTS (default
# fuzz-artifacts/): fix them, then add each input to tests/fuzz/corpus/<target>/.
set -eu
cd "$(dirname "$0")/../.."
seconds=${1:-60}
[ $# -gt 0 ] && shift
root=$(pwd)
build=$(cd "${FUZZ_BUILD:-build-fuzz}" && pwd)
mkdir -p "${FUZZ_ARTIFACTS:-fuzz-artifacts}"
artifacts=$(cd "${FUZZ_ARTIFACTS:-fuzz-artifacts}" && pwd)
if [ $# -gt 0 ]; then targets="$*"; else targets=$(ls tests/fuzz/corpus); fi
status=0
for name in $targets; do
  work=$(mktemp -d)
  logs=$(mktemp -d)
  cp -r "$root/tests/fuzz/corpus/$name/." "$work/"
  echo "== fuzz_$name for ${seconds}s ($(date -u +%Y-%m-%dT%H:%MZ))"
  # One worker on one core: the machine is shared. With -jobs libFuzzer runs the job in a child
  # process that logs to fuzz-0.log in the current folder. -print_final_stats gives cov/ft/exec/s.
  (cd "$logs" && nice -n 10 "$build/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -print_final_stats=1 \
    -jobs=1 -workers=1 -artifact_prefix="$artifacts/${name}-" "$work" >"$logs/driver.log" 2>&1) || status=1
  grep -hE "INITED|DONE|^stat::|ERROR|SUMMARY|Test unit written|exited with" "$logs"/*.log | awk '!seen[$0]++' | tail -20
  echo "corpus files: $(ls "$work" | wc -l)"
  rm -rf "$work" "$logs"
done
exit $status
