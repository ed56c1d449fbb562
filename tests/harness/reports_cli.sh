#!/usr/bin/env bash
# reports_cli.sh SQLITE3 MODULE — every report of sql/reports/ as a reader
# runs it: `sqlite3 -MODE marketplace.db -cmd '.load MODULE' < REPORT`, from
# a directory that is not the repository, on the demo database written by
# sql/demo/make_marketplace.sh, in the modes box, table, markdown, csv, json,
# line and list. Each run must succeed, print nothing on stderr and print
# rows; the JSON must parse (python3 -m json.tool) as ONE array of objects
# (one result set); policy_impact.sql must give the same answer when run
# again (it replaces its own proposal). Prints one line per report.
# Then the README's snippets as they stand, in a scratch copy of the
# checkout's layout (build/penalty.so, build/marketplace.db, sql/, bindings/):
# the ```sh block of its "Reports" section and its ```python blocks (with
# Debian's /usr/bin/python3).
set -euo pipefail
shell=$1
module=$(realpath "${2%.so}.so")
module=${module%.so}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
SQLITE3=$shell "$root/sql/demo/make_marketplace.sh" "$work/marketplace.db" "$module"
run() {
  "$shell" -batch "$@"
}
failed=0
for report in "$root"/sql/reports/*.sql; do
  name=$(basename "$report" .sql)
  summary=""
  bad=0
  for mode in box table markdown csv json line list; do
    if ! run "-$mode" "$work/marketplace.db" -cmd ".load $module" < "$report" > "$work/out" 2> "$work/err" ||
       [ -s "$work/err" ] || [ ! -s "$work/out" ]; then
      echo "FAIL: $name in -$mode mode (exit status, stderr or no rows):"
      cat "$work/err"
      bad=1
      continue
    fi
    if [ "$mode" = json ]; then
      if ! /usr/bin/python3 -m json.tool "$work/out" > /dev/null; then
        echo "FAIL: $name: -json output is not JSON"
        bad=1
        continue
      fi
      rows=$(/usr/bin/python3 -c 'import json, sys
rows = json.load(open(sys.argv[1]))
assert isinstance(rows, list) and all(isinstance(r, dict) for r in rows), "not one array of objects"
print(len(rows))' "$work/out")
      summary="$rows rows"
      cp "$work/out" "$work/json"
    fi
  done
  if [ "$name" = policy_impact ]; then
    run -json "$work/marketplace.db" -cmd ".load $module" < "$report" > "$work/again" 2>&1 || true
    if ! cmp -s "$work/json" "$work/again"; then
      echo "FAIL: policy_impact: a second run differs"
      diff "$work/json" "$work/again" | head -20 || true
      bad=1
    fi
    summary="$summary, the same when run again"
  fi
  [ "$bad" = 0 ] && echo "$name: box table markdown csv json line list ok ($summary)"
  [ "$bad" = 0 ] || failed=1
done

# policy_impact.sql on a read-only database: its first error says why, and
# nothing is written. (Later writes fail too, with SQLite's bare message.)
cp "$work/marketplace.db" "$work/readonly.db"
chmod a-w "$work/readonly.db"
before=$(sha256sum < "$work/readonly.db")
run -readonly "$work/readonly.db" -cmd ".load $module" < "$root/sql/reports/policy_impact.sql" > "$work/out" 2> "$work/err" || true
expected="Runtime error near line 31: penalty_copy_ruleset: cannot write ruleset 'policy_impact.sql write check' (the copy of 'taobao') into penalty_ruleset: attempt to write a readonly database; the database is open read-only (or its file or directory is not writable): open a writable database, or a writable copy of it (8)"
if [ "$(head -n 1 "$work/err")" != "$expected" ]; then
  echo "FAIL: policy_impact.sql -readonly: the first error is not the expected one:"
  echo "  expected: $expected"
  echo "  got:      $(head -n 1 "$work/err")"
  failed=1
elif [ "$(sha256sum < "$work/readonly.db")" != "$before" ]; then
  echo "FAIL: policy_impact.sql -readonly changed the database"
  failed=1
else
  echo "policy_impact -readonly: the first error says the database is read-only"
fi

mkdir -p "$work/checkout/build"
ln -s "$module.so" "$work/checkout/build/penalty.so"
cp "$work/marketplace.db" "$work/checkout/build/marketplace.db"
ln -s "$root/sql" "$work/checkout/sql"
ln -s "$root/bindings" "$work/checkout/bindings"
awk '/^## Reports/ { r = 1 } /^## / && !/^## Reports/ { r = 0 }
     r && /^```sh$/ { f = 1; next } /^```/ { f = 0 } f' "$root/README.md" > "$work/readme.sh"
awk '/^```python$/ { f = 1; next } /^```/ { f = 0 } f' "$root/README.md" > "$work/readme.py"
if [ ! -s "$work/readme.sh" ] || [ ! -s "$work/readme.py" ]; then
  echo "FAIL: README.md has no \`\`\`sh block under \"## Reports\" or no \`\`\`python block"
  failed=1
elif ! (cd "$work/checkout" && PATH="$(dirname "$shell"):$PATH" bash -e "$work/readme.sh" > "$work/out" 2> "$work/err") ||
     [ -s "$work/err" ]; then
  echo "FAIL: the README's report commands:"; cat "$work/readme.sh" "$work/err"
  failed=1
elif ! (cd "$work/checkout" && /usr/bin/python3 "$work/readme.py" > "$work/out" 2>&1); then
  echo "FAIL: the README's Python snippets:"; cat "$work/readme.py" "$work/out"
  failed=1
else
  echo "README: $(grep -c . "$work/readme.sh") report commands and $(grep -c . "$work/readme.py") lines of Python run as pasted"
fi
[ "$failed" = 0 ] && echo "reports_cli: every report runs in every mode"
exit "$failed"
