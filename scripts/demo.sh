#!/bin/sh
# Installs what is missing, builds, and runs the main job: `quotaflow demo` on the sample company.
set -eu
cd "$(dirname "$0")/.."
sh scripts/deps.sh
cmake --preset default > /dev/null
cmake --build --preset default --target quotaflow_cli
./build/bin/quotaflow demo "$@"
