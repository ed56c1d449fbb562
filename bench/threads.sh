#!/usr/bin/env bash
# bench/threads.sh [N ...] — penalty_standings with threads = 1, threads = 2
# on one connection (penalty_config('parallel_read', 0)) and threads = 2
# with the parallel read (two connections where the source allows it), and
# the bare scan on one connection, on the databases bench/run.sh made in
# bench/data/ (run it first). For each N (default: 1000000 10000000) and
# source: the best of three runs of each, alternating so that a noisy
# machine disturbs all alike; wall seconds and CPU seconds (user + system,
# all threads) from /usr/bin/time; the last column is the parallel read
# against the bare scan.
set -euo pipefail
cd "$(dirname "$0")/data"
module=../../build/penalty
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000000 10000000)

# once DB SQL: "wall cpu" of one sqlite3 run
once() {
  { /usr/bin/time -f "%e %U %S" sqlite3 "$1" ".load $module" "$2" >/dev/null; } 2>&1 | awk '{print $1, $2 + $3}'
}
min() { awk -v a="$1" -v b="$2" 'BEGIN {print (a < b) ? a : b}'; }

echo "| N | source | (a) scan | threads = 1 | CPU | threads = 2, one connection | CPU | threads = 2, parallel read | CPU | parallel / scan |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for n in "${sizes[@]}"; do
  for cfg in covering pair none view text; do
    db=events-$n-$cfg.db src=violations
    [ "$cfg" = view ] && { db=events-$n-pair.db; src=violations_v; }
    [ -f "$db" ] || { echo "bench/threads.sh: no $db: run bench/run.sh $n first" >&2; exit 1; }
    scan="SELECT count(*), sum(unixepoch(occurred_at)), sum(length(code)) FROM $src;"
    standings="SELECT count(*), count(closure_at), sum(points) FROM penalty_standings('taobao', '$src', '2017-12-31');"
    a=999 w1=999 c1=999 w2=999 c2=999 w3=999 c3=999
    for _ in 1 2 3; do
      read -r w _ < <(once "$db" "$scan"); a=$(min "$w" "$a")
      read -r w c < <(once "$db" "SELECT penalty_config('threads', 1); $standings")
      w1=$(min "$w" "$w1"); c1=$(min "$c" "$c1")
      read -r w c < <(once "$db" "SELECT penalty_config('threads', 2), penalty_config('parallel_read', 0); $standings")
      w2=$(min "$w" "$w2"); c2=$(min "$c" "$c2")
      read -r w c < <(once "$db" "SELECT penalty_config('threads', 2); $standings")
      w3=$(min "$w" "$w3"); c3=$(min "$c" "$c3")
    done
    ratio=$(awk -v p="$w3" -v a="$a" 'BEGIN {printf "%.2f", p / a}')
    echo "| $n | $cfg | $a s | $w1 s | $c1 s | $w2 s | $c2 s | $w3 s | $c3 s | $ratio |"
  done
done
echo
echo "Plans with threads = 2:"
for n in "${sizes[@]}"; do
  for cfg in covering pair none view text; do
    db=events-$n-$cfg.db src=violations
    [ "$cfg" = view ] && { db=events-$n-pair.db; src=violations_v; }
    echo "  $n $cfg: $(sqlite3 "$db" ".load $module" "SELECT penalty_read_plan('$src')")"
  done
done
