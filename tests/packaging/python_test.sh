#!/usr/bin/env bash
# python_test.sh BUILD_DIR VERSION — builds the wheel (bindings/python/build_wheel.sh),
# installs it with pip --no-index into a fresh venv of Debian's
# /usr/bin/python3 (python3-venv), and runs python_check.py there: version,
# a computed figure, PENALTY_LOADABLE, the bundled module, the Dask tool as an
# optional part (no dask in the venv), the bare name.
set -euo pipefail
build=$(cd "$1" && pwd)
version=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
wheel=$(bash "$src/bindings/python/build_wheel.sh" "$build/penalty.so" "$version" "$tmp/dist")
[ "$(basename "$wheel")" = "sqlite_penalty-$version-py3-none-linux_x86_64.whl" ] ||
  { echo "FAIL: wheel named $(basename "$wheel")"; exit 1; }
files=$(/usr/bin/python3 -c "import sys, zipfile; print(*sorted(n for n in zipfile.ZipFile(sys.argv[1]).namelist() if not n.startswith('sqlite_penalty-')))" "$wheel")
case "$files" in
  *penalty/__init__.py*penalty/penalty.so*) ;;
  *) echo "FAIL: the wheel holds: $files"; exit 1 ;;
esac
/usr/bin/python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --no-index --quiet "$wheel"
cd "$tmp"
env -u PENALTY_LOADABLE "$tmp/venv/bin/python" "$src/tests/packaging/python_check.py" \
  "$version" "$build/penalty.so" "$src/sql/presets/taobao.sql"
