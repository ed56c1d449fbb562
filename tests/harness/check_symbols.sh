#!/usr/bin/env bash
# check_symbols.sh MODULE — the loadable module exports only
# sqlite3_penalty_init and does not link libsqlite3.
set -euo pipefail
module=$1
exported=$(nm -D --defined-only "$module" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' | sort)
if [ "$exported" != "sqlite3_penalty_init" ]; then
  echo "FAIL: exported symbols are:"; echo "$exported"; exit 1
fi
if readelf -d "$module" | grep -q 'libsqlite3'; then
  echo "FAIL: $module links libsqlite3:"; readelf -d "$module" | grep NEEDED; exit 1
fi
echo "ok: only sqlite3_penalty_init exported; no libsqlite3 in NEEDED"
