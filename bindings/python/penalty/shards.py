"""penalty.shards: split an events source into N SQLite shard files by seller.

    from penalty import shards
    paths = shards.split("marketplace.db", "violations", 8, "shards/", links="shop_links")
    shards.shard_paths("shards/")      # the same list, from shards/shards.json

Contract (docs/scale.md tells the whole story):

- `split(source_db, table, n, out_dir, *, links=None, ruleset=None)` reads the
  table or view `table` of `source_db` (opened read-only) and writes
  `out_dir/shard-KKKK.db` for K = 0..n-1 and `out_dir/shards.json`. Every
  shard holds the seven rule tables as the source defines them (every row, or
  only `ruleset`'s), the events of whole sellers (the columns seller_id,
  code, occurred_at and those of points, revoked_at, anchor_at the source
  has, values copied as they are stored, each row with its source rowid),
  the source table's indexes (those on copied columns only, not partial),
  and a table `shard_info(key, value)` naming the split. With `links`, a table of
  (seller_id, entity) rows in `source_db` (docs/model.md §6), every cluster
  (penalty_clusters) goes to one shard with its links rows (rowids kept)
  and the links table's indexes.
- Shard of a seller: `shard_of(value, n)`: BLAKE2b-64 of `encode(value)`
  (with links: of its cluster's name), as an unsigned big-endian integer,
  mod n. `encode` is a type tag and the value's bytes, equal for values
  SQLite's `=` finds equal (5 and 5.0), different for values it does not
  (1 and '1').
- Streaming: one cursor over the source, rows buffered per shard and
  written with executemany in batches, one transaction per shard file;
  memory is n batches and a cache of at most CACHE sellers' shards (with
  links, plus one entry per seller of links).
  Files are written under temporary names and renamed when complete;
  shards.json comes last. `out_dir` must not hold a split already.
- Errors are ShardError (a ValueError) naming what was expected; a links
  source the extension refuses raises the extension's error.

Standard library only (sqlite3 with extension loading for links: Debian's
/usr/bin/python3).
"""
import hashlib
import json
import os
import sqlite3
import struct
import urllib.parse
import uuid

from . import load

__all__ = ["ShardError", "file_uri", "encode", "shard_of", "split", "shard_paths", "RULE_TABLES", "MANIFEST"]

RULE_TABLES = ("penalty_ruleset", "penalty_track", "penalty_carry", "penalty_violation", "penalty_repeat",
               "penalty_threshold", "penalty_sanction_repeat", "penalty_level")
REQUIRED = ("seller_id", "code", "occurred_at")
OPTIONAL = ("points", "revoked_at", "anchor_at")
MANIFEST = "shards.json"
HASH_NAME = "blake2b-64(tag || value) mod n"
BATCH = 5000  # rows per executemany
CACHE = 1 << 20  # seller values whose shard is remembered

_TWO63 = 2 ** 63


class ShardError(ValueError):
    """A source, links table or output directory that cannot be split."""


def quote(name):
    """An SQL identifier, double-quoted."""
    return '"' + name.replace('"', '""') + '"'


def encode(value):
    """The canonical bytes of an SQLite value, as Python's sqlite3 returns it:
    NULL b'\\x00'; INTEGER, and REAL with an integral value in the 64-bit
    range, b'\\x01' + 8-byte big-endian two's complement; other REAL
    b'\\x02' + 8-byte big-endian IEEE 754; TEXT b'\\x03' + UTF-8; BLOB
    b'\\x04' + bytes."""
    if value is None:
        return b"\x00"
    if isinstance(value, int):
        return b"\x01" + struct.pack(">q", value)
    if isinstance(value, float):
        if value.is_integer() and -_TWO63 <= value < _TWO63:
            return b"\x01" + struct.pack(">q", int(value))
        return b"\x02" + struct.pack(">d", value)
    if isinstance(value, str):
        return b"\x03" + value.encode("utf-8")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return b"\x04" + bytes(value)
    raise ShardError(f"penalty.shards: a seller_id of Python type {type(value).__name__}; "
                     "expected an SQLite value (None, int, float, str, bytes)")


def file_uri(path, mode):
    """An SQLite URI for `path` ("ro", "rw", "rwc")."""
    return "file:" + urllib.parse.quote(os.path.abspath(path)) + "?mode=" + mode


def _hash_shard(encoded, n):
    return int.from_bytes(hashlib.blake2b(encoded, digest_size=8).digest(), "big") % n


def shard_of(value, n):
    """The shard (0..n-1) of a seller_id (or, with links, a cluster name)."""
    return _hash_shard(encode(value), n)


def shard_paths(out_dir):
    """The shard files of a split, in shard order, from out_dir/shards.json."""
    path = os.path.join(out_dir, MANIFEST)
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
        return [os.path.join(out_dir, name) for name in manifest["files"]]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise ShardError(f"penalty.shards: {path} is not a split's manifest ({e}); "
                         "expected the shards.json that split() writes") from e


def _columns(src, table, what, required, optional):
    """The source's column names we copy, by their lower-case names."""
    try:
        cur = src.execute(f"SELECT * FROM {quote(table)} LIMIT 0")
    except sqlite3.Error as e:
        raise ShardError(f"penalty.shards: {what} '{table}': {e}; expected a table or view") from e
    names = {d[0].lower(): d[0] for d in cur.description}
    missing = [c for c in required if c not in names]
    if missing:
        raise ShardError(f"penalty.shards: {what} '{table}' has no column {', '.join(missing)}; "
                         f"expected the columns {', '.join(required)}")
    return [c for c in required + optional if c in names]


def _indexes(src, table, columns):
    """The CREATE INDEX statements of `table` that index only copied columns
    (not partial, no expressions): the shards get the source's query plans,
    so what a plan decides (which of 5 and 5.0 names a seller, the order in
    which links rows are read) comes out as on the source."""
    out = []
    for _, name, _, origin, partial in src.execute(f"PRAGMA index_list({quote(table)})"):
        used = [r[2] for r in src.execute(f"PRAGMA index_info({quote(name)})")]
        if origin == "c" and not partial and used and all(c is not None and c.lower() in columns for c in used):
            out.append(src.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?",
                                   (name,)).fetchone()[0])
    return out


def _has_rowid(src, table):
    try:
        row = src.execute(f"SELECT rowid FROM {quote(table)} LIMIT 1").fetchone()
    except sqlite3.OperationalError:
        return False  # WITHOUT ROWID
    return row is None or row[0] is not None  # a view answers NULL


def _cluster_shards(src, links, n):
    """{encode(seller): shard} for every seller of links, by its cluster."""
    out = {}
    by_cluster = {}
    for seller, cluster in src.execute("SELECT seller_id, cluster FROM penalty_clusters(?)", (links,)):
        key = encode(cluster)
        shard = by_cluster.get(key)
        if shard is None:
            shard = by_cluster[key] = _hash_shard(key, n)
        out[encode(seller)] = shard
    return out


class _Writer:
    """One shard file being written: a temporary name, one transaction,
    batched inserts per table."""

    def __init__(self, final_path, src_uri):
        self.final_path = final_path
        self.tmp_path = final_path + ".tmp"
        if os.path.exists(self.tmp_path):
            os.remove(self.tmp_path)
        self.con = sqlite3.connect(file_uri(self.tmp_path, "rwc"), uri=True, isolation_level=None)
        self.con.execute("PRAGMA journal_mode = OFF")
        self.con.execute("PRAGMA synchronous = OFF")
        self.con.execute("ATTACH ? AS src", (src_uri,))
        self.con.execute("BEGIN")
        self.inserts = {}
        self.rows = {}

    def write(self, table, rows):
        if rows:
            self.con.executemany(self.inserts[table], rows)
            self.rows[table] += len(rows)

    def table(self, table, columns):
        cols = ", ".join(columns)
        self.con.execute(f"CREATE TABLE main.{quote(table)}({cols})")
        self.inserts[table] = (f"INSERT INTO main.{quote(table)}(rowid, {cols}) "
                               f"VALUES ({', '.join('?' * (len(columns) + 1))})")
        self.rows[table] = 0

    def finish(self, extra_sql):
        for sql in extra_sql:
            self.con.execute(sql)
        self.con.execute("COMMIT")
        self.con.execute("DETACH src")
        self.con.close()
        os.replace(self.tmp_path, self.final_path)

    def abandon(self):
        try:
            self.con.close()
        finally:
            if os.path.exists(self.tmp_path):
                os.remove(self.tmp_path)


def _copy_rows(src, table, columns, writers, shard_for, what):
    """Streams `table` into the writers, each row with its rowid (or, for a
    view, its position in the scan, from 1); returns the number of rows.
    The shard of each seller value is cached (at most CACHE values; Python's
    == on int and float is SQLite's, so 5 and 5.0 share an entry, as they
    share a shard)."""
    has_rowid = _has_rowid(src, table)
    cur = src.execute(f"SELECT {'rowid' if has_rowid else 'NULL'}, {', '.join(columns)} FROM {quote(table)}")
    rows = cur if has_rowid else ((k,) + r[1:] for k, r in enumerate(cur, 1))
    buffers = [[] for _ in writers]
    cache = {}
    try:
        for row in rows:
            seller = row[1]
            k = cache.get(seller)
            if k is None:
                if len(cache) >= CACHE:
                    cache.clear()
                k = cache[seller] = shard_for(seller)
            buf = buffers[k]
            buf.append(row)
            if len(buf) >= BATCH:
                writers[k].write(table, buf)
                buf.clear()
    except sqlite3.OperationalError as e:
        done = sum(w.rows[table] for w in writers) + sum(len(b) for b in buffers)
        raise ShardError(f"penalty.shards: reading {what} '{table}' after {done} rows: {e}") from e
    for w, buf in zip(writers, buffers):
        w.write(table, buf)
    return sum(w.rows[table] for w in writers)


def split(source_db, table, n, out_dir, *, links=None, ruleset=None):
    """Writes the n shards of `table` in `source_db` into `out_dir` and returns
    their paths (see the module's header). Returns the paths in shard order."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ShardError(f"penalty.shards: shards is {n!r}; expected an integer >= 1")
    if not os.path.isfile(source_db):
        raise ShardError(f"penalty.shards: source database {source_db} does not exist")
    if os.path.exists(os.path.join(out_dir, MANIFEST)):
        raise ShardError(f"penalty.shards: {out_dir} already holds a split ({MANIFEST}); "
                         "expected a new or empty directory")
    os.makedirs(out_dir, exist_ok=True)
    src_uri = file_uri(source_db, "ro")
    src = sqlite3.connect(src_uri, uri=True)
    writers = []
    try:
        columns = _columns(src, table, "source", REQUIRED, OPTIONAL)
        link_columns = _columns(src, links, "links", ("seller_id", "entity"), ()) if links else None
        if links and links.lower() == table.lower():
            raise ShardError(f"penalty.shards: links '{links}' is the source itself; expected another table")
        rule_ddl = src.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN "
            f"({', '.join('?' * len(RULE_TABLES))})", RULE_TABLES).fetchall()
        rule_ddl.sort(key=lambda r: RULE_TABLES.index(r[0]))
        if not any(name == "penalty_ruleset" for name, _ in rule_ddl):
            raise ShardError(f"penalty.shards: {source_db} has no rule tables (penalty_ruleset); "
                             "expected a database where penalty_install() has run")
        if ruleset is not None and src.execute("SELECT 1 FROM penalty_ruleset WHERE ruleset = ?",
                                               (ruleset,)).fetchone() is None:
            raise ShardError(f"penalty.shards: ruleset '{ruleset}' is not in penalty_ruleset of {source_db}")

        clusters = {}
        if links:
            load(src)
            clusters = _cluster_shards(src, links, n)

        def shard_for(seller):
            key = encode(seller)
            shard = clusters.get(key)
            return _hash_shard(key, n) if shard is None else shard

        split_id = uuid.uuid4().hex
        names = [f"shard-{k:04d}.db" for k in range(n)]
        for k in range(n):
            w = _Writer(os.path.join(out_dir, names[k]), src_uri)
            writers.append(w)
            for name, ddl in rule_ddl:
                w.con.execute(ddl)
                where = " WHERE ruleset = ?" if ruleset is not None else ""
                w.con.execute(f"INSERT INTO main.{name} SELECT * FROM src.{name}{where}",
                              (ruleset,) if ruleset is not None else ())
            w.table(table, columns)
            if links:
                w.table(links, link_columns)
            info = {"split": split_id, "shard": k, "shards": n, "source": table, "links": links,
                    "ruleset": ruleset, "hash": HASH_NAME}
            w.con.execute("CREATE TABLE main.shard_info(key TEXT PRIMARY KEY, value)")
            w.con.executemany("INSERT INTO main.shard_info VALUES (?, ?)", info.items())
        events = _copy_rows(src, table, columns, writers, shard_for, "source")
        link_rows = _copy_rows(src, links, link_columns, writers, shard_for, "links") if links else 0
        index = _indexes(src, table, columns) + (_indexes(src, links, link_columns) if links else [])
        for w in writers:
            w.finish(index)
        manifest = {"split": split_id, "shards": n, "source": table, "links": links, "ruleset": ruleset,
                    "hash": HASH_NAME, "events": events, "link_rows": link_rows, "files": names}
        tmp = os.path.join(out_dir, MANIFEST + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=1)
        os.replace(tmp, os.path.join(out_dir, MANIFEST))
        return [w.final_path for w in writers]
    except BaseException:
        for w in writers:
            if os.path.exists(w.tmp_path):
                w.abandon()
        raise
    finally:
        src.close()
