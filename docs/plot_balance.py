#!/usr/bin/python3
"""plot_balance.py [OUT.png] — one seller's balance over time, against the
thresholds of its ruleset, drawn with matplotlib (Debian: python3-matplotlib).

Builds the demo marketplace in memory (sql/presets/taobao.sql and
sql/demo/marketplace.sql), loads the extension with the package in bindings/python/
(PENALTY_LOADABLE names the module; default build/penalty of this checkout),
reads the seller's ledger with penalty_ledger and draws the track's balance
after each event as a step line, with each threshold of the track as a
horizontal line labelled with its sanction. Writes OUT.png (default
docs/balance.png) and prints each plotted point, "occurred_at<TAB>balance".

    /usr/bin/python3 docs/plot_balance.py
    SELLER=1955 TRACK=serious /usr/bin/python3 docs/plot_balance.py /tmp/b.png

Runs from any directory; the docs test (tests/CMakeLists.txt, docs.plot)
runs it and checks the printed points against penalty_total.
"""
import datetime
import os
import sqlite3
import sys

import matplotlib
matplotlib.use("Agg")  # no display: write the file only
import matplotlib.pyplot as plt  # noqa: E402

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("PENALTY_LOADABLE", os.path.join(root, "build", "penalty"))
sys.path.insert(0, os.path.join(root, "bindings", "python"))
import penalty  # noqa: E402

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "docs", "balance.png")
seller = int(os.environ.get("SELLER", "2444"))
track = os.environ.get("TRACK", "serious")
ruleset = "taobao"

con = sqlite3.connect(":memory:")
penalty.load(con)
con.execute("SELECT penalty_install()")
for script in ("sql/presets/taobao.sql", "sql/demo/marketplace.sql"):
    with open(os.path.join(root, script), encoding="utf-8") as f:
        con.executescript(f.read())

# The balance of the track after each of the seller's events on it.
points = con.execute(
    "SELECT occurred_at, track_points, closes FROM penalty_ledger(?, 'violations')"
    " WHERE seller_id = ? AND track = ? ORDER BY occurred_at",
    (ruleset, seller, track)).fetchall()
thresholds = con.execute(
    "SELECT points, sanction FROM penalty_threshold WHERE ruleset = ? AND track = ? ORDER BY points",
    (ruleset, track)).fetchall()
name = con.execute("SELECT name FROM sellers WHERE id = ?", (seller,)).fetchone()[0]
if not points:
    sys.exit(f"plot_balance.py: seller {seller} has no event on track '{track}' in ruleset '{ruleset}'")

times = [datetime.datetime.fromisoformat(t) for t, _, _ in points]
balances = [b for _, b, _ in points]
# Start at 0 on 1 January and hold the last balance to the end of the year.
start, end = datetime.datetime(2017, 1, 1), datetime.datetime(2017, 12, 31, 23, 59, 59)
fig, ax = plt.subplots(figsize=(8, 4), dpi=100)
ax.step([start] + times + [end], [0] + balances + [balances[-1]], where="post", color="tab:blue", linewidth=2,
        label=f"{name}: track '{track}' balance")
ax.plot(times, balances, "o", color="tab:blue")
for when, balance, (t, _, closes) in zip(times, balances, points):
    if closes:
        ax.annotate(f"closed {t}", (when, balance), xytext=(-150, -30), textcoords="offset points",
                    arrowprops={"arrowstyle": "->"}, fontsize=9)
for threshold, sanction in thresholds:
    ax.axhline(threshold, color="tab:red", linestyle="--", linewidth=1)
    ax.annotate(f"{threshold}: {sanction}", (start, threshold), xytext=(4, 3), textcoords="offset points",
                color="tab:red", fontsize=9)
ax.set_xlim(start, end)
ax.set_ylim(0, max(balances + [t for t, _ in thresholds]) + 6)
ax.set_ylabel("points")
ax.set_title(f"{name} under the '{ruleset}' rules, 2017 (penalty_ledger)")
ax.legend(loc="lower right")
fig.autofmt_xdate()
fig.tight_layout()
fig.savefig(out)
for t, b, _ in points:
    print(f"{t}\t{b}")
