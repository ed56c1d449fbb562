#!/usr/bin/env bash
# run.sh SQLITE3 MODULE — the README's PHP snippet, as it stands, with PHP's
# SQLite3 class (Debian's php-cli and php-sqlite3), or exit 77 (ctest:
# skipped) with the reason as the first line when PHP or its sqlite3
# extension is missing. The snippet runs from a scratch copy of the
# checkout's layout (build/penalty.so, build/marketplace.db: the demo
# database of sql/demo/make_marketplace.sh) with the command line the README
# gives (php -d sqlite3.extension_dir=...); its closures must equal the same
# query's in the sqlite3 shell, and a load without the setting must fail.
set -euo pipefail
shell=$1
module=$(realpath "${2%.so}.so")
root=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v php > /dev/null; then
  echo "skipped: php is not installed (Debian: apt-get install php-cli php-sqlite3)"; exit 77
fi
if ! php -r 'exit(class_exists("SQLite3") ? 0 : 1);'; then
  echo "skipped: PHP's sqlite3 extension is missing (Debian: apt-get install php-sqlite3)"; exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/build"
cp "$module" "$work/build/penalty.so"
SQLITE3=$shell "$root/sql/demo/make_marketplace.sh" "$work/build/marketplace.db" "$work/build/penalty"
# The README's ```php block and the command line in its first comment.
python3 - "$root/README.md" "$work/snippet.php" "$work/command" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"```php\n(.*?)```", text, re.S)
assert len(blocks) == 1, f"expected one ```php block in README.md, found {len(blocks)}"
open(sys.argv[2], "w").write(blocks[0])
command = re.search(r"^// (php .*)$", blocks[0], re.M)
assert command, "the snippet's first comment gives its command line"
open(sys.argv[3], "w").write(command.group(1).replace("snippet.php", "\"$1\"") + "\n")
PY
cd "$work"
bash -c "$(cat command)" bash "$work/snippet.php" > "$work/php.out"
{
  "$shell" -batch build/marketplace.db -cmd ".load build/penalty" "SELECT penalty_version()"
  "$shell" -batch -separator ' ' build/marketplace.db -cmd ".load build/penalty" \
    "SELECT count(*) FROM penalty_standings('taobao', 'violations', '2017-12-31 23:59:59+08:00') WHERE closure_at IS NOT NULL"
} > "$work/shell.out"
if ! diff "$work/shell.out" "$work/php.out"; then
  echo "FAIL: the README's PHP snippet printed something else than the sqlite3 shell (above: < shell, > php)"
  exit 1
fi
# Without sqlite3.extension_dir PHP refuses to load any extension (a
# warning, which the README quotes; the script goes on without penalty).
php "$work/snippet.php" > "$work/noext.out" 2>&1 || true
grep -q "SQLite3::loadExtension(): SQLite Extension are disabled" "$work/noext.out" || {
  echo "FAIL: unexpected output without sqlite3.extension_dir:"; cat "$work/noext.out"; exit 1; }
echo "ok: the README's PHP snippet with sqlite3.extension_dir: $(tr '\n' ' ' < "$work/php.out")"
