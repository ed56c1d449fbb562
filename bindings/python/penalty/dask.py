"""penalty.dask: penalty_standings over the shards of penalty.shards, on a Dask
cluster (distributed.Client), as one pandas DataFrame.

    from distributed import Client
    from penalty import dask as pdask, shards
    client = Client("tcp://scheduler:8786")
    df = pdask.standings(client, shards.shard_paths("shards/"), "taobao", "2018-12-31 23:59:59+08:00")

    python3 -m penalty.dask shard --source DB --table violations --shards N --out DIR [--links links]
    python3 -m penalty.dask standings (--scheduler ADDR | --local N) --ruleset R --as-of T DIR [--out DB | --csv FILE]

Contract (docs/scale.md):

- One task per shard, `score_shard(path, ...)`: opens the shard read-only
  (an SQLite URI with mode=ro), loads the extension (penalty.load), runs
  `SELECT * FROM penalty_standings(ruleset, source, as_of [, links])`
  (closures_only: `WHERE closure_at IS NOT NULL`) and returns the shard's
  shard_info, the column names and the rows. It writes nothing and reads
  only its file, so re-running it (Dask reschedules the tasks of a worker
  that died) gives the same answer. Any failure (missing file, not a
  database, no shard_info, missing rule tables, an extension error) is a
  ShardTaskError whose text starts with "penalty.dask: shard PATH: ".
- standings() checks that the shards are one whole split (same split id,
  each shard number 0..n-1 once, n paths) and returns the rows of every
  shard in SQLite's order of seller_id (NULL, then numbers by value, then
  text by its UTF-8 bytes, then blobs by bytes: ORDER BY seller_id COLLATE
  BINARY), which is the single-database order. Columns are exactly
  penalty_standings' (`SELECT *`); points, offences, dismissed, repeats and
  merged are int64, every other column holds the values as Python's sqlite3
  returns them (object dtype: None for NULL).
- write_standings() writes the same rows into a table `standings` (untyped
  columns: values as stored) of a new SQLite file, streaming (one shard's
  rows in the client at a time) and ordered by SQLite (ORDER BY seller_id
  COLLATE BINARY).
- task_delay (tests only): each task sleeps that many seconds after its
  query, so a test can kill a worker while tasks are running.

Needs Debian's python3-dask, python3-distributed and python3-pandas (pip: the
extra sqlite-penalty[dask]), imported only when standings are computed, and the
penalty package importable on every worker with the module it loads
(PENALTY_LOADABLE, see penalty/__init__.py).
"""
import argparse
import contextlib
import csv
import os
import re
import sqlite3
import sys
import time

from . import load
from .shards import ShardError, file_uri, quote, shard_paths, split

__all__ = ["ShardTaskError", "score_shard", "submit", "collect", "standings", "write_standings", "seller_key",
           "main"]

INT_COLUMNS = ("points", "offences", "dismissed", "repeats", "merged")


def _needs():
    """distributed and pandas, imported on first use (the optional part
    `sqlite-penalty[dask]`): `import penalty.dask`, score_shard and the shard
    command need neither."""
    try:
        import distributed
        import pandas
    except ImportError as e:  # pragma: no cover - depends on the machine
        raise ImportError(f"penalty.dask needs Debian's python3-dask, python3-distributed and python3-pandas "
                          f"(apt-get install python3-dask python3-distributed python3-pandas; "
                          f"pip: sqlite-penalty[dask]): {e}") from e
    return distributed, pandas


class ShardTaskError(RuntimeError):
    """A shard that could not be scored; the text names the shard's path."""


def score_shard(path, ruleset, as_of, links=False, closures_only=False, task_delay=0.0):
    """One shard's standings: (shard_info as a dict, column names, rows)."""
    try:
        con = sqlite3.connect(file_uri(path, "ro"), uri=True)
    except sqlite3.Error as e:
        raise ShardTaskError(f"penalty.dask: shard {path}: cannot open: {e}") from None
    try:
        try:
            info = dict(con.execute("SELECT key, value FROM shard_info"))
        except sqlite3.Error as e:
            raise ShardTaskError(f"penalty.dask: shard {path}: not a shard ({e}); "
                                 "expected a file written by penalty.shards.split") from None
        if links and not info.get("links"):
            raise ShardTaskError(f"penalty.dask: shard {path}: links asked for, but the split has no links "
                                 "table; expected shards split with links")
        args = [ruleset, info["source"], as_of] + ([info["links"]] if links else [])
        sql = (f"SELECT * FROM penalty_standings({', '.join('?' * len(args))})"
               + (" WHERE closure_at IS NOT NULL" if closures_only else ""))
        try:
            load(con)
        except (sqlite3.Error, RuntimeError) as e:
            raise ShardTaskError(f"penalty.dask: shard {path}: loading the penalty module: {e}") from None
        try:
            cur = con.execute(sql, args)
            columns = [d[0] for d in cur.description]
            rows = cur.fetchall()
        except sqlite3.Error as e:
            raise ShardTaskError(f"penalty.dask: shard {path}: {e}") from None
    finally:
        con.close()
    if task_delay:
        time.sleep(task_delay)
    return info, columns, rows


def seller_key(value):
    """A sort key giving SQLite's ORDER BY ... COLLATE BINARY order."""
    if value is None:
        return (0, 0)
    if isinstance(value, (int, float)):
        return (1, value)  # Python compares int with float exactly, as SQLite does
    if isinstance(value, str):
        return (2, value.encode("utf-8"))
    return (3, bytes(value))


def submit(client, paths, ruleset, as_of, *, links=False, closures_only=False, task_delay=0.0):
    """Submits one score_shard task per shard; returns the futures."""
    paths = [os.fspath(p) for p in paths]
    if not paths:
        raise ShardError("penalty.dask: no shard paths; expected the files of one split")
    return [client.submit(score_shard, p, ruleset, as_of, links, closures_only, task_delay, pure=True)
            for p in paths]


def _check_split(paths, infos):
    first = infos[0]
    for path, info in zip(paths, infos):
        if info.get("split") != first.get("split"):
            raise ShardError(f"penalty.dask: shard {path} is of split {info.get('split')}, "
                             f"{paths[0]} of {first.get('split')}; expected the shards of one split")
    numbers = sorted(info["shard"] for info in infos)
    if numbers != list(range(first["shards"])):
        missing = sorted(set(range(first["shards"])) - set(numbers))
        raise ShardError(f"penalty.dask: the split has {first['shards']} shards; got {len(paths)} paths with "
                         f"shard numbers {numbers} (missing {missing}); expected each shard once")


def collect(client, futures, paths):
    """Gathers the tasks of submit(): the whole standings as one DataFrame."""
    _, pandas = _needs()
    results = client.gather(futures)
    _check_split([os.fspath(p) for p in paths], [r[0] for r in results])
    columns = results[0][1]
    rows = [row for _, _, shard_rows in results for row in shard_rows]
    rows.sort(key=lambda row: seller_key(row[0]))
    frame = pandas.DataFrame({c: pandas.Series([r[k] for r in rows], dtype=object)
                              for k, c in enumerate(columns)}, columns=columns)
    for c in INT_COLUMNS:
        if c in frame.columns:
            frame[c] = frame[c].astype("int64")
    return frame


def standings(client, shard_paths, ruleset, as_of, *, links=False, closures_only=False, task_delay=0.0):
    """penalty_standings(ruleset, source, as_of [, links]) over every shard, as
    the single database would answer it (see the module's header)."""
    futures = submit(client, shard_paths, ruleset, as_of, links=links, closures_only=closures_only,
                     task_delay=task_delay)
    return collect(client, futures, shard_paths)


def frame_rows(frame):
    """The rows of a standings frame as tuples of plain Python values."""
    return list(frame.astype(object).itertuples(index=False, name=None))


def write_standings(client, shard_paths, ruleset, as_of, out_path, *, links=False, closures_only=False,
                    task_delay=0.0, futures=None):
    """Writes the standings of every shard into the table `standings` of a new
    SQLite file out_path, ordered by SQLite itself (ORDER BY seller_id
    COLLATE BINARY: rowid order is seller order); returns the number of
    rows. Streams: the client holds one shard's rows at a time (each
    shard's result is released once written); the file is written under
    out_path + '.tmp' and renamed when complete. `futures`: those of an
    earlier submit() with the same arguments, instead of submitting anew."""
    out_path = os.fspath(out_path)
    if os.path.exists(out_path):
        raise ShardError(f"penalty.dask: {out_path} exists; expected a new file for the result")
    paths = [os.fspath(p) for p in shard_paths]
    if futures is None:
        futures = submit(client, paths, ruleset, as_of, links=links, closures_only=closures_only,
                         task_delay=task_delay)
    futures = list(futures)
    tmp = out_path + ".tmp"
    if os.path.exists(tmp):
        os.remove(tmp)
    con = sqlite3.connect(tmp, isolation_level=None)
    try:
        con.execute("BEGIN")
        infos, columns = [], None
        for k in range(len(futures)):
            info, cols, rows = futures[k].result()
            if columns is None:
                columns = cols
                con.execute(f"CREATE TEMP TABLE shard_rows({', '.join(quote(c) for c in columns)})")
            con.executemany(f"INSERT INTO temp.shard_rows VALUES ({', '.join('?' * len(columns))})", rows)
            infos.append(info)
            futures[k].release()
            futures[k] = None
        _check_split(paths, infos)
        con.execute("CREATE TABLE main.standings AS SELECT * FROM temp.shard_rows ORDER BY seller_id COLLATE BINARY")
        count = con.execute("SELECT count(*) FROM main.standings").fetchone()[0]
        con.execute("COMMIT")
        con.close()
    except BaseException:
        con.close()
        os.remove(tmp)
        raise
    os.replace(tmp, out_path)
    return count


def _csv_value(v):
    if v is None:
        return ""
    if isinstance(v, (bytes, bytearray)):
        return "X'" + bytes(v).hex().upper() + "'"
    return v


def _write_csv(frame, out):
    w = csv.writer(out, lineterminator="\n")
    w.writerow(list(frame.columns))
    for row in frame_rows(frame):
        w.writerow([_csv_value(v) for v in row])


def _timestamp(text):
    """--as-of: digits are Unix seconds (INTEGER), anything else TEXT."""
    return int(text) if re.fullmatch(r"-?[0-9]+", text) else text


def _parser():
    p = argparse.ArgumentParser(
        prog="python3 -m penalty.dask",
        description="penalty_standings over SQLite shards on a Dask cluster (docs/scale.md).")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("shard", help="split a source into N shard files by seller",
                       description="Split the events of --table in --source into --shards SQLite files in --out, "
                                   "each with the rule tables and the events of whole sellers (whole clusters "
                                   "with --links).")
    s.add_argument("--source", required=True, metavar="DB", help="the SQLite database with the events and rules")
    s.add_argument("--table", required=True, help="the events table or view (seller_id, code, occurred_at, ...)")
    s.add_argument("--shards", required=True, type=int, metavar="N", help="how many shard files")
    s.add_argument("--out", required=True, metavar="DIR", help="a new or empty directory for the shards")
    s.add_argument("--links", metavar="TABLE", help="a links table (seller_id, entity): clusters stay whole")
    s.add_argument("--ruleset", help="copy only this ruleset's rule rows (default: all)")
    t = sub.add_parser("standings", help="penalty_standings over the shards of DIR",
                       description="Score every shard of DIR on a Dask cluster and print (or write) "
                                   "penalty_standings as one database would, in seller order.")
    where = t.add_mutually_exclusive_group(required=True)
    where.add_argument("--scheduler", metavar="ADDR", help="a running scheduler, e.g. tcp://host:8786")
    where.add_argument("--local", type=int, metavar="N", help="start a local cluster of N worker processes")
    t.add_argument("--ruleset", required=True, help="the ruleset (its rule rows are in every shard)")
    t.add_argument("--as-of", required=True, metavar="T", help="the standing's time (TEXT, or Unix seconds)")
    t.add_argument("--links", action="store_true", help="with the split's links table (penalty_standings' 4th argument)")
    t.add_argument("--closures-only", action="store_true", help="only sellers with a closure_at")
    out = t.add_mutually_exclusive_group()
    out.add_argument("--out", metavar="DB", help="write table 'standings' into this new SQLite file")
    out.add_argument("--csv", metavar="FILE", help="write CSV to FILE (default: CSV on standard output)")
    t.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="a progress bar on standard error (default: when it is a terminal)")
    t.add_argument("dir", metavar="DIR", help="the directory of a split (its shards.json)")
    return p


def _run_standings(args):
    paths = shard_paths(args.dir)
    distributed, _ = _needs()
    if args.local:
        cluster = distributed.LocalCluster(n_workers=args.local, threads_per_worker=1, processes=True,
                                           dashboard_address=None)
        client = distributed.Client(cluster)
    else:
        cluster, client = None, distributed.Client(args.scheduler)
    try:
        t0 = time.perf_counter()
        futures = submit(client, paths, args.ruleset, _timestamp(args.as_of), links=args.links,
                         closures_only=args.closures_only)
        show = sys.stderr.isatty() if args.progress is None else args.progress
        if show:
            from distributed.diagnostics.progressbar import progress
            with contextlib.redirect_stdout(sys.stderr):
                progress(futures)
        if args.out:
            rows = write_standings(client, paths, args.ruleset, _timestamp(args.as_of), args.out, links=args.links,
                                   closures_only=args.closures_only, futures=futures)
            del futures
        else:
            frame = collect(client, futures, paths)
            rows = len(frame)
        seconds = time.perf_counter() - t0
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    if not args.out:
        if args.csv and args.csv != "-":
            with open(args.csv, "w", encoding="utf-8", newline="") as f:
                _write_csv(frame, f)
        else:
            _write_csv(frame, sys.stdout)
    print(f"penalty.dask: {rows} rows from {len(paths)} shards in {seconds:.2f} s", file=sys.stderr)


def main(argv=None):
    args = _parser().parse_args(argv)
    try:
        if args.command == "shard":
            t0 = time.perf_counter()
            paths = split(args.source, args.table, args.shards, args.out, links=args.links, ruleset=args.ruleset)
            print(f"penalty.dask: {len(paths)} shards in {args.out} in {time.perf_counter() - t0:.2f} s",
                  file=sys.stderr)
        else:
            _run_standings(args)
    except (ShardError, ShardTaskError, sqlite3.Error, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    # Run as penalty.dask, not __main__: the tasks Dask pickles name
    # penalty.dask.score_shard, which the workers import.
    from penalty.dask import main as _main
    sys.exit(_main())
