#!/usr/bin/env bash
# bench/run.sh [N ...] — the penalty benchmark (see bench/README.md).
#
# For each N (default 1000000): builds bench/data/events-N-covering.db once,
# runs build/penalty_bench on it ((a)-(d)), then (e) DuckDB on the same data
# when node and npm are there (npm install of @duckdb/node-api on first use).
# INDEXES="covering pair none" also runs the other index configurations.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build build --target penalty_bench >/dev/null  # also built by default
mkdir -p bench/data
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000000)
for n in "${sizes[@]}"; do
  for index in ${INDEXES:-covering}; do
    db=bench/data/events-$n-$index.db
    echo "== N=$n index=$index"
    ./build/penalty_bench build/penalty.so "$db" "$n" "$index"
  done
  first=${INDEXES:-covering}; db=bench/data/events-$n-${first%% *}.db
  [ -f "$db" ] || db=bench/data/events-$n-covering.db
  if command -v node >/dev/null && command -v npm >/dev/null; then
    if [ ! -d bench/duckdb/node_modules/@duckdb/node-api ]; then
      (cd bench/duckdb && npm install --no-audit --no-fund --silent)
    fi
    csv=bench/data/events-$n.csv
    [ -f "$csv" ] || sqlite3 -csv -header "$db" \
      "SELECT rowid AS rid, seller_id, code, unixepoch(occurred_at) AS t FROM violations" > "$csv"
    sqlite3 -csv -header "$db" "SELECT code, track, points, closes FROM penalty_violation WHERE ruleset = 'taobao'" \
      > bench/data/violation.csv
    sqlite3 -csv -header "$db" "SELECT track, points, closes FROM penalty_threshold WHERE ruleset = 'taobao'" \
      > bench/data/threshold.csv
    read -r secs answer < <(node bench/duckdb/standings.mjs "$csv" bench/data \
      "$(sqlite3 "$db" "SELECT unixepoch('2018-12-31 23:59:59+08:00')")" 2018)
    echo "(e) DuckDB, 2 threads    $secs s  [$answer]"
  else
    echo "(e) DuckDB: skipped (node/npm not found)"
  fi
done
