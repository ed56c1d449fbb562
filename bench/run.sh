#!/usr/bin/env bash
# bench/run.sh [N ...] — the penalty benchmark (see bench/README.md).
#
# For each N (default: 1000000 10000000; 100000000 is the opt-in large run)
# runs build/penalty_bench on every source configuration (CONFIGS, default
# "covering pair none view text"), with the databases made once into
# bench/data/ and reused, then prints all the rows in one table. DuckDB (e)
# runs when node and npm are there (npm install of @duckdb/node-api on first
# use). The whole log is kept in bench/data/last-run.log.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build build --target penalty penalty_bench >/dev/null  # also built by default
mkdir -p bench/data
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000000 10000000)
if command -v node >/dev/null && command -v npm >/dev/null &&
   [ ! -d bench/duckdb/node_modules/@duckdb/node-api ]; then
  (cd bench/duckdb && npm install --no-audit --no-fund --silent)
fi
log=bench/data/last-run.log
: > "$log"
start=$(date +%s)
status=0
for n in "${sizes[@]}"; do
  # shellcheck disable=SC2086  # CONFIGS is a list of words
  ./build/penalty_bench build/penalty.so bench/data "$n" ${CONFIGS:-covering pair none view text} 2>&1 |
    tee -a "$log" || status=1
done
echo
echo "== all sizes ($(git rev-parse --short HEAD), $(date -u '+%Y-%m-%d %H:%M UTC'), $(( $(date +%s) - start )) s)"
grep -E '^\| ' "$log" | awk '!seen[$0]++'
grep -E '^(plan |DISAGREE|answers )' "$log" || true
exit "$status"
