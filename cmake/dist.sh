#!/usr/bin/env bash
# dist.sh BUILD_DIR OUTDIR [--without-npm] — every package of a release,
# from BUILD_DIR (built: the module and the static library), into OUTDIR
# (created; files of an earlier run replaced):
#
#   libsqlite3-mod-penalty_<version>_<debarch>.deb   cpack -G DEB (cmake/packaging.cmake)
#   sqlite_penalty-<version>-py3-none-linux_<arch>.whl   bindings/python/build_wheel.sh
#   sqlite-penalty-<version>.tgz                  bindings/node/build.sh (npm pack)
#   penalty-<version>-linux-<arch>.tar.gz         the loadable module (stripped),
#       penalty.h, sql/schema.sql, sql/presets/, sql/reports/, README.md (and
#       LICENSE when there is one) under penalty-<version>-linux-<arch>/, as
#       SQLite extension projects (sqlite-vec, sqlean) publish per release
#   SHA256SUMS                                    sha256sum of the four (sha256sum -c SHA256SUMS)
#
# and prints their names. --without-npm leaves the npm tarball out (no npm
# here). Needs cpack with dpkg-dev and file (the .deb), Debian's python3
# with python3-build, python3-setuptools and python3-wheel (the wheel), npm
# (the tarball); no network. Run by `./run.sh dist` (OUTDIR dist/) and by
# tests/packaging/dist_test.sh (packaging.dist).
set -euo pipefail
build=$(cd "$1" && pwd)
out=$2
with_npm=1
[ "${3:-}" = --without-npm ] && with_npm=0
src=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
[ -n "$version" ] || { echo "dist.sh: no project version in $build/CMakeCache.txt (configure first)" >&2; exit 1; }
[ -f "$build/penalty.so" ] || { echo "dist.sh: no $build/penalty.so (build first)" >&2; exit 1; }
arch=$(uname -m)
mkdir -p "$out"
out=$(cd "$out" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -f "$out"/libsqlite3-mod-penalty_*.deb "$out"/sqlite_penalty-*.whl "$out"/sqlite-penalty-*.tgz \
      "$out"/penalty-*-linux-*.tar.gz "$out/SHA256SUMS"

# The Debian package.
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/deb" > "$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log" >&2; echo "dist.sh: cpack -G DEB failed" >&2; exit 1; }
cp "$tmp/deb"/libsqlite3-mod-penalty_"$version"_*.deb "$out/"

# The Python wheel and the npm tarball.
bash "$src/bindings/python/build_wheel.sh" "$build/penalty.so" "$version" "$out" > /dev/null
[ "$with_npm" = 1 ] && bash "$src/bindings/node/build.sh" "$build/penalty.so" "$version" "$out" > /dev/null

# The tar.gz: the module stripped (as the .deb, the wheel and the npm package
# have it), the generated header, the SQL files and the README. Not through
# `cmake --install`, which would replace BUILD_DIR/install_manifest.txt.
# The same bytes for the same files: sorted, owned by root, dated by the
# last commit (else now), gzip -n.
name="penalty-$version-linux-$arch"
stage="$tmp/$name"
mkdir -p "$stage/sql"
strip -o "$stage/penalty.so" "$build/penalty.so"
cp "$build/include/penalty.h" "$src/README.md" "$stage/"
for f in LICENSE LICENSE.md LICENSE.txt COPYING; do [ -f "$src/$f" ] && cp "$src/$f" "$stage/"; done
cp -r "$src/sql/schema.sql" "$src/sql/presets" "$src/sql/reports" "$stage/sql/"
when=$(git -C "$src" log -1 --format=%ct 2>/dev/null || date +%s)
tar -C "$tmp" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$when" -cf - "$name" |
  gzip -9n > "$out/$name.tar.gz"

(cd "$out" && sha256sum -- *.deb *.whl $([ "$with_npm" = 1 ] && echo '*.tgz') "$name.tar.gz" > SHA256SUMS)
(cd "$out" && ls -1)
