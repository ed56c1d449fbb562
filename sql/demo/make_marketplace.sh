#!/usr/bin/env bash
# make_marketplace.sh DB MODULE — writes the demo database DB (replacing it):
# the rule tables (penalty_install()), the presets taobao and taobao_linked,
# and the sample marketplace of sql/demo/marketplace.sql (sellers,
# violations, shop_links). MODULE is the loadable module (build/penalty or
# build/penalty.so). Reads the SQL files next to this script, so it runs
# from any directory; the sqlite3 shell is $SQLITE3 (default: sqlite3).
# Used by ./run.sh demo (build/marketplace.db) and tests/harness/reports_cli.sh.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 DB MODULE" >&2
  exit 2
fi
db=$1
module=${2%.so}
sql=$(cd "$(dirname "$0")/.." && pwd)
rm -f "$db"
{
  echo "CREATE TEMP TABLE demo_install AS SELECT penalty_install();"
  cat "$sql/presets/taobao.sql" "$sql/presets/taobao_linked.sql" "$sql/demo/marketplace.sql"
} | "${SQLITE3:-sqlite3}" -batch -bail "$db" -cmd ".load $module"
