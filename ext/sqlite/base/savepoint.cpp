// savepoint.cpp — a savepoint's prepared statements (savepoint.hpp).
#include "sqlite/base/savepoint.hpp"

#include <new>

#include <fmt/format.h>

#include "sqlite/base/errors.hpp"

namespace penalty::glue {

namespace {

void prepare(sqlite3* db, const std::string& sql, Statement& st, std::string_view doing) {
    const int rc = sqlite3_prepare_v3(db, sql.c_str(), -1, 0, st.out(), nullptr);
    if (rc == SQLITE_NOMEM) throw std::bad_alloc();
    check_rc(db, rc, doing);
}

}  // namespace

Savepoint::Savepoint(sqlite3* db, const std::string& name, std::string_view doing, bool changes_schema)
    : changes_schema(changes_schema) {
    prepare(db, "SAVEPOINT " + name, open, doing);
    prepare(db, "RELEASE " + name, release, doing);
    prepare(db, "ROLLBACK TO " + name, rollback_to, doing);
    prepare(db, "ROLLBACK", rollback, doing);
    was_autocommit = sqlite3_get_autocommit(db) != 0;
}

int Savepoint::run(Statement& st) {
    const int rc = sqlite3_step(st.get());
    sqlite3_reset(st.get());  // its code repeats the step's
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

bool Savepoint::undo(sqlite3* db) {
    // After a ROLLBACK TO that undid schema changes every statement must be
    // prepared again: where the savepoint began the transaction, a ROLLBACK
    // of it all, at once. (A statement that failed changing the schema may
    // have expired them already: out of memory, even that ROLLBACK fails,
    // and the error says to run it.)
    if (changes_schema && was_autocommit && !sqlite3_get_autocommit(db)) run(rollback);
    else if (run(rollback_to) == SQLITE_OK) run(release);
    if (was_autocommit && !sqlite3_get_autocommit(db)) run(rollback);
    return !was_autocommit || sqlite3_get_autocommit(db);
}

void Savepoint::release_or_throw(sqlite3* db, std::string_view committing) {
    const int rc = run(release);
    if (rc == SQLITE_NOMEM) throw std::bad_alloc();
    check_rc(db, rc, committing);
}

void Savepoint::undo_or_throw(sqlite3* db, std::string_view what) {
    if (!undo(db))
        throw SqliteError(SQLITE_ERROR,
                          fmt::format("the failed {} could not be undone ({}); run ROLLBACK", what, sqlite3_errmsg(db)));
}

}  // namespace penalty::glue
