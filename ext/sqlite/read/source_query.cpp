// source_query.cpp — the query that reads a source (source_query.hpp).
#include "sqlite/read/source_query.hpp"

#include <new>

#include <fmt/format.h>

#include "sqlite/read/source_table.hpp"
#include "sqlite/base/statement.hpp"

namespace penalty::glue {

SourceQuery source_query(sqlite3* db, std::string_view source, bool filtered, SourceQuery::Order order) {
    const SourceTable t = open_source_table(db, source, "source", {"seller_id", "code", "occurred_at"});
    SourceQuery out;
    out.literal = t.literal;
    out.quoted = t.quoted;
    out.schema = t.home;
    out.table = t.table;
    const bool has_points = t.column("points") >= 0, has_revoked = t.column("revoked_at") >= 0,
               has_anchor = t.column("anchor_at") >= 0;
    Statement probe;
    // Tables have a rowid; WITHOUT ROWID tables do not (the query fails);
    // views do not either (the query answers NULL: see RowChecker::row_error and SourceReader::next).
    const int rc = sqlite3_prepare_v3(db, ("SELECT rowid FROM " + t.quoted).c_str(), -1, 0, probe.out(), nullptr);
    if (rc == SQLITE_NOMEM) throw std::bad_alloc();
    out.has_rowid = rc == SQLITE_OK;

    std::string columns = "seller_id, code, occurred_at";
    int next_col = 3;
    auto optional_column = [&](bool present, const char* name) {
        if (!present) return -1;
        columns += fmt::format(", {}", name);
        return next_col++;
    };
    out.rowid_col = optional_column(out.has_rowid, "rowid");
    out.points_col = optional_column(has_points, "points");
    out.revoked_col = optional_column(has_revoked, "revoked_at");
    out.anchor_col = optional_column(has_anchor, "anchor_at");
    out.columns = next_col;
    out.select_list = std::move(columns);
    set_shape(out, filtered, order);
    return out;
}

void set_shape(SourceQuery& q, bool filtered, SourceQuery::Order order) {
    q.sql = fmt::format("SELECT {} FROM {}{}{}", q.select_list, q.quoted, filtered ? " WHERE seller_id = ?1" : "",
                        order == SourceQuery::Order::BySeller ? " ORDER BY seller_id COLLATE BINARY, occurred_at" : "");
}

}  // namespace penalty::glue
