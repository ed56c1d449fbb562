#!/usr/bin/env python3
"""doc_examples.py SQLITE3 MODULE DOC... — every example in the docs is run.

An example is a ```sql block followed directly by a ```text block. Each
runs in a fresh in-memory database prepared by docs/examples.sql, in the
sqlite3 shell's list mode with headers off; its output (stdout and stderr)
must equal the text block. Prints one line per example and a summary line.
"""
import os
import re
import subprocess
import sys

shell, module, docs = sys.argv[1], sys.argv[2], sys.argv[3:]
module = module[:-3] if module.endswith(".so") else module
setup = open("docs/examples.sql", encoding="utf-8").read()
# Unbuffered through coreutils' libstdbuf; in the sanitizer build the
# runtimes in PENALTY_PRELOAD go first, into the sqlite3 process only.
env = dict(os.environ)
preload = env.pop("PENALTY_PRELOAD", "")
if preload:
    env.update(LD_PRELOAD=preload + ":/usr/libexec/coreutils/libstdbuf.so", _STDBUF_O="0", _STDBUF_E="0")
    command = [shell, "-batch", ":memory:"]
else:
    command = ["stdbuf", "-o0", "-e0", shell, "-batch", ":memory:"]
# A block's body cannot contain a fence: an unpaired ```sql block is skipped.
pattern = re.compile(r"```sql\n((?:(?!```)[\s\S])*?)```\n+```text\n((?:(?!```)[\s\S])*?)```")
passed = failed = 0
for doc in docs:
    text = open(doc, encoding="utf-8").read()
    for n, match in enumerate(pattern.finditer(text), 1):
        sql, expected = match.group(1), match.group(2)
        script = f".load {module}\n.bail off\n{setup}\n.mode list\n.headers off\n{sql}"
        out = subprocess.run(command, input=script, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True).stdout
        # Error lines name the script line; the reader sees no script, so drop it.
        out = re.sub(r"^(Parse|Runtime) error near line \d+: ", "Error: ", out, flags=re.M)
        if out == expected:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {doc} example {n}:\n{sql}--- expected\n{expected}--- got\n{out}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or not passed else 0)
