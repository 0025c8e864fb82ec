#!/bin/sh
# Installs the built tree into a temporary prefix, then builds and runs outside consumers:
# a CMake project using find_package(quotaflow) and a C program using pkg-config.
set -eu
build_dir=$1; source_dir=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
cmake --install "$build_dir" --prefix "$prefix" > "$work/install.log"

cmake -S "$source_dir/tests/cmake/cpp_consumer" -B "$work/cpp" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release > "$work/cpp.log"
cmake --build "$work/cpp" >> "$work/cpp.log" || { cat "$work/cpp.log"; exit 1; }
LD_LIBRARY_PATH="$prefix/lib" "$work/cpp/cpp_consumer"

libdir=$(ls -d "$prefix"/lib*/pkgconfig | head -1)
flags=$(PKG_CONFIG_PATH="$libdir" pkg-config --cflags --libs quotaflow)
cc -std=c99 -pedantic -Wall -Werror "$source_dir/tests/cmake/c_consumer/main.c" $flags -o "$work/c_consumer"
LD_LIBRARY_PATH="$(dirname "$libdir")" "$work/c_consumer"
# The installed library carries its SONAME, and the unversioned link name points at it.
objdump -p "$(dirname "$libdir")/libquotaflow_c.so" | grep -q 'SONAME *libquotaflow_c.so.0'
echo "consumers: ok"
