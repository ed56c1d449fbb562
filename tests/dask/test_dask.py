#!/usr/bin/env python3
"""tests/dask/test_dask.py MODULE — penalty.shards and penalty.dask on a
LocalCluster of 3 worker processes, against the single-database
penalty_standings on the same generated data (docs/scale.md).

Run with Debian's /usr/bin/python3 (ctest: dask.standings). Exit 77 (skipped,
with the reason) when Debian's python3-dask, python3-distributed or
python3-pandas is missing; ./run.sh test installs them.

Checks:
  1. the hash: 5 and 5.0 share an encoding; 1, '1', b'1', 1.5, NULL, 2^63 do not;
  2. split: every event in exactly one shard with its rowid and values, every
     seller (with links: every cluster) in one shard, links rows kept, the
     source's indexes; what split refuses, word for word;
  3. standings on 3 workers == the single database's, every column, row
     and value type, in order: 'taobao' without links, 'taobao_linked' with
     links, and the closure lists, on a links split and on a plain one;
     write_standings; the command line; bench/dask_bench.py runs and agrees;
  4. a worker killed while it holds a finished shard's result and other
     tasks run: the result is still complete and identical;
  5. a shard that is missing, not a database, not a shard or without a rule
     table, and a module that does not load: an error naming the shard; an
     incomplete list of shards: an error naming the missing shard numbers.
"""
import csv
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

try:
    import distributed  # noqa: F401
    import pandas  # noqa: F401
    import dask  # noqa: F401
except ImportError as e:
    print(f"dask: skipped: {e} (apt-get install python3-dask python3-distributed python3-pandas)")
    sys.exit(77)

if len(sys.argv) != 2:
    sys.exit("usage: test_dask.py MODULE")
os.environ["PENALTY_LOADABLE"] = os.path.abspath(sys.argv[1])
sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))

import penalty  # noqa: E402
from penalty import dask as pdask  # noqa: E402
from penalty import shards  # noqa: E402

AS_OF = "2017-12-31 23:59:59+08:00"
CODES = ["not_as_described", "broken_promise", "counterfeit", "leak_personal_info", "harassment",
         "harassment_severe", "fraud", "counterfeit_serious"]
WEIGHTS = [30, 25, 15, 10, 10, 2, 1, 7]

passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name}: {detail}")


def typed(rows):
    """Rows with each value's type, so that 5 and 5.0 or 1 and True differ."""
    return [tuple((type(v).__name__, v) for v in r) for r in rows]


def generate(path):
    """~3,000 sellers of every storage class (INTEGER, the same seller as an
    integral REAL on some rows, REAL, TEXT, BLOB, NULL), events at equal
    instants (ties by rowid), per-case points, revocations, rows after
    as_of, rowid gaps; links with chains, NULL entities and link-only
    sellers."""
    rng = random.Random(20171201)
    con = sqlite3.connect(path)
    penalty.load(con)
    con.execute("SELECT penalty_install()")
    for preset in ("taobao", "taobao_linked"):
        with open(os.path.join(ROOT, "sql", "presets", preset + ".sql"), encoding="utf-8") as f:
            con.executescript(f.read())
    con.execute("CREATE TABLE violations(seller_id, code, occurred_at, points, revoked_at)")
    sellers = ([k for k in range(1, 1801)] + [str(k) for k in range(1, 401)] + [f"shop-é-{k}" for k in range(300)]
               + [bytes([k % 256, k // 256]) for k in range(250)] + [k + 0.5 for k in range(200)] + [None])
    start, span = 1451606400, 3 * 365 * 86400  # 2016-01-01, three years
    rows = []
    for s in sellers:
        n = rng.randint(1, 25 if s is None else 9)
        t = start + rng.randrange(span)
        for _ in range(n):
            if rng.random() > 0.25:  # else a tie: the same instant as the seller's previous event
                t = start + rng.randrange(span)
            seller = float(s) if isinstance(s, int) and rng.random() < 0.1 else s
            code = rng.choices(CODES, WEIGHTS)[0]
            at = t if rng.random() < 0.2 else time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t))
            points = rng.choice([0, 3, 30]) if rng.random() < 0.05 else None
            revoked = (time.strftime("%Y-%m-%d", time.gmtime(t + rng.randrange(1, 400) * 86400))
                       if rng.random() < 0.05 else None)
            rows.append((seller, code, at, points, revoked))
    rng.shuffle(rows)
    con.executemany("INSERT INTO violations VALUES (?, ?, ?, ?, ?)", rows)
    con.execute("DELETE FROM violations WHERE rowid % 37 = 0")  # rowid gaps
    con.execute("CREATE TABLE shop_links(seller_id, entity)")
    linked = [s for s in sellers if s is not None] + [f"ghost-{k}" for k in range(60)]
    entities = [f"phone-{k}" for k in range(500)] + list(range(300)) + [b"\x01dev"]
    links = [(rng.choice(linked), rng.choice(entities)) for _ in range(1500)]
    links += [(rng.choice(linked), None) for _ in range(50)]
    con.executemany("INSERT INTO shop_links VALUES (?, ?)", links)
    con.commit()
    con.close()


def single(path, ruleset, links, closures_only=False):
    con = sqlite3.connect(shards.file_uri(path, "ro"), uri=True)
    penalty.load(con)
    args = [ruleset, "violations", AS_OF] + (["shop_links"] if links else [])
    sql = (f"SELECT * FROM penalty_standings({', '.join('?' * len(args))})"
           + (" WHERE closure_at IS NOT NULL" if closures_only else ""))
    cur = con.execute(sql, args)
    cols = [d[0] for d in cur.description]
    rows = cur.fetchall()
    con.close()
    return cols, rows


def check_split(src, paths, links):
    """Every event in one shard, with its rowid and values; sellers and
    clusters whole; links rows kept."""
    con = sqlite3.connect(src)
    penalty.load(con)
    events = {r[0]: r for r in con.execute("SELECT rowid, * FROM violations")}
    link_rows = {r[0]: r for r in con.execute("SELECT rowid, * FROM shop_links")} if links else {}
    cluster_of = {shards.encode(s): shards.encode(c)
                  for s, c in con.execute("SELECT seller_id, cluster FROM penalty_clusters('shop_links')")}
    con.close()
    seen, seen_links, home, split_sellers = {}, {}, {}, []
    for k, p in enumerate(paths):
        sc = sqlite3.connect(p)
        for r in sc.execute("SELECT rowid, * FROM violations"):
            seen[r[0]] = r
            key = shards.encode(r[1])
            if links:
                key = cluster_of.get(key, key)
            if home.setdefault(key, k) != k:
                split_sellers.append(r)
        if links:
            for r in sc.execute("SELECT rowid, * FROM shop_links"):
                seen_links[r[0]] = r
        info = dict(sc.execute("SELECT key, value FROM shard_info"))
        check("split: shard_info", info["shard"] == k and info["shards"] == len(paths), repr(info))
        sc.close()
    check("split: every seller (cluster) in one shard", not split_sellers, repr(split_sellers[:3]))
    check("split: every event once, rowid and values kept", typed(sorted(seen.values())) == typed(events.values()),
          f"{len(seen)} of {len(events)}")
    check("split: every links row once, rowid kept",
          typed(sorted(seen_links.values())) == typed(link_rows.values()), f"{len(seen_links)} of {len(link_rows)}")


def main():
    t_start = time.monotonic()
    check("encode: 5 and 5.0", shards.encode(5) == shards.encode(5.0) and shards.shard_of(5, 7) == shards.shard_of(5.0, 7))
    encodings = {shards.encode(v) for v in (1, "1", b"1", 1.5, None, -0.0 + 2 ** 63)}
    check("encode: 1, '1', b'1', 1.5, NULL, 2^63 differ", len(encodings) == 6, repr(encodings))
    check("encode: bytes exactly", shards.encode(-1) == b"\x01" + b"\xff" * 8 and shards.encode("é") == b"\x03\xc3\xa9"
          and shards.encode(None) == b"\x00" and shards.encode(b"") == b"\x04", repr(shards.encode(-1)))

    with tempfile.TemporaryDirectory() as tmp:
        # Two sources: without indexes, and with the recommended ones (the
        # shards copy them: the plan decides which of 5 and 5.0 names seller 5).
        src, bare = os.path.join(tmp, "source.db"), os.path.join(tmp, "bare.db")
        generate(bare)
        with open(bare, "rb") as f, open(src, "wb") as g:
            g.write(f.read())
        con = sqlite3.connect(src)
        con.executescript("CREATE INDEX violations_seller ON violations(seller_id, occurred_at, code);"
                          "CREATE INDEX links_seller ON shop_links(seller_id);"
                          "CREATE INDEX links_entity ON shop_links(entity);")
        con.close()
        linked_dir, plain_dir = os.path.join(tmp, "linked"), os.path.join(tmp, "plain")
        linked = shards.split(src, "violations", 7, linked_dir, links="shop_links")
        plain = shards.split(bare, "violations", 4, plain_dir, ruleset="taobao")
        check("split: shard_paths reads the manifest", shards.shard_paths(linked_dir) == linked)
        check_split(src, linked, True)
        check_split(bare, plain, False)
        indexes = sqlite3.connect(linked[0]).execute(
            "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name)")
        names = indexes.fetchone()[0]
        check("split: the source's indexes", names == "links_entity,links_seller,violations_seller", names)
        empty = os.path.join(tmp, "empty.db")
        sqlite3.connect(empty).execute("CREATE TABLE violations(seller_id, code, occurred_at)").connection.close()
        for args, kwargs, message in [
                ((src, "violations", 0, tmp + "/x"), {}, "penalty.shards: shards is 0; expected an integer >= 1"),
                ((src + ".no", "violations", 2, tmp + "/x"), {},
                 f"penalty.shards: source database {src}.no does not exist"),
                ((src, "nosuch", 2, tmp + "/x"), {},
                 "penalty.shards: source 'nosuch': no such table: nosuch; expected a table or view"),
                ((src, "penalty_track", 2, tmp + "/x"), {}, "penalty.shards: source 'penalty_track' has no column "
                 "seller_id, code, occurred_at; expected the columns seller_id, code, occurred_at"),
                ((src, "violations", 2, tmp + "/x"), {"links": "violations"}, "penalty.shards: links 'violations' "
                 "has no column entity; expected the columns seller_id, entity"),
                ((src, "violations", 2, tmp + "/x"), {"ruleset": "nosuch"},
                 f"penalty.shards: ruleset 'nosuch' is not in penalty_ruleset of {src}"),
                ((empty, "violations", 2, tmp + "/x"), {}, f"penalty.shards: {empty} has no rule tables "
                 "(penalty_ruleset); expected a database where penalty_install() has run")]:
            try:
                shards.split(*args, **kwargs)
                check(f"split refuses: {message}", False, "no error")
            except shards.ShardError as e:
                check(f"split refuses: {message}", str(e) == message, str(e))
        check("split: nothing left by refusals", os.listdir(os.path.join(tmp, "x")) == [] if
              os.path.exists(os.path.join(tmp, "x")) else True)
        try:
            shards.split(src, "violations", 2, plain_dir)
            check("split: refuses a directory with a split", False)
        except shards.ShardError as e:
            check("split: refuses a directory with a split", str(e) == f"penalty.shards: {plain_dir} already holds "
                  "a split (shards.json); expected a new or empty directory", str(e))

        cluster = distributed.LocalCluster(n_workers=3, threads_per_worker=1, processes=True,
                                           dashboard_address=None, silence_logs=50)  # the kill logs an ERROR
        client = distributed.Client(cluster)
        try:
            cases = [("taobao, no links, links split", src, linked, "taobao", False, False),
                     ("taobao_linked with links", src, linked, "taobao_linked", True, False),
                     ("taobao_linked with links, closures only", src, linked, "taobao_linked", True, True),
                     ("taobao, plain split", bare, plain, "taobao", False, False),
                     ("taobao, plain split, closures only", bare, plain, "taobao", False, True)]
            for name, source, paths, ruleset, links, closures_only in cases:
                cols, want = single(source, ruleset, links, closures_only)
                frame = pdask.standings(client, paths, ruleset, AS_OF, links=links, closures_only=closures_only)
                got = pdask.frame_rows(frame)
                check(f"standings {name}: columns", list(frame.columns) == cols, repr(list(frame.columns)))
                check(f"standings {name}: rows", typed(got) == typed(want),
                      f"{len(got)} rows, want {len(want)}; first difference: "
                      f"{next(((g, w) for g, w in zip(typed(got), typed(want)) if g != w), None)}")
            _, want = single(src, "taobao_linked", True)
            check("data: closures through links", sum(1 for r in want if r[12] is not None) >= 5,
                  str(sum(1 for r in want if r[12] is not None)))
            check("data: NULL, REAL, TEXT, BLOB sellers", {type(r[0]) for r in want} ==
                  {type(None), int, float, str, bytes}, repr({type(r[0]) for r in want}))

            # The result as one SQLite file, ordered by SQLite.
            out = os.path.join(tmp, "result.db")
            count = pdask.write_standings(client, linked, "taobao_linked", AS_OF, out, links=True)
            got = sqlite3.connect(out).execute("SELECT * FROM standings ORDER BY rowid").fetchall()
            check("write_standings: the rows, in order", count == len(want) and typed(got) == typed(want),
                  f"{count} rows, want {len(want)}")

            # The command line, against this cluster's scheduler.
            env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "bindings", "python"))
            cli_dir, cli_csv = os.path.join(tmp, "cli"), os.path.join(tmp, "cli.csv")
            run = subprocess.run([sys.executable, "-m", "penalty.dask", "shard", "--source", bare, "--table",
                                  "violations", "--shards", "3", "--out", cli_dir], env=env, capture_output=True,
                                 text=True)
            check("cli shard", run.returncode == 0 and len(shards.shard_paths(cli_dir)) == 3, run.stderr)
            run = subprocess.run([sys.executable, "-m", "penalty.dask", "standings", "--scheduler",
                                  cluster.scheduler_address, "--ruleset", "taobao", "--as-of", AS_OF,
                                  "--closures-only", "--csv", cli_csv, cli_dir], env=env, capture_output=True,
                                 text=True)
            cols, closures = single(bare, "taobao", False, True)
            with open(cli_csv, encoding="utf-8", newline="") as f:
                lines = list(csv.reader(f))
            cell = (lambda v: "" if v is None else f"X'{v.hex().upper()}'" if isinstance(v, bytes) else str(v))
            check("cli standings --csv", run.returncode == 0 and lines == [cols] + [[cell(v) for v in r]
                                                                               for r in closures], run.stderr)
            check("cli standings: its summary", re.fullmatch(f"penalty.dask: {len(closures)} rows from 3 shards in "
                                                             r"[0-9]+\.[0-9]{2} s\n", run.stderr), run.stderr)
            run = subprocess.run([sys.executable, "-m", "penalty.dask", "standings", "--scheduler",
                                  cluster.scheduler_address, "--ruleset", "taobao", "--as-of", AS_OF, tmp],
                                 env=env, capture_output=True, text=True)
            check("cli standings: not a split", run.returncode == 1 and run.stderr.startswith(
                f"error: penalty.shards: {tmp}/shards.json is not a split's manifest ("), run.stderr)

            # bench/dask_bench.py runs (on this small source: its numbers mean nothing).
            run = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "dask_bench.py"), bare, "--repeat", "1"],
                                 env=env, capture_output=True, text=True)
            check("bench/dask_bench.py runs and agrees", run.returncode == 0 and
                  "dask frame equals the single process's" in run.stdout, run.stdout + run.stderr)

            # A worker killed while it holds a finished shard's result and
            # others are still running: Dask recomputes, the result is whole.
            futures = pdask.submit(client, linked, "taobao_linked", AS_OF, links=True, task_delay=1.5)
            distributed.wait(futures, return_when="FIRST_COMPLETED")
            done = next(f for f in futures if f.done())
            holder = next(iter(client.who_has([done])[done.key]))
            pids = client.run(os.getpid)
            running = sum(1 for f in futures if not f.done())
            os.kill(pids[holder], signal.SIGKILL)
            frame = pdask.collect(client, futures, linked)
            check("killed worker: tasks were still running", running >= 1, str(running))
            check("killed worker: the result is complete and identical", typed(pdask.frame_rows(frame)) == typed(want),
                  f"{len(frame)} rows, want {len(want)}")
            check("killed worker: it is gone", holder not in client.scheduler_info()["workers"], holder)

            # Shards that fail to open.
            bad = os.path.join(tmp, "bad")
            os.mkdir(bad)
            garbage, noshard, norules = (os.path.join(bad, n) for n in ("garbage.db", "noshard.db", "norules.db"))
            with open(garbage, "wb") as f:
                f.write(b"this is not an SQLite database" * 100)
            sqlite3.connect(noshard).execute("CREATE TABLE violations(seller_id, code, occurred_at)").connection.close()
            with open(linked[2], "rb") as f, open(norules, "wb") as g:
                g.write(f.read())
            c = sqlite3.connect(norules)
            c.execute("DROP TABLE penalty_violation")
            c.commit()
            c.close()
            missing = os.path.join(bad, "missing.db")
            expected = {
                missing: f"penalty.dask: shard {missing}: cannot open: unable to open database file",
                garbage: f"penalty.dask: shard {garbage}: not a shard (file is not a database); "
                         "expected a file written by penalty.shards.split",
                noshard: f"penalty.dask: shard {noshard}: not a shard (no such table: shard_info); "
                         "expected a file written by penalty.shards.split",
                norules: f"penalty.dask: shard {norules}: penalty_standings: "
                         "cannot read rule table penalty_violation (no such table: penalty_violation); "
                         "run SELECT penalty_install() to create the rule tables",
            }
            for path, message in expected.items():
                try:
                    pdask.standings(client, linked[:2] + [path] + linked[3:], "taobao", AS_OF)
                    check(f"bad shard {os.path.basename(path)}", False, "no error")
                except pdask.ShardTaskError as e:
                    check(f"bad shard {os.path.basename(path)}", str(e) == message, str(e))
            module = os.environ["PENALTY_LOADABLE"]
            os.environ["PENALTY_LOADABLE"] = os.path.join(bad, "nosuch")  # the task, run here
            try:
                pdask.score_shard(linked[0], "taobao", AS_OF)
                check("no module", False, "no error")
            except pdask.ShardTaskError as e:
                check("no module", str(e) == f"penalty.dask: shard {linked[0]}: loading the penalty module: "
                      f"{bad}/nosuch.so: cannot open shared object file: No such file or directory", str(e))
            finally:
                os.environ["PENALTY_LOADABLE"] = module
            try:
                pdask.standings(client, linked[:3] + linked[4:], "taobao", AS_OF)
                check("incomplete split", False, "no error")
            except shards.ShardError as e:
                check("incomplete split", str(e) == "penalty.dask: the split has 7 shards; got 6 paths with shard "
                      "numbers [0, 1, 2, 4, 5, 6] (missing [3]); expected each shard once", str(e))
        finally:
            client.close()
            cluster.close()
    print(f"dask: {passed} passed, {failed} failed ({time.monotonic() - t_start:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
