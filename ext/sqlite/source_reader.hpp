// source_reader.hpp — reads a source table or view, row by row with every
// row check, and (in seller order) one seller at a time.
//
// The `source` argument of penalty_ledger / penalty_standings names a table
// or view with the columns seller_id, code, occurred_at, and optionally
// points, revoked_at and anchor_at (docs/model.md §3a; found by name, in
// any case). The name is quoted
// as one identifier ("..." with quotes doubled), so it can never inject SQL;
// a missing table or column is an error that names it. The query is
//
//   SELECT seller_id, code, occurred_at[, rowid, points, revoked_at, anchor_at]
//     FROM "<source>" [WHERE seller_id = ?1]
//     ORDER BY seller_id COLLATE BINARY, occurred_at            (Order::BySeller)
//
// or the same without WHERE and ORDER BY (Order::Storage: the rows as the
// source stores them, for sorted_source.hpp, which groups and sorts them).
// (BINARY: with a seller_id column declared COLLATE NOCASE, 'a', 'A', 'a'
// would otherwise interleave and split one seller into several; a plain
// index on seller_id still serves this order.)
// so that with an index on (seller_id, occurred_at) SQLite streams the rows
// in index order and memory is bounded by the largest seller. (No rowid in
// the ORDER BY: an index on (seller_id, occurred_at, code), which covers the
// query, then needs no sorting at all; ties are ordered here.) Rows of one
// seller are those with equal seller_id (same storage class and value;
// INTEGER 5 and REAL 5.0 are equal). Each seller's events are then sorted by
// (time, rowid): ties keep the source's rowid order (a view, having no rowid,
// keeps the order in which it returns rows).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "../core/engine.hpp"
#include "../core/value_key.hpp"
#include "row_check.hpp"
#include "source_query.hpp"
#include "statement.hpp"

namespace penalty::glue {

// One seller's events, sorted. Owns a copy of the seller_id value: `seller`
// (the stream strategy), or `key` (the sort strategy, sorted_source.hpp;
// `key_real`: listed as a REAL). result_seller() answers either.
// Per-event extras are indexed by Event::seq (read order) and present only
// when the source has the column.
struct SellerBatch {
    SellerBatch() = default;
    SellerBatch(const SellerBatch&) = delete;
    SellerBatch& operator=(const SellerBatch&) = delete;
    ~SellerBatch() { sqlite3_value_free(seller); }

    // Empties it for the next seller (keeps the capacity).
    void clear();

    sqlite3_value* seller = nullptr;
    ValueKey key;                           // when seller is null
    bool key_real = false;
    std::vector<Event> events;              // sorted; Event::seq indexes the vectors below
    std::vector<sqlite3_int64> rowids;      // empty without rowid
    std::vector<std::optional<std::int64_t>> points;  // the source's per-case points (§3.5); empty without the column
    std::vector<std::optional<Time>> revoked_at;      // §3a; empty without the column
    std::optional<Time> anchor;             // anchor_at (§3a), read when the ruleset has a cycle track
    std::vector<std::string> unknown;       // codes of revoked rows (not looked up), by -1 - Event::code

    std::optional<std::int64_t> points_of(const Event& e) const {
        return points.empty() ? std::nullopt : points[e.seq];
    }
    std::optional<Time> revoked_of(const Event& e) const {
        return revoked_at.empty() ? std::nullopt : revoked_at[e.seq];
    }
};

// The result of a seller_id column: the batch's seller.
void result_seller(sqlite3_context* ctx, const SellerBatch& b);

// The text a revoked row's code is listed with: the code if TEXT, else its
// SQL literal.
std::string revoked_code_text(const ValueView& code);

class SourceReader {
public:
    using Order = SourceQuery::Order;

    // Prepares (or reuses) the query for `source` and starts it; `seller`
    // non-null restricts it to seller_id = seller. `known`: the source's
    // query just made by source_query() (then not made again), or null.
    // Throws Error / SqliteError.
    void start(sqlite3* db, std::string_view source, sqlite3_value* seller, Order order = Order::BySeller,
               const SourceQuery* known = nullptr);
    // The same, for one seller given as a core value.
    void start(sqlite3* db, std::string_view source, const ValueView& seller);

    // Order::BySeller: reads the next seller's events, resolving codes in
    // `rules`; returns false at the end. Throws the engine's "unknown
    // violation code" error for a code the ruleset lacks (or has no version
    // of yet), and Error naming the row for a bad value: a
    // timestamp, a non-text code, per-case points that are not INTEGER (or
    // of the wrong sign for the code), revoked_at before occurred_at, and
    // anchor_at missing or differing within the seller (cycle tracks only).
    // A row with revoked_at <= revocations_until (nullopt: any revoked_at)
    // is revoked: only occurred_at, revoked_at and the storage class of
    // points are checked, and its code is not looked up (a negative
    // Event::code; its text in `unknown`).
    bool next(const Ruleset& rules, std::optional<Time> revocations_until, SellerBatch& out);

    // Row by row (either order): step() moves to the next row (false at the
    // end); seller() is its seller_id (valid until the next step);
    // row_values() all its values, for RowChecker (row_check.hpp), which
    // checks it as next() does.
    bool step();
    sqlite3_value* seller() const { return sqlite3_column_value(stmt_.get(), 0); }
    // The current row's values in column order (SourceQuery), valid until
    // the next step: `cols` holds query().columns values.
    void row_values(ValueView* cols) const;
    const SourceQuery& query() const { return query_; }

    bool has_rowid() const { return query_.has_rowid; }
    bool has_points() const { return query_.points_col >= 0; }
    bool has_revoked_at() const { return query_.revoked_col >= 0; }

private:
    void restart(sqlite3* db, std::string_view source, bool filtered, Order order, const SourceQuery* known = nullptr);
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
