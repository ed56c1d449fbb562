"""python_check.py VERSION BUILD_MODULE TAOBAO_SQL — run by python_test.sh with
the python of a venv where the wheel sqlite-penalty is installed (and from a
directory outside the repository, so `import penalty` is the installed one).
Checks the bundled module, PENALTY_LOADABLE, the Dask tool as an optional part
(sqlite-penalty[dask]), and the bare name "penalty"."""
import ctypes
import os
import sqlite3
import sys

version, build_module, taobao_sql = sys.argv[1:4]
assert "PENALTY_LOADABLE" not in os.environ, "unset PENALTY_LOADABLE for this test"
import penalty  # noqa: E402  (after the environment check)

site = os.path.dirname(os.path.abspath(penalty.__file__))
assert "site-packages" in site, f"penalty imported from {site}, not from the venv"
checks = 0

# 1. the bundled module: version and a real figure (docs/model.md §5, seller 1).
assert penalty.loadable_path() == os.path.join(site, "penalty"), penalty.loadable_path()
assert penalty.__version__ == version, (penalty.__version__, version)
con = sqlite3.connect(":memory:")
penalty.load(con)
assert con.execute("SELECT penalty_version()").fetchone()[0] == version
con.execute("SELECT penalty_install()")
with open(taobao_sql, encoding="utf-8") as f:
    con.executescript(f.read())
con.execute("CREATE TABLE violations(seller_id, code, occurred_at)")
con.executemany("INSERT INTO violations VALUES (1, 'harassment', ?)",
                [(d,) for d in ("2017-03-01 12:00:00", "2017-04-01 12:00:00",
                                "2017-05-01 12:00:00", "2017-06-01 12:00:00")])
got = con.execute("SELECT points, repeats, closure_at FROM penalty_standings('taobao', 'violations', ?)",
                  ("2017-06-30",)).fetchall()
assert got == [(48, 3, "2017-06-01 12:00:00")], got
checks += 1

# 2. load() leaves extension loading off again.
try:
    con.load_extension(penalty.loadable_path())
    raise AssertionError("extension loading is still enabled after penalty.load")
except sqlite3.OperationalError as e:
    assert str(e) == "not authorized", e
checks += 1

# 3. PENALTY_LOADABLE, with and without ".so", comes first.
for value in (build_module, build_module[:-3]):
    os.environ["PENALTY_LOADABLE"] = value
    assert penalty.loadable_path() == build_module[:-3], penalty.loadable_path()
    con = sqlite3.connect(":memory:")
    penalty.load(con)
    assert con.execute("SELECT penalty_version()").fetchone()[0] == version
del os.environ["PENALTY_LOADABLE"]
checks += 1

# 4. the Dask tool is optional: the loader imports none of it, the wheel
# declares the extra "dask", and without dask installed (this venv)
# penalty.dask imports and says what it needs only when it computes standings.
assert not {"penalty.dask", "penalty.shards", "distributed", "pandas", "dask"} & set(sys.modules), \
    sorted(m for m in sys.modules if m.split(".")[0] in ("penalty", "distributed", "pandas", "dask"))
from importlib import metadata  # noqa: E402
assert "dask" in (metadata.metadata("sqlite-penalty").get_all("Provides-Extra") or []), "no extra 'dask'"
from penalty import dask as pdask  # noqa: E402
try:
    pdask.collect(None, [], ["shard-0000.db"])
    raise AssertionError("penalty.dask.collect ran without distributed and pandas")
except ImportError as e:
    assert str(e).startswith("penalty.dask needs Debian's python3-dask"), str(e)
checks += 1

# 5. no bundled module: the bare name, which only an installed module answers.
os.remove(os.path.join(site, "penalty.so"))
assert penalty.loadable_path() == "penalty", penalty.loadable_path()
try:
    ctypes.CDLL("penalty.so")
    installed = True
except OSError:
    installed = False
con = sqlite3.connect(":memory:")
if installed:
    penalty.load(con)
    assert con.execute("SELECT penalty_version()").fetchone()[0] == version
    print("python: 'penalty' by name: loaded the installed module")
else:
    try:
        penalty.load(con)
        raise AssertionError("penalty.load found a module by name, but ctypes did not")
    except sqlite3.OperationalError as e:
        expected = ("penalty.load: no module bundled in this package and none found by name "
                    "(install the Debian package libsqlite3-mod-penalty, or set PENALTY_LOADABLE "
                    "to the path of penalty.so): penalty.so: cannot open shared object file: "
                    "No such file or directory")
        assert str(e) == expected, str(e)
    print("python: 'penalty' by name: not installed here, and the error says so")
checks += 1
print(f"python: {checks} passed, 0 failed")
