// values.cpp — views of SQLite values, argument readers (values.hpp).
#include "sqlite/base/values.hpp"

#include <new>

#include <fmt/format.h>

#include "core/error.hpp"
#include "sqlite/base/errors.hpp"

namespace penalty::glue {

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

// view_of() for each column, written in place.
void column_views(sqlite3_stmt* stmt, int columns, ValueView* cols) {
    for (int c = 0; c < columns; ++c) {
        sqlite3_value* v = sqlite3_column_value(stmt, c);
        ValueView& out = cols[c];
        out.s = {};
        switch (sqlite3_value_type(v)) {
            case SQLITE_INTEGER:
                out.kind = Kind::Integer;
                out.i = sqlite3_value_int64(v);
                break;
            case SQLITE_FLOAT:
                out.kind = Kind::Real;
                out.r = sqlite3_value_double(v);
                break;
            case SQLITE_TEXT: {
                const unsigned char* p = sqlite3_value_text(v);
                if (!p) throw std::bad_alloc();
                out.kind = Kind::Text;
                out.s = {reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_value_bytes(v))};
                break;
            }
            case SQLITE_BLOB: {
                const void* p = sqlite3_value_blob(v);
                out.kind = Kind::Blob;
                out.s = {p ? static_cast<const char*>(p) : "", static_cast<std::size_t>(sqlite3_value_bytes(v))};
                break;
            }
            default: out.kind = Kind::Null; break;
        }
    }
}

int bind_view(sqlite3_stmt* st, int i, const ValueView& v) {
    switch (v.kind) {
        case Kind::Integer: return sqlite3_bind_int64(st, i, v.i);
        case Kind::Real: return sqlite3_bind_double(st, i, v.r);
        case Kind::Text: return sqlite3_bind_text64(st, i, v.s.data(), v.s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
        case Kind::Blob: return sqlite3_bind_blob64(st, i, v.s.data(), v.s.size(), SQLITE_TRANSIENT);
        case Kind::Null: break;
    }
    return sqlite3_bind_null(st, i);
}

void result_view(sqlite3_context* ctx, const ValueView& v) {
    switch (v.kind) {
        case Kind::Integer: sqlite3_result_int64(ctx, v.i); break;
        case Kind::Real: sqlite3_result_double(ctx, v.r); break;
        case Kind::Text: sqlite3_result_text64(ctx, v.s.data(), v.s.size(), SQLITE_TRANSIENT, SQLITE_UTF8); break;
        case Kind::Blob: sqlite3_result_blob64(ctx, v.s.data(), v.s.size(), SQLITE_TRANSIENT); break;
        case Kind::Null: sqlite3_result_null(ctx); break;
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

}  // namespace penalty::glue
