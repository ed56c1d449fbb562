#!/usr/bin/env bash
# run_golden.sh SQLITE3 MODULE SCRIPT EXPECTED — runs SCRIPT in the sqlite3
# shell on a fresh in-memory database (stdout and stderr merged, unbuffered
# so errors stand where they happen) and compares the output with EXPECTED.
# In SCRIPT, ".load PENALTY" is replaced by ".load <MODULE>"; the working
# directory is the project root (scripts may .read sql/presets/...).
# PENALTY_UPDATE_GOLDEN=1 rewrites EXPECTED instead of comparing.
set -uo pipefail
shell=$1 module=$2 script=$3 expected=$4
module_noext=${module%.so}
# Unbuffered through coreutils' libstdbuf; in the sanitizer build the
# runtimes in PENALTY_PRELOAD must come first in LD_PRELOAD.
run_shell() {
  if [ -n "${PENALTY_PRELOAD:-}" ]; then
    LD_PRELOAD="$PENALTY_PRELOAD:/usr/libexec/coreutils/libstdbuf.so" _STDBUF_O=0 _STDBUF_E=0 "$shell" "$@"
  else
    stdbuf -o0 -e0 "$shell" "$@"
  fi
}
actual=$(sed "s#^\.load PENALTY\$#.load ${module_noext}#" "$script" | run_shell -batch :memory: 2>&1)
if [ "${PENALTY_UPDATE_GOLDEN:-0}" = 1 ]; then
  printf '%s\n' "$actual" > "$expected"
  echo "updated $expected"; exit 0
fi
if ! diff -u "$expected" <(printf '%s\n' "$actual"); then
  echo "FAIL: $script differs from $expected (PENALTY_UPDATE_GOLDEN=1 to accept)"; exit 1
fi
echo "ok: $(basename "$script")"
