#!/usr/bin/env bash
# deb_test.sh BUILD_DIR VERSION contents|root — the Debian package.
#
#   contents  builds the .deb with cpack from BUILD_DIR (all targets built)
#             and checks its exact file list, its control fields, that the
#             module is stripped and exports only sqlite3_penalty_init.
#             Cheap (seconds); runs in the normal suite (packaging.deb).
#   root      the same, then installs the .deb with `apt-get install ./FILE`
#             into a clean Debian 12 root (debootstrap --variant=minbase
#             bookworm, with sqlite3 and python3; made once, cached as
#             BUILD_DIR/packaging/bookworm-root.tar) and, chrooted, loads the
#             module by name: `.load penalty` in the sqlite3 shell and
#             con.load_extension('penalty') in Python. Needs root and the
#             network the first time; opt-in: it runs only with
#             PENALTY_TEST_DEB=1 and otherwise exits 77 (ctest: skipped),
#             saying so (packaging.deb_root).
set -euo pipefail
build=$(cd "$1" && pwd)
version=$2
mode=$3
src=$(cd "$(dirname "$0")/../.." && pwd)

if [ "$mode" = root ] && [ "${PENALTY_TEST_DEB:-0}" != 1 ]; then
  echo "skipped: set PENALTY_TEST_DEB=1 to install the .deb into a clean Debian 12 root (debootstrap, root, network once)"
  exit 77
fi

fail() { echo "FAIL: $*"; exit 1; }

# --- build the package ------------------------------------------------------
out="$build/packaging/deb-$mode"
rm -rf "$out"
mkdir -p "$out"
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$out" > "$out/cpack.log" 2>&1 ||
  { cat "$out/cpack.log"; fail "cpack -G DEB failed"; }
deb="$out/libsqlite3-mod-penalty_${version}_amd64.deb"
[ -f "$deb" ] || { ls "$out"; fail "cpack did not write $deb"; }

# --- its files: exactly these -------------------------------------------------
libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:PATH=//p' "$build/CMakeCache.txt")
config=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt" | tr '[:upper:]' '[:lower:]')
case "$libdir" in
  lib|lib/x86_64-linux-gnu) ;;  # both searched by dlopen under /usr
  *) fail "CMAKE_INSTALL_LIBDIR is '$libdir': the packaged module would not be found by name" ;;
esac
expected=$(
  {
    echo "./usr/include/penalty.h"
    echo "./usr/$libdir/penalty.so"
    echo "./usr/$libdir/libpenalty.a"
    for f in penaltyConfig.cmake penaltyConfigVersion.cmake penaltyTargets.cmake "penaltyTargets-$config.cmake"; do
      echo "./usr/$libdir/cmake/penalty/$f"
    done
    echo "./usr/share/penalty/schema.sql"
    for f in "$src"/sql/presets/*.sql; do echo "./usr/share/penalty/presets/$(basename "$f")"; done
  } | sort)
actual=$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $6}' | sort)
if [ "$actual" != "$expected" ]; then
  diff <(echo "$expected") <(echo "$actual") || true
  fail "the package's files differ from the expected list (- expected, + in the package)"
fi
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ && $2 != "root/root" {bad=1} END {exit bad}' ||
  fail "files not owned by root/root"

# --- its control fields ------------------------------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = libsqlite3-mod-penalty ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), expected $version"
[ "$(field Architecture)" = amd64 ] || fail "Architecture: $(field Architecture)"
[ "$(field Section)" = libs ] || fail "Section: $(field Section)"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
[ "$(field Description | head -1)" = "SQLite extension computing rule-based marketplace penalty scores" ] ||
  fail "Description: $(field Description | head -1)"
depends=$(field Depends)
# The oldest SQLite the module loads into (PENALTY_MIN_SQLITE_VERSION), then
# what dpkg-shlibdeps found; fmt is header-only, libsqlite3 is not linked.
[[ "$depends" == "libsqlite3-0 (>= 3.34.0), "* ]] || fail "Depends: $depends"
for dep in libc6 libstdc++6 libgcc-s1; do
  [[ ", $depends" == *", $dep "* ]] || fail "Depends lacks $dep: $depends"
done
[[ "$depends" != *libfmt* ]] || fail "Depends names fmt (header-only): $depends"

# --- the module in it: stripped, only the entry point ------------------------
x="$out/extract"
dpkg-deb -x "$deb" "$x"
module="$x/usr/$libdir/penalty.so"
if readelf -S "$module" | grep -q -E '\.debug_|\.symtab'; then fail "penalty.so is not stripped"; fi
bash "$src/tests/harness/check_symbols.sh" "$module" >/dev/null || bash "$src/tests/harness/check_symbols.sh" "$module"
if readelf -S "$x/usr/$libdir/libpenalty.a" 2>/dev/null | grep -q '\.debug_info'; then
  fail "libpenalty.a keeps its debug information"
fi
echo "ok: $(basename "$deb") ($(stat -c %s "$deb") bytes): $(echo "$actual" | wc -l) files as expected; Depends: $depends; module stripped ($(stat -c %s "$module") bytes)"
[ "$mode" = contents ] && exit 0

# --- a clean Debian 12 root, by name ------------------------------------------
[ "$(id -u)" -eq 0 ] || fail "the root test needs root (debootstrap, chroot)"
cache="$build/packaging/bookworm-root.tar"
if [ ! -f "$cache" ]; then
  command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  fresh="$build/packaging/bookworm-fresh"
  rm -rf "$fresh"
  echo "making a Debian 12 root (debootstrap; cached as $cache)"
  debootstrap --variant=minbase --include=sqlite3,python3 bookworm "$fresh" http://deb.debian.org/debian \
    > "$build/packaging/debootstrap.log" 2>&1 || { tail -n 30 "$build/packaging/debootstrap.log"; fail "debootstrap failed"; }
  tar -C "$fresh" -cf "$cache.part" . && mv "$cache.part" "$cache"
  rm -rf "$fresh"
fi
rootdir="$out/root"
mkdir "$rootdir"
tar -C "$rootdir" -xf "$cache"
cp "$deb" "$rootdir/tmp/"
in_root() { chroot "$rootdir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
# Everything the package depends on is in the root already: no network.
in_root sh -c "cd /tmp && apt-get install -y -q ./$(basename "$deb")" > "$out/apt.log" 2>&1 ||
  { cat "$out/apt.log"; fail "apt-get install ./$(basename "$deb") failed in the root"; }
got=$(in_root sqlite3 :memory: '.load penalty' 'SELECT penalty_version()') ||
  fail "sqlite3 .load penalty failed in the root: $got"
[ "$got" = "$version" ] || fail "sqlite3 in the root: penalty_version() = '$got', expected '$version'"
got=$(in_root python3 -c "
import sqlite3
con = sqlite3.connect(':memory:')
con.enable_load_extension(True)
con.load_extension('penalty')
con.execute('SELECT penalty_install()')
con.executescript(open('/usr/share/penalty/presets/taobao.sql').read())
print(con.execute('SELECT penalty_version()').fetchone()[0],
      con.execute(\"SELECT penalty_points('taobao', 'harassment', '2017-06-01')\").fetchone()[0])") ||
  fail "python3 load_extension('penalty') failed in the root: $got"
[ "$got" = "$version 12" ] || fail "python3 in the root printed '$got', expected '$version 12'"
in_root dpkg -L libsqlite3-mod-penalty | grep -qx "/usr/$libdir/penalty.so" || fail "dpkg -L does not list the module"
rm -rf "$rootdir"
echo "ok: installed with apt-get into a clean Debian 12 root; '.load penalty' and load_extension('penalty') by name give $version"
