#!/bin/sh
# Installs the Debian 12 packages quotaflow needs that are missing. As root it runs apt-get;
# otherwise it prints the exact command and stops. Pass --fuzz to add clang-14 and libFuzzer.
set -eu
packages="g++ cmake ninja-build pkg-config binutils
  libboost-dev libboost-date-time-dev libboost-graph-dev libmsgsl-dev libcli11-dev zlib1g-dev
  googletest libgtest-dev libbenchmark-dev
  pybind11-dev python3-dev python3-numpy python3-pandas python3-pytest python3-hypothesis
  python3-pip python3-setuptools python3-matplotlib"
if [ "${1:-}" = "--fuzz" ]; then packages="$packages clang-14 libclang-rt-14-dev"; fi
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "quotaflow needs these Debian packages; run as root:" >&2
  echo "  apt-get update && apt-get install -y$missing" >&2
  exit 1
fi
echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $missing
