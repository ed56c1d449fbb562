// values.hpp — SQL values across the C boundary, both ways.
//
// In: views of an sqlite3_value or a result column as the core's ValueView
// (no copy; valid until the value changes), and argument readers whose
// errors name the argument ("argument 'at': ..."). Out: result setters for
// C++ strings, where std::nullopt is SQL NULL.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/timestamp.hpp"
#include "core/value.hpp"
#include "core/value_key.hpp"
#include "sqlite/base/sqlite_api.hpp"

namespace penalty::glue {

ValueView view_of(sqlite3_value* v);                // throws std::bad_alloc
ValueView column_view(sqlite3_stmt* stmt, int col); // throws std::bad_alloc
// The first `columns` columns of the statement's row into `out`, valid
// until the next step: the source readers' hot path. Throws std::bad_alloc.
void column_views(sqlite3_stmt* stmt, int columns, ValueView* out);

// Argument readers; throw penalty::Error naming the argument.
std::string_view text_arg(sqlite3_value* v, const char* name);
Time time_arg(sqlite3_value* v, const char* name);

// sqlite3_result_text of a std::string (SQLite copies it).
inline void result_text(sqlite3_context* ctx, const std::string& s) {
    sqlite3_result_text64(ctx, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}
// Binds a core value to parameter `i` (SQLite copies text and blobs).
int bind_view(sqlite3_stmt* st, int i, const ValueView& v);

// The result of a core value (SQLite copies text and blobs).
void result_view(sqlite3_context* ctx, const ValueView& v);
// The result of a seller_id key, as a REAL when `real` (a whole REAL kept
// as an INTEGER key: core/seller_batch.hpp).
inline void result_key(sqlite3_context* ctx, const ValueKey& k, bool real) {
    if (real) sqlite3_result_double(ctx, static_cast<double>(k.i));
    else result_view(ctx, k.view());
}

inline void result_text(sqlite3_context* ctx, const std::optional<std::string>& s) {
    if (s) result_text(ctx, *s);
    else sqlite3_result_null(ctx);
}

}  // namespace penalty::glue
