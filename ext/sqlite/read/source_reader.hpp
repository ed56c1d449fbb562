// source_reader.hpp — reads a source table or view (docs/reference.md,
// "Sources"): row by row, or in seller order one seller at a time with
// every row checked. The query (source_query.cpp) is
//
//   SELECT seller_id, code, occurred_at[, rowid, points, revoked_at, anchor_at]
//     FROM "<source>" [WHERE seller_id = ?1]
//     [ORDER BY seller_id COLLATE BINARY, occurred_at]       (Order::BySeller)
//
// BINARY, so that a NOCASE seller_id never splits one seller; no rowid in
// the ORDER BY, so that an index on (seller_id, occurred_at, code) covers
// it. Rows of one seller are those with equal seller_id (INTEGER 5 and REAL
// 5.0 are equal); each seller's events are sorted by (time, rowid), a
// view's by (time, read order).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/event_sort.hpp"
#include "core/row_check.hpp"
#include "core/seller_batch.hpp"
#include "sqlite/read/source_query.hpp"
#include "sqlite/base/statement.hpp"

namespace penalty::glue {

class SourceReader final : public RowSource {
public:
    using Order = SourceQuery::Order;

    // Prepares (or reuses) the query for `source` and starts it; `seller`
    // non-null restricts it to seller_id = *seller. `known`: the source's
    // query just made by source_query() (then not made again), or null.
    // Throws Error / SqliteError.
    void start(sqlite3* db, std::string_view source, const ValueView* seller, Order order = Order::BySeller,
               const SourceQuery* known = nullptr);

    // Order::BySeller: reads the next seller's events, every row checked
    // by RowChecker::check (core/row_check.hpp) with `rules` and
    // `revocations_until`; a revoked row's code text goes to `unknown`
    // (a negative Event::code). Returns false at the end.
    bool next(const Ruleset& rules, std::optional<Time> revocations_until, SellerBatch& out);

    // Row by row (either order), as a RowSource (core/event_sort.hpp):
    // step() moves to the next row (false at the end); row() writes its
    // values in column order (SourceQuery), valid until the next step.
    bool step() override;
    void row(ValueView* cols) const override;
    const SourceQuery& query() const { return query_; }

    bool has_rowid() const { return query_.has_rowid; }

private:
    [[noreturn]] void row_error(const std::string& what) const;

    sqlite3* db_ = nullptr;
    Statement stmt_;
    SourceQuery query_;
    std::string source_;
    bool filtered_ = false;
    Order order_ = Order::BySeller;
    bool pending_ = false;  // the statement's current row starts the next seller
    bool done_ = true;
    RowChecker checker_;
};

}  // namespace penalty::glue
