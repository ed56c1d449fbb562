#!/usr/bin/python3
"""bench/dask_bench.py — penalty_standings in one process against the same
standings over shards on a Dask LocalCluster (docs/scale.md#measured).

    PYTHONPATH=bindings/python PENALTY_LOADABLE=build/penalty.so /usr/bin/python3 bench/dask_bench.py \\
        bench/data/events-10000000-covering.db [--workers 2] [--repeat 3]

The database is bench/bench.cpp's (./build/penalty_bench build/penalty.so DB N
writes it). Measures, each --repeat times (the best and the median):
  single   one process: SELECT * FROM penalty_standings(...) into Python rows
           (the scoring step), then a pandas DataFrame of them (all columns)
  split    penalty.shards.split into --workers shards (once: a fresh directory)
  scoring  the Dask tasks: every shard's standings computed on the workers
           (submit until every task is done; the results stay on the workers)
           (also each worker's CPU time: the busiest one's against the single
           process's CPU time is the speed-up two idle cores would give)
  collect  gathering them, ordering by seller and building the DataFrame
  closures the closure list only (closures_only), end to end
and checks that the Dask frame equals the single process's, row for row.
Prints the load average before and after (the machine may be shared).
"""
import argparse
import os
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bindings", "python"))

import distributed  # noqa: E402
import pandas  # noqa: E402

import penalty  # noqa: E402
from penalty import dask as pdask  # noqa: E402
from penalty import shards  # noqa: E402

AS_OF = "2018-12-31 23:59:59+08:00"


def cpu_seconds():
    """This process's user + system CPU time."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def single(db):
    con = sqlite3.connect(shards.file_uri(db, "ro"), uri=True)
    penalty.load(con)
    c0 = cpu_seconds()
    t0 = time.perf_counter()
    cur = con.execute("SELECT * FROM penalty_standings('taobao', 'violations', ?)", (AS_OF,))
    columns = [d[0] for d in cur.description]
    rows = cur.fetchall()
    t1 = time.perf_counter()
    cpu = cpu_seconds() - c0
    frame = pandas.DataFrame({c: pandas.Series([r[k] for r in rows], dtype=object) for k, c in enumerate(columns)})
    for c in pdask.INT_COLUMNS:
        frame[c] = frame[c].astype("int64")
    t2 = time.perf_counter()
    con.close()
    return t1 - t0, t2 - t0, cpu, rows


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def show(name, times, extra=""):
    print(f"{name:9s} best {min(times):7.2f} s  median {statistics.median(times):7.2f} s  {extra}", flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("db")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--work", help="directory for the shards (default: a temporary one, removed)")
    a = p.parse_args()
    events = sqlite3.connect(shards.file_uri(a.db, "ro"), uri=True).execute("SELECT count(*) FROM violations").fetchone()[0]
    print(f"events {events}, workers {a.workers}, load average before {os.getloadavg()}", flush=True)

    s_score, s_total, s_cpu = [], [], []
    for _ in range(a.repeat):
        score, total, cpu, rows = single(a.db)
        s_score.append(score)
        s_total.append(total)
        s_cpu.append(cpu)
    show("single", s_score, f"(scoring, CPU {min(s_cpu):.2f} s; with the DataFrame: best {min(s_total):.2f} s, "
                            f"median {statistics.median(s_total):.2f} s; {len(rows)} rows)")

    work = a.work or tempfile.mkdtemp(prefix="penalty-dask-bench-")
    out = os.path.join(work, "shards")
    shutil.rmtree(out, ignore_errors=True)
    t0, c0 = time.perf_counter(), cpu_seconds()
    paths = shards.split(a.db, "violations", a.workers, out)
    split_s, split_cpu = time.perf_counter() - t0, cpu_seconds() - c0
    print(f"split     {split_s:7.2f} s  (CPU {split_cpu:.2f} s; {a.workers} shards, "
          f"{sum(os.path.getsize(x) for x in paths) / 2**20:.0f} MiB)", flush=True)

    cluster = distributed.LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=40)
    client = distributed.Client(cluster)
    try:
        client.run(lambda: __import__("penalty.dask"))  # warm: imports on every worker
        d_score, d_collect, d_total, d_closures, d_cpu = [], [], [], [], []
        for k in range(a.repeat):
            c0 = client.run(cpu_seconds)
            t0 = time.perf_counter()
            futures = pdask.submit(client, paths, "taobao", AS_OF)
            distributed.wait(futures)
            t1 = time.perf_counter()
            c1 = client.run(cpu_seconds)
            d_cpu.append(max(c1[w] - c0[w] for w in c0))
            frame = pdask.collect(client, futures, paths)
            t2 = time.perf_counter()
            del futures  # release the results: the next round scores again
            d_score.append(t1 - t0)
            d_collect.append(t2 - t1)
            d_total.append(t2 - t0)
            t0 = time.perf_counter()
            closures = pdask.standings(client, paths, "taobao", AS_OF, closures_only=True)
            d_closures.append(time.perf_counter() - t0)
            if k == 0:
                same = pdask.frame_rows(frame) == rows
                print(f"dask frame {'equals' if same else 'DIFFERS FROM'} the single process's ({len(frame)} rows; "
                      f"{len(closures)} closures)", flush=True)
                if not same:
                    return 1
            del frame, closures
        rss = client.run(peak_rss_mib)
    finally:
        client.close()
        cluster.close()
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)
    show("scoring", d_score, f"speed-up {min(s_score) / min(d_score):.2f}x (best), "
                             f"{statistics.median(s_score) / statistics.median(d_score):.2f}x (median); "
                             f"CPU of the busiest worker {min(d_cpu):.2f} s: {min(s_cpu) / min(d_cpu):.2f}x")
    show("collect", d_collect)
    show("total", d_total, f"speed-up {min(s_total) / min(d_total):.2f}x against the single process with its "
                           f"DataFrame; with the split: {split_s + min(d_total):.2f} s")
    show("closures", d_closures, "(the closure list only, end to end)")
    print(f"worker peak RSS: {', '.join(f'{v:.0f} MiB' for v in rss.values())}; this process {peak_rss_mib():.0f} MiB")
    print(f"load average after {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
