#!/usr/bin/env python3
"""doc_examples.py SQLITE3 MODULE DOC... — every example in the docs is run.

An example is a ```sql block followed directly by a ```text block. Each
runs in a fresh in-memory database prepared by docs/examples.sql, in the
sqlite3 shell's list mode with headers off; its output (stdout and stderr)
must equal the text block. Prints one line per example and a summary line.
"""
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import sqlite_shell  # noqa: E402  (unbuffered, with the sanitizer preload)

shell, module, docs = sys.argv[1], sqlite_shell.load_name(sys.argv[2]), sys.argv[3:]
setup = open("docs/examples.sql", encoding="utf-8").read()
# A block's body cannot contain a fence: an unpaired ```sql block is skipped.
pattern = re.compile(r"```sql\n((?:(?!```)[\s\S])*?)```\n+```text\n((?:(?!```)[\s\S])*?)```")
passed = failed = 0
for doc in docs:
    text = open(doc, encoding="utf-8").read()
    for n, match in enumerate(pattern.finditer(text), 1):
        sql, expected = match.group(1), match.group(2)
        script = f".load {module}\n.bail off\n{setup}\n.mode list\n.headers off\n{sql}"
        # Error lines name the script line ("Runtime error near line 9: ");
        # the reader sees no script: the page shows what the shell prints
        # at its prompt ("Runtime error: ").
        out = sqlite_shell.ERROR_LINE.sub(r"\1 error: ", sqlite_shell.run(shell, script))
        if out == expected:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {doc} example {n}:\n{sql}--- expected\n{expected}--- got\n{out}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or not passed else 0)
