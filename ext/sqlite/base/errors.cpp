// errors.cpp — mapping C++ exceptions to SQLite errors (errors.hpp).
#include "sqlite/base/errors.hpp"

#include <new>

#include <fmt/format.h>

namespace penalty::glue {

std::string_view lock_hint(int rc) {
    switch (rc & 0xff) {
        case SQLITE_BUSY:
            return "; another connection is writing to the database and holds its lock: retry when it has "
                   "committed, or let SQLite wait for it with PRAGMA busy_timeout = 5000 (milliseconds)";
        case SQLITE_LOCKED:
            return "; a table is locked by another statement of this connection (or of a connection sharing its "
                   "cache): finish that statement, then retry";
        case SQLITE_READONLY:
            return "; the database is open read-only (or its file or directory is not writable): open a writable "
                   "database, or a writable copy of it";
        default: return {};
    }
}

void check_rc(sqlite3* db, int rc, std::string_view doing) {
    if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
    throw SqliteError(rc, fmt::format("{}: {}{}", doing, sqlite3_errmsg(db), lock_hint(rc)));
}

namespace {

// sqlite3_result_error() copies the message, and when that copy fails under
// out-of-memory SQLite reports a generic error without saying so. Trying
// the allocation first turns most of those cases into a clean SQLITE_NOMEM.
void set_error(sqlite3_context* ctx, const std::string& msg, int code) {
    char* probe = static_cast<char*>(sqlite3_malloc64(msg.size() + 1));
    if (!probe) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    sqlite3_free(probe);
    sqlite3_result_error(ctx, msg.c_str(), static_cast<int>(msg.size()));
    if (code != SQLITE_ERROR) sqlite3_result_error_code(ctx, code);
}

}  // namespace

void result_exception(sqlite3_context* ctx, const char* fn) noexcept {
    try {
        throw;
    } catch (const std::bad_alloc&) {
        sqlite3_result_error_nomem(ctx);
    } catch (const SqliteError& e) {
        if (e.code() == SQLITE_NOMEM) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
        try {
            set_error(ctx, fmt::format("{}: {}", fn, e.what()), e.code());
        } catch (...) {
            sqlite3_result_error_nomem(ctx);
        }
    } catch (const std::exception& e) {
        try {
            const bool ours = dynamic_cast<const Error*>(&e) != nullptr;
            set_error(ctx, fmt::format("{}: {}{}", fn, ours ? "" : "internal error: ", e.what()), SQLITE_ERROR);
        } catch (...) {
            sqlite3_result_error_nomem(ctx);
        }
    } catch (...) {
        sqlite3_result_error(ctx, fn, -1);
    }
}

int vtab_exception(sqlite3_vtab* vtab, const char* fn) noexcept {
    int rc = SQLITE_ERROR;
    std::string msg;
    try {
        try {
            throw;
        } catch (const std::bad_alloc&) {
            return SQLITE_NOMEM;
        } catch (const SqliteError& e) {
            if (e.code() == SQLITE_NOMEM) return SQLITE_NOMEM;
            rc = e.code();
            msg = fmt::format("{}: {}", fn, e.what());
        } catch (const Error& e) {
            msg = fmt::format("{}: {}", fn, e.what());
        } catch (const std::exception& e) {
            msg = fmt::format("{}: internal error: {}", fn, e.what());
        } catch (...) {
            msg = fmt::format("{}: internal error", fn);
        }
    } catch (...) {
        return SQLITE_NOMEM;
    }
    sqlite3_free(vtab->zErrMsg);
    vtab->zErrMsg = sqlite3_mprintf("%s", msg.c_str());
    return vtab->zErrMsg ? rc : SQLITE_NOMEM;
}

}  // namespace penalty::glue
