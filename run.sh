#!/usr/bin/env bash
# run.sh — install what is missing, build, and run penalty.
#
#   ./run.sh demo    set up, build, print the demo closure list
#   ./run.sh test    set up, build, run the whole test suite (ctest), also
#                    under AddressSanitizer + UBSan
#   ./run.sh build   set up and build only (build/penalty.so)
#   ./run.sh bench   set up, build, run the benchmark (bench/README.md)
#
# Set-up installs missing Debian packages with apt-get (through sudo when
# not root). Nothing is downloaded at build time.
set -euo pipefail
cd "$(dirname "$0")"

packages=(g++ cmake make sqlite3 libsqlite3-dev libfmt-dev doctest-dev)
test_packages=(python3 clang libclang-rt-14-dev)

setup() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "run.sh: installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() {  # build DIR [cmake options...]
  local dir=$1; shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir" -j"$(nproc)"
}

case "${1:-}" in
  demo)
    setup "${packages[@]}"
    build build -DPENALTY_TESTS=OFF >/dev/null
    sqlite3 -batch :memory: -cmd ".load build/penalty" < sql/demo/demo.sql
    ;;
  test)
    setup "${packages[@]}" "${test_packages[@]}"
    build build >/dev/null
    ctest --test-dir build --output-on-failure -j"$(nproc)"
    echo "== the same suite under AddressSanitizer + UndefinedBehaviorSanitizer"
    build build-asan -DPENALTY_SANITIZE=ON >/dev/null
    ctest --test-dir build-asan --output-on-failure -j"$(nproc)"
    ;;
  build)
    setup "${packages[@]}"
    build build
    ;;
  bench)
    setup "${packages[@]}"
    build build -DPENALTY_TESTS=OFF >/dev/null
    bash bench/run.sh "${@:2}"
    ;;
  *)
    sed -n '2,13p' "$0"; exit 2
    ;;
esac
