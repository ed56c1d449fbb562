#!/usr/bin/env bash
# npm_test.sh BUILD_DIR VERSION — packs sqlite-penalty (bindings/node/build.sh),
# installs the tarball with better-sqlite3@12 (from the npm registry) into a
# scratch project and runs npm_check.js there. Exits 77 (ctest: skipped),
# saying why, without npm or Node.js 20+ (better-sqlite3 12 needs it).
set -euo pipefail
build=$(cd "$1" && pwd)
version=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
command -v npm >/dev/null || { echo "skipped: npm is missing (Node.js 20+ with npm is needed)"; exit 77; }
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[ "$major" -ge 20 ] || { echo "skipped: better-sqlite3 12 needs Node.js 20 or newer (found ${major})"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tarball=$(bash "$src/bindings/node/build.sh" "$build/penalty.so" "$version" "$tmp/dist")
files=$(tar tzf "$tarball" | sort | tr '\n' ' ')
[ "$files" = "package/README.md package/index.d.ts package/index.js package/package.json package/penalty.so " ] ||
  { echo "FAIL: the tarball holds: $files"; exit 1; }
# better-sqlite3 12, built once: the copy ./run.sh test installs for embed.node,
# else one installed from the npm registry into BUILD_DIR/packaging/npm-deps
# (without a reachable prebuilt binary npm compiles it: minutes, first run only).
better="$src/tests/embed/node/node_modules/better-sqlite3"
if [ ! -f "$better/build/Release/better_sqlite3.node" ]; then
  deps="$build/packaging/npm-deps"
  better="$deps/node_modules/better-sqlite3"
  if [ ! -f "$better/build/Release/better_sqlite3.node" ]; then
    echo "installing better-sqlite3@12 from the npm registry into $deps (once)"
    rm -rf "$deps" && mkdir -p "$deps"
    echo '{"name": "penalty-packaging-deps", "private": true}' > "$deps/package.json"
    (cd "$deps" && npm install --no-audit --no-fund --loglevel=error better-sqlite3@12 >/dev/null)
  fi
fi
# The scratch project: the package from its tarball, with that better-sqlite3
# (a link; nothing to build: --ignore-scripts).
mkdir "$tmp/project"
cd "$tmp/project"
echo '{"name": "scratch", "private": true}' > package.json
npm install --no-audit --no-fund --ignore-scripts --loglevel=error "$tarball" "$better" >/dev/null
cp "$src/tests/packaging/npm_check.js" .
node npm_check.js "$version" "$src/sql/presets/taobao.sql"
