#!/usr/bin/env bash
# run.sh MODULE — the Node embedding test, or exit 77 (ctest: skipped) with
# the reason when better-sqlite3 12 cannot run here (it needs Node 20+;
# ./run.sh test installs it with npm when Node 20+ and npm are present).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then echo "skipped: better-sqlite3 12 needs Node.js 20 or newer (found ${major})"; exit 77; fi
if [ ! -d "$here/node_modules/better-sqlite3" ]; then
  echo "skipped: tests/embed/node/node_modules is missing (./run.sh test runs npm install there)"; exit 77
fi
exec node "$here/embed.mjs" "$1"
