#!/usr/bin/env bash
# run.sh — install what is missing, build, and run penalty.
#
#   ./run.sh demo    set up, build, write the demo database build/marketplace.db,
#                    print its closure lists and how to run each report on it
#   ./run.sh test    set up, build, run the whole test suite (ctest), the
#                    suite again under AddressSanitizer + UBSan (the tests
#                    that embed the module elsewhere are not built there),
#                    the thread tests under ThreadSanitizer (build-tsan/;
#                    PENALTY_TEST_TSAN=0 leaves them out), and a one-minute
#                    fuzzing run; ends with what each ran
#   ./run.sh build   set up and build only (build/penalty.so)
#   ./run.sh dist    set up, build, and write every package into dist/: the
#                    .deb, the Python wheel, the npm tarball,
#                    penalty-VERSION-linux-ARCH.tar.gz (the module, penalty.h,
#                    sql/schema.sql, sql/presets/, sql/reports/, README.md)
#                    and SHA256SUMS (`cd dist && sha256sum -c SHA256SUMS`);
#                    README.md, "Install", says how to install each
#   ./run.sh bench   set up, build, run the benchmark (bench/README.md)
#   ./run.sh fuzz [SECONDS]
#                    set up, build the fuzz target (build-fuzz/) and fuzz for
#                    SECONDS (default 1800: 30 minutes, unseeded) from the
#                    committed corpus fuzz/corpus; new inputs go to
#                    build-fuzz/corpus-new/; ends with libFuzzer's coverage
#                    (cov: edges, ft: features) and the inputs run
#
# Set-up installs missing Debian packages with apt-get (through sudo when
# not root). Nothing is downloaded at build time; the tests also install
# better-sqlite3 from npm when Node.js 20+ is present (tests/embed/node).
# Every command but fuzz builds all of build/ (the module, the static
# library, the tests), so `ctest --test-dir build` and `cmake --install
# build` work after it.
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD

# Every command configures the tests too, so CMake needs python3.
packages=(g++ cmake make sqlite3 libsqlite3-dev libfmt-dev doctest-dev python3)
# The packages (./run.sh dist, tests/packaging): dpkg-dev (dpkg-shlibdeps)
# and file (CPack's .deb generator runs both), python3-build,
# python3-setuptools and python3-wheel (the wheel), and npm (npm pack) when
# there is no npm: Debian's (with its Node.js 18, about 350 small packages);
# a Node.js from elsewhere (NodeSource's 20, which better-sqlite3 12 needs)
# brings its own npm and conflicts with Debian's.
dist_packages=(dpkg-dev file python3-build python3-setuptools python3-wheel)
command -v npm >/dev/null || dist_packages+=(npm)
# The tests: those, clang (fuzzing), python3-venv (the wheel in a venv),
# python3-matplotlib (the docs' plot, docs/plot_balance.py), python3-dask..
# (tests/dask, docs/scale.md), a JDK and xerial's sqlite-jdbc (embed.jvm),
# Go and mattn/go-sqlite3 (embed.go), PHP's CLI and SQLite3 class (embed.php).
test_packages=("${dist_packages[@]}" clang libclang-rt-dev python3-venv
               python3-matplotlib python3-dask python3-distributed python3-pandas
               default-jdk-headless libxerial-sqlite-jdbc-java golang-go golang-github-mattn-go-sqlite3-dev
               php-cli php-sqlite3)

usage() {
  # The header comment above, without its '#'s.
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
}

setup() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "== installing ${missing[*]} (apt-get)"
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# progress: of make's "[ 42%] Building ..." lines on stdin, prints the
# percentage at each quarter as it comes (a read loop: awk would buffer).
progress() {
  local line next_p=0 p
  while IFS= read -r line; do
    [[ $line =~ ^\[\ *([0-9]+)%\]\ Building ]] || continue
    p=${BASH_REMATCH[1]}
    if [ "$p" -ge "$next_p" ]; then
      echo "   $p%"
      next_p=$((p - p % 25 + 25))
    fi
  done
}

# build PRESET DIR WHAT ABOUT [TARGET...]: configure and build, printing a
# progress line at every quarter and the time taken; the log is shown when
# the build fails.
build() {
  local preset=$1 dir=$2 what=$3 about=$4 start=$SECONDS
  local target=()
  [ $# -ge 5 ] && target=(--target "${@:5}")
  echo "== building $what in $dir/ ($about on 2 cores)"
  cmake --preset "$preset" > "$work/configure.log" 2>&1 || { cat "$work/configure.log"; exit 1; }
  if ! cmake --build "$dir" -j"$(nproc)" "${target[@]}" 2>&1 | tee "$work/build.log" | progress; then
    tail -n 60 "$work/build.log"
    echo "run.sh: building $dir/ failed (the end of its log is above)"
    exit 1
  fi
  echo "   built in $((SECONDS - start)) s"
}

# ctest_stage DIR [REGEX]: runs the suite of DIR (the tests matching REGEX);
# prints each skipped test with its
# reason (the first output line of the test, from ctest's log) and leaves
# "N passed[, M skipped]" in $stage_result. Exits when a test fails.
ctest_stage() {
  local dir=$1 start=$SECONDS status=0
  local only=()
  [ $# -ge 2 ] && only=(-R "$2")
  ctest --test-dir "$dir" --output-on-failure -j"$(nproc)" "${only[@]}" 2>&1 | tee "$work/ctest.log" || status=$?
  local passed skipped
  passed=$(grep -cE 'Test +#[0-9]+: .* Passed' "$work/ctest.log" || true)
  skipped=$(grep -E 'Test +#[0-9]+: .*\*\*\*Skipped' "$work/ctest.log" | sed -E 's/.*Test +#[0-9]+: ([^ ]+) .*/\1/' || true)
  stage_result="$passed passed"
  if [ -n "$skipped" ]; then
    stage_result+=", $(echo "$skipped" | wc -l) skipped"
    for name in $skipped; do
      local reason
      reason=$(awk -v t="$name" '$0 ~ "^[0-9]+/[0-9]+ Test: " t "$" { found = 1 }
                                 found && /^<end of output>/ { exit }
                                 found && out && !/^-+$/ { last = $0 }
                                 found && /^Output:/ { out = 1 }
                                 END { print last }' "$dir/Testing/Temporary/LastTest.log")
      reason=${reason#skipped: }
      echo "   $name was skipped: ${reason:-it printed no reason}"
      stage_result+=" ($name: ${reason:-no reason printed})"
    done
  fi
  echo "   $dir/: $stage_result in $((SECONDS - start)) s"
  [ "$status" -eq 0 ] || { echo "run.sh: tests failed in $dir/ (their output is above)"; exit 1; }
}

# fuzz_stage SECONDS CORPUS [FLAG...]: builds the fuzz target and fuzzes
# for SECONDS from fuzz/corpus, writing new inputs into CORPUS; prints
# libFuzzer's last line (cov: edges covered, ft: features, corp: inputs) and
# peak memory, and leaves "S s, N inputs, cov C, ft F, 0 crashes" in
# $stage_result. Exits, showing the end of the log, on a crash.
fuzz_stage() {
  local seconds=$1 corpus=$2
  build fuzz build-fuzz "the fuzz target (clang, libFuzzer)" "a few minutes" fuzz_penalty
  echo "== fuzzing for $seconds seconds (libFuzzer, ASan + UBSan)"
  # Crash, leak and slow inputs go to build-fuzz/, not the working directory.
  if ! ./build-fuzz/fuzz_penalty "${@:3}" -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix=build-fuzz/ "$corpus" fuzz/corpus > "$work/fuzz.log" 2>&1; then
    tail -n 60 "$work/fuzz.log"
    echo "${summary:+$summary; }fuzz: $seconds s, 1 crash (above)"
    exit 1
  fi
  grep -E "^(Done|stat::peak_rss_mb)" "$work/fuzz.log"
  local runs last cov ft
  runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$work/fuzz.log")
  last=$(grep -E '^#[0-9]+.* cov: [0-9]+ ft: [0-9]+' "$work/fuzz.log" | tail -n 1 || true)
  echo "   ${last:-libFuzzer printed no coverage line}"
  cov=$(sed -nE 's/.* cov: ([0-9]+) .*/\1/p' <<< "$last")
  ft=$(sed -nE 's/.* ft: ([0-9]+) .*/\1/p' <<< "$last")
  stage_result="$seconds s, ${runs:-?} inputs, cov ${cov:-?}, ft ${ft:-?}, 0 crashes"
}

# The names of the tests ctest knows in DIR, one a line.
test_names() {
  ctest --test-dir "$1" -N | sed -nE 's/^ *Test +#[0-9]+: (.*)$/\1/p' | sort
}

case "${1:-}" in
  demo)
    setup "${packages[@]}"
    build default build "the module, the static library and the tests" "a few minutes"
    db=$root/build/marketplace.db
    echo "== writing the demo database $db"
    sql/demo/make_marketplace.sh "$db" "$root/build/penalty"
    echo
    sqlite3 -batch "$db" -cmd ".load $root/build/penalty" < sql/demo/demo.sql
    echo
    echo "The demo database is $db. Next, the reports (README.md, \"Reports\"), each with:"
    for report in sql/reports/*.sql; do
      echo "  sqlite3 -box '$db' -cmd '.load $root/build/penalty' < '$root/$report'"
    done
    echo "Other modes: -csv -header, -json, -line, -markdown; long reasons and notes read best with"
    echo "  -cmd '.mode box --wrap 60 --wordwrap on' in place of -box."
    ;;
  test)
    setup "${packages[@]}" "${test_packages[@]}"
    if command -v npm >/dev/null && [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -ge 20 ] &&
       [ ! -d tests/embed/node/node_modules/better-sqlite3 ]; then
      echo "== installing better-sqlite3 for tests/embed/node (npm)"
      (cd tests/embed/node && npm install --no-audit --no-fund --loglevel=error >/dev/null)
    fi
    build default build "the module, the static library and the tests" "a few minutes"
    echo "== running the test suite (ctest, build/)"
    ctest_stage build
    summary="ctest: $stage_result"
    build asan build-asan "the sanitizer build (AddressSanitizer + UBSan)" "about 12 min"
    echo "== running the suite under AddressSanitizer + UBSan (ctest, build-asan/; slower: every test under the sanitizers)"
    ctest_stage build-asan
    not_built=$(comm -23 <(test_names build) <(test_names build-asan) | tr '\n' ' ')
    summary+="; asan: $stage_result"
    [ -n "$not_built" ] && summary+=", $(echo $not_built | wc -w) not built under ASan: ${not_built% }"
    if [ "${PENALTY_TEST_TSAN:-1}" != 0 ]; then
      # Only the thread tests (tests/capi/test_threads.cpp: every threads
      # setting and read strategy; the pool's unit tests; the WAL threads):
      # the whole suite under TSan would take as long as the ASan stage.
      build tsan build-tsan "the thread tests under ThreadSanitizer" "about 2.5 min" \
            unit_tests capi_threads capi_parallel_read concurrency_tests
      echo "== running the thread tests under ThreadSanitizer (ctest, build-tsan/)"
      ctest_stage build-tsan '^(unit\.worker_pool|capi\.threads|capi\.parallel_read\.tsan|reliability\.concurrency)$'
      summary+="; tsan: $stage_result"
    else
      summary+="; tsan: not run (PENALTY_TEST_TSAN=0)"
    fi
    mkdir "$work/corpus"
    # A fixed seed: the CI run is reproducible (fuzz longer, unseeded: ./run.sh fuzz).
    fuzz_stage 60 "$work/corpus" -seed=20171201
    echo "$summary; fuzz: $stage_result"
    ;;
  fuzz)
    seconds=${2:-1800}
    [[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "run.sh fuzz: SECONDS must be a positive whole number, not '$seconds'"; exit 2; }
    setup "${packages[@]}" clang libclang-rt-dev
    mkdir -p build-fuzz/corpus-new
    fuzz_stage "$seconds" build-fuzz/corpus-new
    echo "fuzz: $stage_result; new inputs in $root/build-fuzz/corpus-new/"
    ;;
  build)
    setup "${packages[@]}"
    build default build "the module, the static library and the tests" "a few minutes"
    ;;
  dist)
    setup "${packages[@]}" "${dist_packages[@]}"
    build default build "the module, the static library and the tests" "a few minutes"
    echo "== writing every package into $root/dist/ (cmake/dist.sh)"
    rm -rf dist
    bash cmake/dist.sh build dist | sed 's/^/   /'
    echo "Check them with: (cd dist && sha256sum -c SHA256SUMS); README.md, \"Install\", says how to install each."
    ;;
  bench)
    setup "${packages[@]}"
    build default build "the module, the static library and the tests" "a few minutes"
    bash bench/run.sh "${@:2}"
    ;;
  *)
    usage; exit 2
    ;;
esac
