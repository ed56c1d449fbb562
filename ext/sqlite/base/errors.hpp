// errors.hpp — the C boundary: no C++ exception ever reaches SQLite.
//
// Every SQL callback runs its body inside guard() (functions) or
// vtab_guard() (virtual-table methods), which turn the exception in flight
// into an SQLite error:
//   penalty::Error       -> "<fn>: message", SQLITE_ERROR
//   SqliteError          -> "<fn>: message" with the SQLite code it carries
//                           (SQLITE_NOMEM becomes a bare out-of-memory error)
//   std::bad_alloc       -> SQLITE_NOMEM
//   anything else        -> "<fn>: internal error: ...", SQLITE_ERROR
// <fn> is the SQL name of the function or table (entry.cpp).
#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"
#include "sqlite/base/sqlite_api.hpp"

namespace penalty::glue {

// An error that carries an SQLite result code (SQLITE_NOMEM, SQLITE_BUSY, ...).
class SqliteError : public Error {
public:
    SqliteError(int code, const std::string& message) : Error(message), code_(code) {}
    int code() const { return code_; }

private:
    int code_;
};

// Throws SqliteError "<doing>: <sqlite3_errmsg(db)>" unless rc is
// SQLITE_OK, SQLITE_ROW or SQLITE_DONE; for a busy, locked or read-only
// database followed by what to do (lock_hint).
void check_rc(sqlite3* db, int rc, std::string_view doing);

// What to do about an SQLite error whose cause is not this call but the
// database's state: "; <cause and remedy>" for SQLITE_BUSY, SQLITE_LOCKED
// and SQLITE_READONLY (any extended code of them), else "".
std::string_view lock_hint(int rc);

// Sets the error of `ctx` from the exception in flight. Call only in a catch.
void result_exception(sqlite3_context* ctx, const char* fn) noexcept;

template <class F>
void guard(sqlite3_context* ctx, const char* fn, F&& body) noexcept {
    try {
        body();
    } catch (...) {
        result_exception(ctx, fn);
    }
}

// The same for virtual-table methods: the message goes to vtab->zErrMsg
// (allocated with sqlite3_mprintf) and the SQLite code is returned.
int vtab_exception(sqlite3_vtab* vtab, const char* fn) noexcept;

template <class F>
int vtab_guard(sqlite3_vtab* vtab, const char* fn, F&& body) noexcept {
    try {
        return body();
    } catch (...) {
        return vtab_exception(vtab, fn);
    }
}

}  // namespace penalty::glue
