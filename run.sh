#!/usr/bin/env bash
# run.sh — install what is missing, build, and run penalty.
#
#   ./run.sh demo    set up, build, print the demo closure list
#   ./run.sh test    set up, build, run the whole test suite (ctest), the
#                    same suite under AddressSanitizer + UBSan, and a
#                    one-minute fuzzing run
#   ./run.sh build   set up and build only (build/penalty.so)
#   ./run.sh bench   set up, build, run the benchmark (bench/README.md)
#
# Set-up installs missing Debian packages with apt-get (through sudo when
# not root). Nothing is downloaded at build time; the tests also install
# better-sqlite3 from npm when Node.js 20+ is present (tests/embed/node).
set -euo pipefail
cd "$(dirname "$0")"

packages=(g++ cmake make sqlite3 libsqlite3-dev libfmt-dev doctest-dev)
test_packages=(python3 clang libclang-rt-dev python3-dask python3-distributed python3-pandas)

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

case "${1:-}" in
  demo)
    setup "${packages[@]}"
    cmake --preset default -DPENALTY_TESTS=OFF >/dev/null
    cmake --build build -j"$(nproc)" --target penalty >/dev/null
    sqlite3 -batch :memory: -cmd ".load build/penalty" < sql/demo/demo.sql
    ;;
  test)
    setup "${packages[@]}" "${test_packages[@]}"
    if command -v npm >/dev/null && [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -ge 20 ] &&
       [ ! -d tests/embed/node/node_modules/better-sqlite3 ]; then
      (cd tests/embed/node && npm install --no-audit --no-fund --loglevel=error >/dev/null)
    fi
    cmake --preset default >/dev/null
    cmake --build build -j"$(nproc)" >/dev/null
    ctest --test-dir build --output-on-failure -j"$(nproc)"
    echo "== the same suite under AddressSanitizer + UndefinedBehaviorSanitizer"
    cmake --preset asan >/dev/null
    cmake --build build-asan -j"$(nproc)" >/dev/null
    ctest --test-dir build-asan --output-on-failure -j"$(nproc)"
    echo "== fuzzing for 60 seconds (libFuzzer, ASan + UBSan)"
    cmake --preset fuzz >/dev/null
    cmake --build build-fuzz -j"$(nproc)" --target fuzz_penalty >/dev/null
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    # A fixed seed: the CI run is reproducible (fuzz longer, unseeded, by hand).
    if ! ./build-fuzz/fuzz_penalty -seed=20171201 -max_total_time=60 -rss_limit_mb=2048 -print_final_stats=1 \
         "$work" fuzz/corpus > "$work/fuzz.log" 2>&1; then
      tail -n 60 "$work/fuzz.log"
      echo "fuzz: 0 passed, 1 failed"
      exit 1
    fi
    grep -E "^(Done|stat::peak_rss_mb)" "$work/fuzz.log"
    echo "fuzz: 1 passed, 0 failed"
    ;;
  build)
    setup "${packages[@]}"
    cmake --preset default >/dev/null
    cmake --build build -j"$(nproc)"
    ;;
  bench)
    setup "${packages[@]}"
    cmake --preset default -DPENALTY_TESTS=OFF >/dev/null
    cmake --build build -j"$(nproc)" --target penalty >/dev/null
    bash bench/run.sh "${@:2}"
    ;;
  *)
    sed -n '2,14p' "$0"; exit 2
    ;;
esac
