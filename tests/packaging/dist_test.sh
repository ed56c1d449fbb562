#!/usr/bin/env bash
# dist_test.sh BUILD_DIR VERSION — what `./run.sh dist` makes (cmake/dist.sh,
# from BUILD_DIR as built, into a scratch directory), each artefact installed
# the way the README's Install section says and the module loaded by name:
#
#   SHA256SUMS  `sha256sum -c` passes; it lists exactly the artefacts;
#   tar.gz      its exact file list; unpacked, `.load ./penalty` in the sqlite3
#               shell from its directory computes the worked example of
#               docs/model.md §5 (seller 1: 48 points, 3 repeats, closed
#               2017-06-01 12:00:00) with penalty_install() and the
#               tarball's own sql/presets/taobao.sql;
#   .deb        unpacked with dpkg into an empty scratch root (dpkg --root
#               --unpack; its dependencies are this machine's), then `.load penalty` by
#               name with that root's library directory on LD_LIBRARY_PATH;
#               the install into a clean Debian 12 root is packaging.deb_root
#               (opt-in, PENALTY_TEST_DEB=1);
#   wheel       pip install --no-index --no-deps into a fresh venv of Debian's
#               python3; `penalty.load(con)` from outside the checkout;
#   npm         npm install of the tarball, offline, into a scratch project;
#               the bundled module is where getLoadablePath() says, and with
#               better-sqlite3 12 (the copy tests/embed/node or
#               packaging.npm installed; Node.js 20+) load(db) computes the
#               example; without them that part is skipped, saying why.
#               Without npm the tarball is left out, saying so.
set -euo pipefail
build=$(cd "$1" && pwd)
version=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
arch=$(uname -m)
debarch=$(dpkg --print-architecture)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
start=$SECONDS

# The worked example, in SQL (after penalty_install() and the taobao preset).
example="CREATE TABLE violations(seller_id, code, occurred_at);
INSERT INTO violations VALUES (1, 'harassment', '2017-03-01 12:00:00'), (1, 'harassment', '2017-04-01 12:00:00'),
  (1, 'harassment', '2017-05-01 12:00:00'), (1, 'harassment', '2017-06-01 12:00:00');
SELECT penalty_version(), points, repeats, closure_at FROM penalty_standings('taobao', 'violations', '2017-06-30');"
expected="$version|48|3|2017-06-01 12:00:00"

# --- build ---------------------------------------------------------------------
npm_flag=()
have_npm=1
command -v npm >/dev/null || { have_npm=0; npm_flag=(--without-npm); }
bash "$src/cmake/dist.sh" "$build" "$tmp/dist" "${npm_flag[@]}" > "$tmp/dist.log" 2>&1 ||
  { cat "$tmp/dist.log"; fail "cmake/dist.sh failed"; }
dist=$tmp/dist
deb=libsqlite3-mod-penalty_${version}_${debarch}.deb
wheel=sqlite_penalty-$version-py3-none-linux_$arch.whl
tgz=sqlite-penalty-$version.tgz
tarname=penalty-$version-linux-$arch
artefacts=("$deb" "$wheel" "$tarname.tar.gz")
[ "$have_npm" = 1 ] && artefacts+=("$tgz")
want=$(printf '%s\n' "${artefacts[@]}" SHA256SUMS | sort)
got=$(ls -1 "$dist" | sort)
[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got") || true; fail "dist/ holds other files (- expected, + made)"; }

# --- SHA256SUMS ----------------------------------------------------------------
(cd "$dist" && sha256sum --quiet -c SHA256SUMS) || fail "sha256sum -c SHA256SUMS failed"
listed=$(awk '{print $2}' "$dist/SHA256SUMS" | sort)
[ "$listed" = "$(printf '%s\n' "${artefacts[@]}" | sort)" ] || fail "SHA256SUMS lists: $listed"
echo "ok: $(ls "$dist" | tr '\n' ' ')in $((SECONDS - start)) s; sha256sum -c SHA256SUMS passes"

# --- the tar.gz ------------------------------------------------------------------
want=$(
  {
    for f in penalty.so penalty.h README.md sql/schema.sql; do echo "$tarname/$f"; done
    for f in LICENSE LICENSE.md LICENSE.txt COPYING; do [ -f "$src/$f" ] && echo "$tarname/$f"; done
    for f in "$src"/sql/presets/*.sql; do echo "$tarname/sql/presets/$(basename "$f")"; done
    for f in "$src"/sql/reports/*.sql; do echo "$tarname/sql/reports/$(basename "$f")"; done
  } | sort)
got=$(tar tzf "$dist/$tarname.tar.gz" | grep -v '/$' | sort)
[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got") || true; fail "the tar.gz's files differ (- expected, + in it)"; }
tar tvzf "$dist/$tarname.tar.gz" | awk '$2 != "0/0" {bad=1} END {exit bad}' || fail "tar.gz entries not owned by 0/0"
mkdir "$tmp/unpacked"
tar -C "$tmp/unpacked" -xzf "$dist/$tarname.tar.gz"
cmp -s "$tmp/unpacked/$tarname/sql/presets/taobao.sql" "$src/sql/presets/taobao.sql" || fail "taobao.sql differs"
readelf -S "$tmp/unpacked/$tarname/penalty.so" | grep -q -E '\.debug_|\.symtab' && fail "the tar.gz's penalty.so is not stripped"
got=$(cd "$tmp/unpacked/$tarname" && sqlite3 -batch -bail :memory: -cmd '.load ./penalty' \
        "SELECT penalty_install();" ".read sql/presets/taobao.sql" "$example" | tail -n 1) ||
  fail "sqlite3 .load ./penalty from the unpacked tar.gz: $got"
[ "$got" = "$expected" ] || fail "the unpacked tar.gz gave '$got', expected '$expected'"
echo "ok: $tarname.tar.gz: $(echo "$want" | wc -l) files as expected; unpacked, '.load ./penalty' computes $got"

# --- the .deb, into a scratch root -------------------------------------------------
root=$tmp/root
libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:PATH=//p' "$build/CMakeCache.txt")
if [ "$(id -u)" -eq 0 ]; then
  how="unpacked with dpkg --root into a scratch root"
  mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
  : > "$root/var/lib/dpkg/status"
  # --unpack: its files, not its postinst (ldconfig, which would need a shell
  # and ldconfig inside the scratch root); its dependencies are this
  # machine's. dpkg looks for ldconfig in PATH: a user's PATH may lack sbin.
  PATH=$PATH:/usr/sbin:/sbin dpkg --root="$root" --log=/dev/null --force-depends --no-triggers \
    --unpack "$dist/$deb" > "$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log"; fail "dpkg --root --unpack $deb failed"; }
  dpkg --root="$root" -s libsqlite3-mod-penalty | grep -qx 'Status: install ok unpacked' ||
    fail "dpkg -s: $(dpkg --root="$root" -s libsqlite3-mod-penalty | grep Status)"
else
  how="extracted with dpkg-deb -x (not root: no dpkg --root)"
  dpkg-deb -x "$dist/$deb" "$root"
fi
[ -f "$root/usr/$libdir/penalty.so" ] || fail "the .deb installed no /usr/$libdir/penalty.so"
got=$(LD_LIBRARY_PATH="$root/usr/$libdir" sqlite3 -batch -bail :memory: -cmd '.load penalty' \
        "SELECT penalty_install();" ".read $root/usr/share/penalty/presets/taobao.sql" "$example" | tail -n 1) ||
  fail "sqlite3 '.load penalty' of the .deb's module: $got"
[ "$got" = "$expected" ] || fail "the .deb's module gave '$got', expected '$expected'"
echo "ok: $deb $how; '.load penalty' by name computes $got"

# --- the wheel, into a fresh venv --------------------------------------------------
/usr/bin/python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --no-index --no-deps --quiet "$dist/$wheel" || fail "pip install $wheel failed"
got=$(cd "$tmp" && env -u PENALTY_LOADABLE "$tmp/venv/bin/python" - "$src/sql/presets/taobao.sql" "$example" <<'PY'
import sqlite3, sys
import penalty
assert "/venv/" in penalty.__file__, penalty.__file__
con = sqlite3.connect(":memory:")
penalty.load(con)
con.execute("SELECT penalty_install()")
con.executescript(open(sys.argv[1], encoding="utf-8").read())
*script, query = sys.argv[2].strip().split(";\n")
con.executescript(";\n".join(script) + ";")
print("|".join(str(v) for v in con.execute(query).fetchone()))
PY
) || fail "the wheel in a venv: $got"
[ "$got" = "$expected" ] || fail "the wheel in a venv gave '$got', expected '$expected'"
echo "ok: $wheel installed into a fresh venv (pip --no-index); penalty.load(con) computes $got"

# --- the npm tarball, into a scratch project ------------------------------------------
if [ "$have_npm" = 0 ]; then
  echo "npm part skipped: npm is missing, so dist.sh left the npm tarball out (./run.sh test installs Debian's npm)"
  echo "ok: packaging.dist in $((SECONDS - start)) s"
  exit 0
fi
mkdir "$tmp/project"
cd "$tmp/project"
echo '{"name": "scratch", "private": true}' > package.json
npm install --offline --no-audit --no-fund --ignore-scripts --loglevel=error "$dist/$tgz" > "$tmp/npm.log" 2>&1 ||
  { cat "$tmp/npm.log"; fail "npm install --offline $tgz failed"; }
got=$(node -p 'require("sqlite-penalty").getLoadablePath()')
[ "$got" = "$tmp/project/node_modules/sqlite-penalty/penalty.so" ] && [ -f "$got" ] ||
  fail "getLoadablePath() is '$got', not the bundled module"
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
better=""
for d in "$src/tests/embed/node/node_modules/better-sqlite3" "$build/packaging/npm-deps/node_modules/better-sqlite3"; do
  [ -f "$d/build/Release/better_sqlite3.node" ] && { better=$d; break; }
done
if [ "$major" -lt 20 ]; then
  echo "ok: $tgz installed offline; the bundled module is in place (loading skipped: better-sqlite3 12 needs Node.js 20+, found $major)"
elif [ -z "$better" ]; then
  echo "ok: $tgz installed offline; the bundled module is in place (loading skipped: no better-sqlite3 12 built here; ./run.sh test installs it in tests/embed/node)"
else
  got=$(NODE_PATH="$(dirname "$better")" node - "$src/sql/presets/taobao.sql" "$example" <<'JS'
const Database = require('better-sqlite3');
const fs = require('node:fs');
const [taobao, example] = process.argv.slice(2);
const db = new Database(':memory:');
require('sqlite-penalty').load(db);
db.prepare('SELECT penalty_install()').get();
db.exec(fs.readFileSync(taobao, 'utf8'));
const parts = example.trim().split(';\n');
const query = parts.pop();
db.exec(parts.join(';\n') + ';');
console.log(db.prepare(query).raw().get().join('|'));
JS
) || fail "the npm package with better-sqlite3: $got"
  [ "$got" = "$expected" ] || fail "the npm package gave '$got', expected '$expected'"
  echo "ok: $tgz installed offline into a scratch project; load(db) with better-sqlite3 computes $got"
fi
echo "ok: packaging.dist in $((SECONDS - start)) s"
