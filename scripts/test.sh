#!/bin/sh
# Installs what is missing, builds, and runs every test (C++, C, Python, packaging).
# `scripts/test.sh asan` runs the whole suite under ASan + UBSan instead; `scripts/test.sh tsan`
# builds the C++ tests under ThreadSanitizer and runs the concurrency tests.
set -eu
cd "$(dirname "$0")/.."
preset=${1:-default}
sh scripts/deps.sh
cmake --preset "$preset"
cmake --build --preset "$preset"
ctest --preset "$preset"
