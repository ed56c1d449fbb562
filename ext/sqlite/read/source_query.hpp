// source_query.hpp — the query that reads a source (its SQL text is
// described in source_reader.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/row_check.hpp"
#include "sqlite/base/sqlite_api.hpp"

namespace penalty::glue {

// The query that reads `source`: the RowShape of its rows (core/row_check.hpp)
// and its SQL text (source_reader.hpp). Throws Error / SqliteError.
struct SourceQuery : RowShape {
    enum class Order { BySeller, Storage };
    std::string sql;
    std::string select_list;  // seller_id, code, occurred_at[, rowid, ...]
    std::string quoted;       // the table it names, quoted: "violations", "other"."violations"
    std::string schema;       // the database that holds it (main, temp, an attached one)
    std::string table;        // its name in that database, unquoted
    bool has_rowid = false;
};
SourceQuery source_query(sqlite3* db, std::string_view source, bool filtered, SourceQuery::Order order);
// Rewrites q.sql with or without WHERE seller_id = ?1, in `order`.
void set_shape(SourceQuery& q, bool filtered, SourceQuery::Order order);

}  // namespace penalty::glue
