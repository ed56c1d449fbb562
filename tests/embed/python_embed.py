#!/usr/bin/env python3
"""Python's standard sqlite3 module loads the penalty module and scores the
spec's worked example. python_embed.py MODULE (run by ctest with Debian's
/usr/bin/python3, which has enable_load_extension)."""
import sqlite3
import sys

con = sqlite3.connect(":memory:")
con.enable_load_extension(True)
con.load_extension(sys.argv[1])
con.enable_load_extension(False)
con.execute("SELECT penalty_install()")
con.executescript(open("sql/presets/taobao.sql", encoding="utf-8").read())
con.execute("CREATE TABLE violations(seller_id, code, occurred_at)")
con.executemany("INSERT INTO violations VALUES (1, 'harassment', ?)",
                [("2017-03-01 12:00:00",), ("2017-04-01 12:00:00",), ("2017-05-01 12:00:00",), ("2017-06-01 12:00:00",)])
got = con.execute("SELECT points, repeats, closure_at FROM penalty_standings('taobao', 'violations', ?)",
                  ("2017-06-30",)).fetchall()
assert got == [(48, 3, "2017-06-01 12:00:00")], got
balances = [r[0] for r in con.execute(
    "SELECT penalty_total('taobao', code, occurred_at, occurred_at) OVER (ORDER BY occurred_at) FROM violations")]
assert balances == [12, 24, 36, 48], balances
try:
    con.execute("SELECT penalty_points('taobao', 'harassment', '2017-02-30')").fetchall()
    raise AssertionError("no error")
except sqlite3.OperationalError as e:
    assert str(e).startswith("penalty_points: argument 'at': invalid timestamp '2017-02-30'"), e
print("python: 3 passed, 0 failed")
