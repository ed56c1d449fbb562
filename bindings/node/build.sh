#!/usr/bin/env bash
# build.sh MODULE VERSION OUTDIR — packs the npm package sqlite-penalty
# (bindings/node/) with the module MODULE (build/penalty.so, stripped) bundled as
# penalty.so, at version VERSION (project() in CMakeLists.txt), into OUTDIR
# with `npm pack`, and prints the tarball's path. No network.
# `cmake --build build --target npm_package` runs it.
set -euo pipefail
module=$1
version=$2
outdir=$3
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$module" ] || { echo "build.sh: no module at $module (build the target penalty first)" >&2; exit 1; }
command -v npm >/dev/null || { echo "build.sh: npm is missing" >&2; exit 1; }
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$here/package.json" "$here/index.js" "$here/index.d.ts" "$here/README.md" "$stage/"
strip -o "$stage/penalty.so" "$module"
(cd "$stage" && npm pkg set "version=$version" && npm pack --silent --pack-destination "$outdir" >/dev/null)
tarball="$outdir/sqlite-penalty-$version.tgz"
[ -f "$tarball" ] || { echo "build.sh: npm pack did not write $tarball" >&2; exit 1; }
echo "$tarball"
