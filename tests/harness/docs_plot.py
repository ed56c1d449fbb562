#!/usr/bin/python3
"""docs_plot.py SQLITE3 MODULE — runs docs/plot_balance.py (the plot of the
rules guide and the README) into a temporary file: the PNG must be written,
and every point it plotted must equal the seller's balance computed another
way (penalty_total(ruleset, code, at, as_of, track) as a window over the
seller's events, in the sqlite3 shell, on the demo database of
sql/demo/make_marketplace.sh), for exactly the events on the plotted track;
and every line of the excerpt that docs/rules-guide.md shows (its ```python
block) must be a line of the script.

Exits 77 (ctest: skipped), saying why, when matplotlib is missing. Run by
Debian's /usr/bin/python3 from the project root (tests/CMakeLists.txt).
"""
import os
import subprocess
import sys
import tempfile

try:
    import matplotlib  # noqa: F401
except ImportError:
    print("skipped: python3-matplotlib is not installed (apt-get install python3-matplotlib; ./run.sh test does)")
    sys.exit(77)

shell = sys.argv[1]
module = sys.argv[2][:-3] if sys.argv[2].endswith(".so") else sys.argv[2]
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
env = dict(os.environ, PENALTY_LOADABLE=module)
with tempfile.TemporaryDirectory() as work:
    out = os.path.join(work, "balance.png")
    done = subprocess.run([sys.executable, os.path.join(root, "docs", "plot_balance.py"), out], cwd=work, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, encoding="utf-8")
    if done.returncode != 0:
        sys.exit(f"FAIL: docs/plot_balance.py exited with {done.returncode}:\n{done.stdout}")
    with open(out, "rb") as f:
        png = f.read()
if not png.startswith(b"\x89PNG\r\n\x1a\n") or len(png) < 10000:
    sys.exit(f"FAIL: docs/plot_balance.py wrote no PNG image ({len(png)} bytes)")
with open(os.path.join(root, "docs", "plot_balance.py"), encoding="utf-8") as f:
    script_lines = set(f.read().splitlines())
with open(os.path.join(root, "docs", "rules-guide.md"), encoding="utf-8") as f:
    guide = f.read()
excerpt = guide.split("```python\n", 1)[1].split("```", 1)[0].splitlines() if "```python\n" in guide else []
missing = [line for line in excerpt if line.strip() and line not in script_lines]
if not excerpt or missing:
    sys.exit(f"FAIL: docs/rules-guide.md shows no excerpt of docs/plot_balance.py, or lines not in it: {missing}")
plotted = [tuple(line.split("\t")) for line in done.stdout.splitlines()]
plotted = [(t, int(b)) for t, b in plotted]

# The same balances through the aggregate, on the same data.
query = """
    SELECT occurred_at, balance FROM (
      SELECT v.occurred_at, pv.track,
             penalty_total('taobao', v.code, v.occurred_at, v.occurred_at, 'serious')
               OVER (ORDER BY v.occurred_at, v.id) AS balance
        FROM violations AS v
        JOIN penalty_violation AS pv ON pv.ruleset = 'taobao' AND pv.code = v.code
       WHERE v.seller_id = 2444)
     WHERE track = 'serious' ORDER BY occurred_at;"""
with tempfile.TemporaryDirectory() as work:
    db = os.path.join(work, "marketplace.db")
    subprocess.run([os.path.join(root, "sql", "demo", "make_marketplace.sh"), db, module], check=True,
                   env=dict(os.environ, SQLITE3=shell))
    answer = subprocess.run([shell, "-batch", "-bail", "-separator", "\t", db, "-cmd", f".load {module}"], input=query,
                            stdout=subprocess.PIPE, encoding="utf-8", check=True).stdout
expected = [(t, int(b)) for t, b in (line.split("\t") for line in answer.splitlines())]
if len(expected) < 2 or plotted != expected:
    sys.exit(f"FAIL: the plotted points differ from penalty_total:\nplotted  {plotted}\nexpected {expected}")
print(f"ok: docs/plot_balance.py wrote a {len(png):,}-byte PNG; its {len(plotted)} points match penalty_total: "
      + ", ".join(f"{t} {b}" for t, b in plotted))
