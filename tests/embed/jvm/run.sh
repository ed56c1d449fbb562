#!/usr/bin/env bash
# run.sh MODULE — the JVM embedding test: writes the demo database
# (sql/demo/make_marketplace.sh, as ./run.sh demo does) in a scratch
# directory, runs Closures.java (the JDK's source launcher: compiled in
# memory, then run) with Debian's sqlite-jdbc on the class path and checks
# that it prints the demo's closure list, tests/embed/demo_closures.expected,
# exactly. Exits 77 (ctest: skipped) with the reason when the JDK or the
# driver is missing (./run.sh test installs default-jdk-headless and
# libxerial-sqlite-jdbc-java).
set -euo pipefail
module=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../.." && pwd)
jar=/usr/share/java/sqlite-jdbc.jar  # Debian's xerial sqlite-jdbc (its JNI part links libsqlite3)
command -v java >/dev/null && command -v javac >/dev/null ||
  { echo "skipped: a JDK (java and javac) is missing (Debian's default-jdk-headless; ./run.sh test installs it)"; exit 77; }
[ -f "$jar" ] || { echo "skipped: $jar is missing (Debian's libxerial-sqlite-jdbc-java; ./run.sh test installs it)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$src/sql/demo/make_marketplace.sh" "$tmp/marketplace.db" "$module"
java -cp "$jar" "$here/Closures.java" "$tmp/marketplace.db" "$module" > "$tmp/out"
if ! diff -u "$here/../demo_closures.expected" "$tmp/out"; then
  echo "FAIL: the closure list printed by the JVM differs from tests/embed/demo_closures.expected (- expected, + JVM)"
  exit 1
fi
echo "jvm: the demo's closure list, $(($(wc -l < "$tmp/out") - 1)) shops, as expected: $(tail -n 1 "$tmp/out")"
