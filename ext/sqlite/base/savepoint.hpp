// savepoint.hpp — all or nothing for the functions that write
// (penalty_install, penalty_copy_ruleset): a named savepoint whose
// statements are prepared before it opens, so that undoing it needs no new
// statement (no allocation to fail when memory ran out).
#pragma once

#include <string>
#include <string_view>

#include "sqlite/base/sqlite_api.hpp"
#include "sqlite/base/statement.hpp"

namespace penalty::glue {

struct Savepoint {
    Statement open, release, rollback_to, rollback;
    bool changes_schema = false;  // what it undoes may be CREATE or DROP TABLE
    bool was_autocommit = false;

    // Prepares SAVEPOINT <name>, RELEASE, ROLLBACK TO and ROLLBACK; a
    // failure throws ("<doing>: <SQLite's message>"; std::bad_alloc for
    // SQLITE_NOMEM).
    Savepoint(sqlite3* db, const std::string& name, std::string_view doing, bool changes_schema = false);

    // Runs `st` once; its result code (SQLITE_OK for SQLITE_DONE).
    static int run(Statement& st);

    // Rolls the savepoint back and closes it. Where the savepoint began the
    // transaction and is still open (a RELEASE that failed, say), the whole
    // transaction is rolled back: it holds nothing but this function's
    // writes. Returns whether the connection is as it was before the
    // savepoint (as far as it can tell: SQLite may already have rolled back
    // the caller's transaction).
    bool undo(sqlite3* db);

    // Runs body() in the savepoint (opened already) and releases it: its
    // result. When body or the release throws (a RELEASE that fails, say
    // SQLITE_BUSY committing, keeps the savepoint), undoes the savepoint and
    // rethrows; when it cannot be undone, throws "the failed <what> could not
    // be undone (...); run ROLLBACK". `committing` names the release in its
    // error ("committing the copy: ...").
    template <class F>
    auto commit(sqlite3* db, std::string_view what, std::string_view committing, F&& body) {
        try {
            auto result = body();
            release_or_throw(db, committing);
            return result;
        } catch (...) {
            undo_or_throw(db, what);
            throw;
        }
    }

private:
    void release_or_throw(sqlite3* db, std::string_view committing);
    void undo_or_throw(sqlite3* db, std::string_view what);
};

}  // namespace penalty::glue
