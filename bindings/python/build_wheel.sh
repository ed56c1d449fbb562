#!/usr/bin/env bash
# build_wheel.sh MODULE VERSION OUTDIR — builds the wheel of the Python
# package (bindings/python/) with the module MODULE (build/penalty.so) bundled as
# penalty/penalty.so, at version VERSION (project() in CMakeLists.txt), into
# OUTDIR, and prints the wheel's path. Uses Debian's /usr/bin/python3 with
# python3-build, python3-setuptools and python3-wheel; no network
# (--no-isolation). `cmake --build build --target python_wheel` runs it.
set -euo pipefail
module=$1
version=$2
outdir=$3
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$module" ] || { echo "build_wheel.sh: no module at $module (build the target penalty first)" >&2; exit 1; }
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -r "$here/pyproject.toml" "$here/setup.py" "$here/README.md" "$here/penalty" "$stage/"
rm -rf "$stage/penalty/__pycache__"
# Only the module's code: no debug information in a wheel.
strip -o "$stage/penalty/penalty.so" "$module"
sed -i "s/^__version__ = \".*\"\$/__version__ = \"$version\"/" "$stage/penalty/__init__.py"
grep -qx "__version__ = \"$version\"" "$stage/penalty/__init__.py" ||
  { echo "build_wheel.sh: could not set __version__ in penalty/__init__.py" >&2; exit 1; }
rm -f "$outdir"/sqlite_penalty-*.whl
(cd "$stage" && /usr/bin/python3 -m build --wheel --no-isolation --outdir "$outdir" >"$stage/build.log" 2>&1) ||
  { cat "$stage/build.log" >&2; echo "build_wheel.sh: python3 -m build failed" >&2; exit 1; }
ls "$outdir"/sqlite_penalty-"$version"-*.whl
