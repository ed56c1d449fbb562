#!/usr/bin/env python3
"""transcript.py --version VERSION SQLITE3 MODULE FILE — runs one SQL transcript.

A transcript (tests/sql/NAME.test) is a sqlite3 shell session written down:
each statement followed directly by what it prints, errors included.

    -- Comments and blank lines are input too.
    .mode list
    SELECT penalty_points('taobao', 'harassment', '2017-06-01');
    > 12
    SELECT penalty_points('taobao', 'nope', '2017-06-01');
    > Runtime error: penalty_points: unknown violation code 'nope' in ruleset 'taobao' at 2017-06-01 00:00:00

The format:
- A line "> TEXT" is one line of output, TEXT; a bare ">" is an empty line.
- Every other line is input, fed as it stands to the real sqlite3 shell: SQL,
  "--" comments, blank lines, dot-commands. ".load PENALTY" loads MODULE.
- The input falls into blocks: one dot-command, or one complete SQL
  statement (complete as sqlite3_complete() and the shell see it); each
  block takes the comment and blank lines before it. What a block prints
  (stdout and stderr, in order) follows it directly; a block that has no
  output lines must print nothing. The file cannot end inside a statement.
- In output lines, @PENALTY_VERSION@ stands for VERSION (CMake passes
  ${PROJECT_VERSION}): the answer of penalty_version().

How it runs: the whole file in ONE shell process (state carries from block
to block: tables, .mode, .bail ...) on a fresh in-memory database, in the
working directory (ctest: the project root, so ".read sql/..." works),
unbuffered and with the sanitizer runtimes of PENALTY_PRELOAD, through
sqlite_shell.py. After each block the runner adds a ".print" of a marker and
cuts the output at the markers. The shell's error lines name a line of what
it was fed ("Runtime error near line 21: ..."), not of the file: here they
read "Runtime error: ..." and "Parse error: ...".

The runner rebuilds the transcript from the file's input and the actual
output and compares it with the file. On a difference it prints a unified
diff (the file, then the actual transcript; each hunk header names the
statement whose output differs) and fails. With PENALTY_UPDATE_GOLDEN=1 it
writes the actual transcript over the file instead; an output line that still
equals its expectation keeps its text there (placeholders included).
"""
import argparse
import difflib
import os
import re
import sqlite3
import sys
import uuid

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import sqlite_shell  # noqa: E402

PLACEHOLDER = "@PENALTY_VERSION@"


def lines_of(text):
    lines = text.split("\n")
    return lines[:-1] if lines[-1] == "" else lines


def is_comment(line):
    return line.strip() == "" or line.lstrip().startswith("--")


class Block:
    def __init__(self, inputs):
        self.inputs = inputs    # the lines fed to the shell
        self.expected = []      # the output lines of the file, without "> "
        self.actual = []        # the output lines the shell printed

    def title(self):
        """The statement's first line (for the diff's hunk headers)."""
        return next((line for line in self.inputs if not is_comment(line)), "")


def parse(path, lines):
    blocks, pending, in_sql = [], [], False
    for number, line in enumerate(lines, 1):
        if line.startswith(">"):
            if line != ">" and not line.startswith("> "):
                sys.exit(f"{path}:{number}: an output line is '> TEXT' or a bare '>'")
            if in_sql:
                sys.exit(f"{path}:{number}: output inside a statement (a missing ';'?)")
            if pending or not blocks:
                sys.exit(f"{path}:{number}: output must follow its statement directly")
            blocks[-1].expected.append(line[2:])
            continue
        pending.append(line)
        # As in the shell: a line that starts with "." outside a statement is a dot-command.
        if in_sql or not line.startswith("."):
            in_sql = in_sql or not is_comment(line)
            if not (in_sql and sqlite3.complete_statement("\n".join(pending) + "\n")):
                continue
        blocks.append(Block(pending))
        pending, in_sql = [], False
    if in_sql:
        sys.exit(f"{path}: the file ends inside a statement (a missing ';'?)")
    if pending:
        blocks.append(Block(pending))  # comments at the end
    return blocks


def run(blocks, shell, module):
    marker = f"transcript-block-{uuid.uuid4().hex}"
    load = f".load {sqlite_shell.load_name(module)}"
    script = "".join(
        "".join(f"{load if line == '.load PENALTY' else line}\n" for line in block.inputs) + f".print {marker}\n"
        for block in blocks)
    output = sqlite_shell.ERROR_LINE.sub(r"\1 error: ", sqlite_shell.run(shell, script))
    # Piece k is what block k printed. After .bail stops the shell, the
    # blocks left have none; anything after the last marker goes to the last.
    pieces = output.split(marker + "\n")
    pieces[len(blocks) - 1:] = ["".join(pieces[len(blocks) - 1:])]
    for block, piece in zip(blocks, pieces):
        block.actual = lines_of(piece)


def render(blocks, version):
    """The transcript with the actual output in place of the expected."""
    lines = []
    for block in blocks:
        lines += block.inputs
        for j, line in enumerate(block.actual):
            if j < len(block.expected) and block.expected[j].replace(PLACEHOLDER, version) == line:
                line = block.expected[j]
            lines.append(f"> {line}" if line else ">")
    return lines


def diff(path, blocks, file_lines, actual_lines):
    """A unified diff whose hunk headers name the statement of the first
    change (as git names the function a hunk is in)."""
    titles = [block.title() for block in blocks for _ in range(len(block.inputs) + len(block.expected))]
    lines = list(difflib.unified_diff(file_lines, actual_lines, path, "actual", lineterm=""))
    for i, line in enumerate(lines):
        hunk = re.match(r"@@ -(\d+)", line)
        if not hunk:
            continue
        at = int(hunk.group(1)) - 1  # the line of the file, from 0
        for body in lines[i + 1:]:
            if body[0] in "-+":
                at -= body[0] == "+"  # an insertion: the line before it
                break
            at += 1
        if 0 <= at < len(titles):
            lines[i] += f" {titles[at]}"
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description="Runs one SQL transcript (see the header of this file).")
    parser.add_argument("--version", required=True, help="the value of @PENALTY_VERSION@")
    parser.add_argument("shell")
    parser.add_argument("module")
    parser.add_argument("file")
    args = parser.parse_args()
    sys.stdout.reconfigure(errors="backslashreplace")
    with open(args.file, encoding="utf-8", errors="surrogateescape") as f:
        file_lines = lines_of(f.read())
    blocks = parse(args.file, file_lines)
    run(blocks, args.shell, args.module)
    actual_lines = render(blocks, args.version)
    if os.environ.get("PENALTY_UPDATE_GOLDEN") == "1":
        with open(args.file, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write("\n".join(actual_lines) + "\n")
        print(f"updated {args.file}")
    elif actual_lines != file_lines:
        print(diff(args.file, blocks, file_lines, actual_lines))
        if any(PLACEHOLDER in line for line in file_lines):
            print(f"({PLACEHOLDER} is {args.version})")
        print(f"FAIL: {args.file}: the output differs (- expected, + actual; PENALTY_UPDATE_GOLDEN=1 to accept)")
        sys.exit(1)
    else:
        print(f"ok: {args.file}")


main()
