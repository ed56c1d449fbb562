#!/usr/bin/env bash
# spill_full.sh SQLITE3 MODULE — the temporary file of sorted runs on a full
# disk: SQLITE_TMPDIR names a 64 KiB tmpfs (mounted in a user and mount
# namespace of its own, so no root is needed and nothing outside sees it),
# a sort spills more than that, and the error must name the directory and
# say how to choose another; with SQLITE_TMPDIR on a disk with room the same
# query then answers. Skipped (exit 77, saying why) where user namespaces
# are not permitted (some containers). In the sanitizer build
# PENALTY_PRELOAD names the sanitizer runtimes for the sqlite3 process.
set -euo pipefail
sqlite3=$1 module=$2
if ! unshare --user --map-root-user --mount true 2>/dev/null; then
  echo "skipped: unshare --user --mount is not permitted here (no user namespaces), so no small filesystem can be mounted"
  exit 77
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/small" "$dir/roomy"
db=$dir/spill.db
preload=${PENALTY_PRELOAD:-}
# 20,000 events in storage order (sorted: 480 KB of records), rules 'r'.
LD_PRELOAD=$preload "$sqlite3" -batch "$db" -cmd ".load $module" <<'SQL' >/dev/null
SELECT penalty_install();
INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days) VALUES('r', '+08:00', 365);
INSERT INTO penalty_track(ruleset, track, period) VALUES('r', 'serious', 'year');
INSERT INTO penalty_violation(ruleset, code, track, points) VALUES('r', 'h', 'serious', 2);
CREATE TABLE ev(seller_id, code, occurred_at);
WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 19999)
INSERT INTO ev SELECT (i * 7919) % 500, 'h', 1483228800 + i * 600 FROM k;
SQL
query="SELECT penalty_config('read_strategy', 'sort'), penalty_config('memory_budget', 65536);
SELECT count(*), sum(points) FROM penalty_standings('r', 'ev', '2017-12-31 23:59:59+08:00');"
got=$(unshare --user --map-root-user --mount bash -c '
  mount -t tmpfs -o size=64k penalty_small "$1/small"
  SQLITE_TMPDIR=$1/small LD_PRELOAD=$5 "$2" -batch "$3" -cmd ".load $4" 2>&1 <<< "$6" || true
  SQLITE_TMPDIR=$1/roomy LD_PRELOAD=$5 "$2" -batch "$3" -cmd ".load $4" 2>&1 <<< "$6"
' _ "$dir" "$sqlite3" "$db" "$module" "$preload" "$query")
expected="sort|65536
Runtime error near line 2: penalty_standings: the temporary file of sorted runs in $dir/small: writing failed: No space left on device; set the environment variable SQLITE_TMPDIR to a directory with room for the runs (24 to 48 bytes an event), or raise penalty_config('memory_budget') so that fewer events are spilled
sort|65536
500|40000"
if [ "$got" != "$expected" ]; then
  echo "FAIL: got"; echo "$got"; echo "expected"; echo "$expected"
  exit 1
fi
echo "ok: $(sed -n 2p <<< "$got")"
