#!/usr/bin/env bash
# run.sh BUILD_DIR — installs the project from BUILD_DIR into a temporary
# prefix, builds tests/embed/cpp against it with find_package(penalty),
# and runs the program.
set -euo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:PATH=//p' "$build/CMakeCache.txt")
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
test -f "$tmp/prefix/$libdir/penalty.so"
test -f "$tmp/prefix/include/penalty.h"
cmake -S "$here" -B "$tmp/build" -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/build" >/dev/null
"$tmp/build/embed_example"
