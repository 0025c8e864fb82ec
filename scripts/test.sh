#!/bin/sh
# Installs what is missing, builds, and runs every test (C++, C, Python, packaging).
# `scripts/test.sh asan` runs the whole suite under ASan + UBSan instead.
set -eu
cd "$(dirname "$0")/.."
preset=${1:-default}
sh scripts/deps.sh
cmake --preset "$preset"
cmake --build --preset "$preset"
ctest --preset "$preset"
