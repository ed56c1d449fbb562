// source_reader.hpp — reads a source table or view one seller at a time.
//
// The `source` argument of penalty_ledger / penalty_standings names a table
// or view with the columns seller_id, code, occurred_at, and optionally
// points, revoked_at and anchor_at (docs/model.md §3a; found by name, in
// any case). The name is quoted
// as one identifier ("..." with quotes doubled), so it can never inject SQL;
// a missing table or column is an error that names it. The query is
//
//   SELECT seller_id, code, occurred_at[, rowid] FROM "<source>"
//     [WHERE seller_id = ?1] ORDER BY seller_id COLLATE BINARY, occurred_at
//
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
#include "statement.hpp"

namespace penalty::glue {

// One seller's events, sorted. Owns a copy of the seller_id value.
// Per-event extras are indexed by Event::seq (read order) and present only
// when the source has the column.
struct SellerBatch {
    SellerBatch() = default;
    SellerBatch(const SellerBatch&) = delete;
    SellerBatch& operator=(const SellerBatch&) = delete;
    ~SellerBatch() { sqlite3_value_free(seller); }

    sqlite3_value* seller = nullptr;
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

class SourceReader {
public:
    // Prepares (or reuses) the query for `source` and starts it; `seller`
    // non-null restricts it to seller_id = seller. Throws Error / SqliteError.
    void start(sqlite3* db, std::string_view source, sqlite3_value* seller);
    // The same, for one seller given as a core value.
    void start(sqlite3* db, std::string_view source, const ValueView& seller);

    // Reads the next seller's events, resolving codes in `rules`; returns
    // false at the end. Throws the engine's "unknown violation code" error
    // for a code the ruleset lacks (or has no version of yet), and Error
    // naming the row for a bad value: a
    // timestamp, a non-text code, per-case points that are not INTEGER (or
    // of the wrong sign for the code), revoked_at before occurred_at, and
    // anchor_at missing or differing within the seller (cycle tracks only).
    // A row with revoked_at <= revocations_until (nullopt: any revoked_at)
    // is revoked: only occurred_at, revoked_at and the storage class of
    // points are checked, and its code is not looked up (a negative
    // Event::code; its text in `unknown`).
    bool next(const Ruleset& rules, std::optional<Time> revocations_until, SellerBatch& out);

    bool has_rowid() const { return has_rowid_; }

private:
    void prepare(sqlite3* db, std::string_view source, bool filtered);
    void restart(sqlite3* db, std::string_view source, bool filtered);
    [[noreturn]] void row_error(const std::string& what) const;
    std::optional<Time> time_column(int col, const char* name, bool nullable) const;
    void push_row(Event& e, sqlite3_stmt* st, SellerBatch& out);

    sqlite3* db_ = nullptr;
    Statement stmt_;
    std::string source_;
    bool filtered_ = false;
    bool has_rowid_ = false;
    // Result columns of the optional source columns; -1 when absent.
    int rowid_col_ = -1, points_col_ = -1, revoked_col_ = -1, anchor_col_ = -1;
    bool pending_ = false;  // the statement's current row starts the next seller
    bool done_ = true;
    // Recent code texts and their ids: a source has few distinct codes, so
    // most rows find theirs here and skip the hash look-up.
    struct CodeSlot {
        std::string text;
        std::int32_t id = -1;
    };
    static constexpr std::size_t kCodeSlots = 16;
    CodeSlot code_slots_[kCodeSlots];
    std::size_t code_slots_used_ = 0, code_slot_next_ = 0;
    std::int32_t lookup_code(const Ruleset& rules, std::string_view code);
};

}  // namespace penalty::glue
