// glue.hpp — helpers every SQL callback uses at the C boundary.
//
// guard() runs a callback body and turns every C++ exception into an SQLite
// error: penalty::Error -> "fn: message" (SQLITE_ERROR, or the SQLite code
// carried by SqliteError), std::bad_alloc -> SQLITE_NOMEM, anything else ->
// "fn: internal error: ...". No exception ever reaches SQLite.
#pragma once

#include <new>
#include <string>
#include <string_view>

#include "../core/error.hpp"
#include "../core/timestamp.hpp"
#include "../core/value.hpp"
#include "sqlite_api.hpp"

namespace penalty::glue {

// An error that carries an SQLite result code (SQLITE_NOMEM, SQLITE_BUSY, ...).
class SqliteError : public Error {
public:
    SqliteError(int code, const std::string& message) : Error(message), code_(code) {}
    int code() const { return code_; }

private:
    int code_;
};

// Throws SqliteError with sqlite3_errmsg(db) unless rc is one of the `ok` codes.
void check_rc(sqlite3* db, int rc, std::string_view doing);

// A view of an sqlite3_value (valid until the value changes).
ValueView view_of(sqlite3_value* v);
ValueView column_view(sqlite3_stmt* stmt, int col);

// Argument readers; errors name the argument ("argument 'at': ...").
std::string_view text_arg(sqlite3_value* v, const char* name);
Time time_arg(sqlite3_value* v, const char* name);

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

// The same for virtual-table methods: the message goes to pVtab->zErrMsg
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

// sqlite3_result_text of a std::string (SQLite copies it).
inline void result_text(sqlite3_context* ctx, const std::string& s) {
    sqlite3_result_text64(ctx, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

}  // namespace penalty::glue
