"""penalty: rule-based marketplace penalty scores inside SQLite.

    import sqlite3, penalty
    con = sqlite3.connect("marketplace.db")
    penalty.load(con)
    con.execute("SELECT penalty_version()").fetchone()

`load(conn)` loads the SQLite extension into a `sqlite3.Connection` (or any
connection object with `enable_load_extension` and `load_extension`).
`loadable_path()` says which module file it loads, in this order:

1. the environment variable PENALTY_LOADABLE (a path, with or without ".so");
2. the module bundled in this package (penalty/penalty.so, in a wheel);
3. the bare name "penalty", which the dynamic loader finds where the Debian
   package (or `cmake --install` into /usr) put it.

Standard library only. SQLite extension loading must be compiled into
Python's sqlite3 module: Debian's /usr/bin/python3 has it; some pyenv builds
do not (then `enable_load_extension` is missing and load() says so).
"""
import os
import sqlite3

__all__ = ["loadable_path", "load", "__version__"]

__version__ = "0.2.0"

_HERE = os.path.dirname(os.path.abspath(__file__))


def loadable_path():
    """The path (without the ".so" suffix, as SQLite accepts it) or the bare
    name of the penalty module that load() loads."""
    env = os.environ.get("PENALTY_LOADABLE")
    if env:
        return env[:-3] if env.endswith(".so") else env
    bundled = os.path.join(_HERE, "penalty")
    if os.path.exists(bundled + ".so"):
        return bundled
    return "penalty"


def load(conn):
    """Loads the penalty extension into `conn`. Extension loading is enabled
    for the call and off afterwards (even where it was on when the connection
    was opened, as with Debian's libsqlite3: docs/troubleshooting.md). When neither
    PENALTY_LOADABLE nor a bundled module names it and the dynamic loader
    does not find "penalty", the sqlite3.OperationalError says what to do."""
    if not hasattr(conn, "enable_load_extension"):
        raise RuntimeError(
            "penalty.load: this Python's sqlite3 module cannot load extensions "
            "(built without SQLITE_ENABLE_LOAD_EXTENSION); use Debian's /usr/bin/python3")
    path = loadable_path()
    conn.enable_load_extension(True)
    try:
        conn.load_extension(path)
    except sqlite3.OperationalError as e:
        if path != "penalty":
            raise
        raise sqlite3.OperationalError(
            "penalty.load: no module bundled in this package and none found by name "
            "(install the Debian package libsqlite3-mod-penalty, or set PENALTY_LOADABLE "
            f"to the path of penalty.so): {e}") from e
    finally:
        conn.enable_load_extension(False)
