#!/usr/bin/env bash
# run.sh MODULE BUILD_DIR — the Go embedding test: writes the demo database
# (sql/demo/make_marketplace.sh, as ./run.sh demo does) in a scratch
# directory, builds main.go against Debian's mattn/go-sqlite3 and checks
# that it prints the demo's closure list, tests/embed/demo_closures.expected,
# exactly. Exits 77 (ctest: skipped) with the reason when Go or the driver
# is missing (./run.sh test installs golang-go and
# golang-github-mattn-go-sqlite3-dev). The Go build cache is kept in
# BUILD_DIR/embed-go-cache: the first build compiles the driver (cgo, about
# 30 s on 2 cores), later ones reuse it.
set -euo pipefail
module=$(realpath "$1")
build=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../../.." && pwd)
gopath=/usr/share/gocode  # Debian's Go sources (GOPATH layout)
command -v go >/dev/null || { echo "skipped: go is missing (Debian's golang-go; ./run.sh test installs it)"; exit 77; }
[ -d "$gopath/src/github.com/mattn/go-sqlite3" ] ||
  { echo "skipped: $gopath/src/github.com/mattn/go-sqlite3 is missing (Debian's golang-github-mattn-go-sqlite3-dev; ./run.sh test installs it)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$src/sql/demo/make_marketplace.sh" "$tmp/marketplace.db" "$module"
# GOPATH mode against Debian's packaged sources: no module download (no
# network, no proxy). -tags libsqlite3: upstream go-sqlite3 compiles its own
# SQLite amalgamation with cgo unless built with this tag; with it the driver
# links the system's libsqlite3 (Debian's 3.40.1, the one every other test
# loads the module into) and builds in seconds instead of a minute. Debian's
# package ships without the amalgamation, so there the tag only says so.
export GO111MODULE=off GOPATH="$gopath" GOFLAGS= GOPROXY=off GOCACHE="$build/embed-go-cache"
(cd "$here" && go build -tags libsqlite3 -o "$tmp/closures" main.go)
"$tmp/closures" "$tmp/marketplace.db" "$module" > "$tmp/out"
if ! diff -u "$here/../demo_closures.expected" "$tmp/out"; then
  echo "FAIL: the closure list printed by Go differs from tests/embed/demo_closures.expected (- expected, + Go)"
  exit 1
fi
echo "go: the demo's closure list, $(($(wc -l < "$tmp/out") - 1)) shops, as expected: $(tail -n 1 "$tmp/out")"
