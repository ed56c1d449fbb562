// source_query.hpp — the query that reads a source (its SQL text is
// described in source_reader.hpp) and the checked form of one of its rows.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "../core/engine.hpp"
#include "sqlite_api.hpp"

namespace penalty::glue {

// The source query of `source` (source_reader.hpp), with the result column of each
// optional source column (-1 when absent). Throws Error / SqliteError.
struct SourceQuery {
    enum class Order { BySeller, Storage };
    std::string sql;
    bool filtered = false;  // the WHERE and ORDER BY of `sql` (set_shape)
    Order order = Order::BySeller;
    std::string select_list;  // seller_id, code, occurred_at[, rowid, ...]
    std::string literal;  // the source's name as an SQL literal, for messages
    std::string quoted;   // the table it names, quoted: "violations", "other"."violations"
    static constexpr int kMaxColumns = 7;
    bool has_rowid = false;
    int rowid_col = -1, points_col = -1, revoked_col = -1, anchor_col = -1;
    int columns = 3;  // result columns
};
SourceQuery source_query(sqlite3* db, std::string_view source, bool filtered, SourceQuery::Order order);
// Rewrites q.sql with or without WHERE seller_id = ?1, in `order`.
void set_shape(SourceQuery& q, bool filtered, SourceQuery::Order order);

// One row read and checked: the event (Event::code negative for a revoked
// row, whose code is not looked up), and the optional columns.
struct SourceRow {
    Event event;
    std::optional<std::int64_t> points;
    std::optional<Time> revoked_at;
    bool revoked = false;
};

}  // namespace penalty::glue
