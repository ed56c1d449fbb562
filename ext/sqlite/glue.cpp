// glue.cpp — error mapping and argument readers shared by all callbacks.
#include "glue.hpp"

#include <fmt/format.h>

namespace penalty::glue {

void check_rc(sqlite3* db, int rc, std::string_view doing) {
    if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
    throw SqliteError(rc, fmt::format("{}: {}", doing, sqlite3_errmsg(db)));
}

namespace {

ValueView make_view(int type, sqlite3_int64 i, double r, const void* p, int n) {
    switch (type) {
        case SQLITE_INTEGER: return ValueView::integer(i);
        case SQLITE_FLOAT: return ValueView::real(r);
        case SQLITE_TEXT: return ValueView::text({static_cast<const char*>(p), static_cast<std::size_t>(n)});
        case SQLITE_BLOB: return ValueView::blob({static_cast<const char*>(p), static_cast<std::size_t>(n)});
        default: return ValueView::null();
    }
}

}  // namespace

ValueView view_of(sqlite3_value* v) {
    const int type = sqlite3_value_type(v);
    switch (type) {
        case SQLITE_INTEGER: return ValueView::integer(sqlite3_value_int64(v));
        case SQLITE_FLOAT: return ValueView::real(sqlite3_value_double(v));
        case SQLITE_TEXT: {
            const unsigned char* p = sqlite3_value_text(v);
            if (!p) throw std::bad_alloc();
            return make_view(type, 0, 0, p, sqlite3_value_bytes(v));
        }
        case SQLITE_BLOB: {
            const void* p = sqlite3_value_blob(v);
            return make_view(type, 0, 0, p ? p : "", sqlite3_value_bytes(v));
        }
        default: return ValueView::null();
    }
}

ValueView column_view(sqlite3_stmt* stmt, int col) {
    const int type = sqlite3_column_type(stmt, col);
    switch (type) {
        case SQLITE_INTEGER: return ValueView::integer(sqlite3_column_int64(stmt, col));
        case SQLITE_FLOAT: return ValueView::real(sqlite3_column_double(stmt, col));
        case SQLITE_TEXT: {
            const unsigned char* p = sqlite3_column_text(stmt, col);
            if (!p) throw std::bad_alloc();
            return make_view(type, 0, 0, p, sqlite3_column_bytes(stmt, col));
        }
        case SQLITE_BLOB: {
            const void* p = sqlite3_column_blob(stmt, col);
            return make_view(type, 0, 0, p ? p : "", sqlite3_column_bytes(stmt, col));
        }
        default: return ValueView::null();
    }
}

std::string_view text_arg(sqlite3_value* v, const char* name) {
    const ValueView x = view_of(v);
    if (x.kind != Kind::Text) throw Error(fmt::format("argument '{}' is {}; expected TEXT", name, sql_literal(x)));
    return x.s;
}

Time time_arg(sqlite3_value* v, const char* name) {
    try {
        return parse_timestamp(view_of(v));
    } catch (const SqliteError&) {
        throw;
    } catch (const Error& e) {
        throw Error(fmt::format("argument '{}': {}", name, e.what()));
    }
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
