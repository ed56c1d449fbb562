"""sqlite_shell.py — the sqlite3 shell as the test runners start it.

run(shell, script) runs the text `script` in the sqlite3 shell `shell` on a
fresh in-memory database (-batch), with stdout and stderr merged into one
stream and both unbuffered, so that an error message stands right after the
output of the statement before it. It returns that output as text, ending
with a line that says so if a signal killed the shell (a crash).

Unbuffered through coreutils' libstdbuf (what stdbuf -o0 -e0 does). In the
sanitizer build PENALTY_PRELOAD names the sanitizer runtimes, which must come
first in LD_PRELOAD: they go into the sqlite3 process only.

Used by transcript.py (the SQL transcript tests) and doc_examples.py (the
examples of the docs).
"""
import os
import re
import subprocess

LIBSTDBUF = "/usr/libexec/coreutils/libstdbuf.so"

# The shell's error lines name the line of its input, as in
# "Runtime error near line 21: ..."; group 1 is "Parse" or "Runtime".
ERROR_LINE = re.compile(r"^(Parse|Runtime) error near line \d+: ", re.M)


def load_name(module):
    """The module path as `.load` takes it: without the .so suffix."""
    return module[:-3] if module.endswith(".so") else module


def run(shell, script):
    env = dict(os.environ)
    preload = env.pop("PENALTY_PRELOAD", "")
    if preload:
        env.update(LD_PRELOAD=f"{preload}:{LIBSTDBUF}", _STDBUF_O="0", _STDBUF_E="0")
        command = [shell, "-batch", ":memory:"]
    else:
        command = ["stdbuf", "-o0", "-e0", shell, "-batch", ":memory:"]
    # surrogateescape: bytes that are not UTF-8 survive the round trip.
    done = subprocess.run(command, input=script, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          encoding="utf-8", errors="surrogateescape")
    if done.returncode < 0:
        return f"{done.stdout}\n[sqlite3 killed by signal {-done.returncode}]\n"
    return done.stdout
