// source_reader.cpp — the source query and per-seller batching.
#include "source_reader.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "errors.hpp"
#include "source_table.hpp"
#include "values.hpp"

namespace penalty::glue {

namespace {

// SQL equality of two seller_id values (numbers by value, text and blobs by
// bytes, NULL with NULL).
bool same_seller(sqlite3_value* a, sqlite3_value* b) {
    const int ta = sqlite3_value_type(a), tb = sqlite3_value_type(b);
    const bool na = ta == SQLITE_INTEGER || ta == SQLITE_FLOAT, nb = tb == SQLITE_INTEGER || tb == SQLITE_FLOAT;
    if (na && nb) {
        if (ta == SQLITE_INTEGER && tb == SQLITE_INTEGER) return sqlite3_value_int64(a) == sqlite3_value_int64(b);
        return sqlite3_value_double(a) == sqlite3_value_double(b);
    }
    if (ta != tb) return false;
    if (ta == SQLITE_NULL) return true;
    const void* pa = ta == SQLITE_TEXT ? static_cast<const void*>(sqlite3_value_text(a)) : sqlite3_value_blob(a);
    const void* pb = tb == SQLITE_TEXT ? static_cast<const void*>(sqlite3_value_text(b)) : sqlite3_value_blob(b);
    const int la = sqlite3_value_bytes(a), lb = sqlite3_value_bytes(b);
    return la == lb && (la == 0 || std::memcmp(pa, pb, static_cast<std::size_t>(la)) == 0);
}

}  // namespace

void SourceReader::prepare(sqlite3* db, std::string_view source, bool filtered) {
    const SourceTable t = open_source_table(db, source, "source", {"seller_id", "code", "occurred_at"});
    const std::string& q = t.quoted;
    const bool has_points = t.column("points") >= 0, has_revoked = t.column("revoked_at") >= 0,
               has_anchor = t.column("anchor_at") >= 0;
    Statement probe;
    // Tables have a rowid; WITHOUT ROWID tables do not (the query fails);
    // views do not either (the query answers NULL, seen in next()).
    const int rc = sqlite3_prepare_v3(db, ("SELECT rowid FROM " + q).c_str(), -1, 0, probe.out(), nullptr);
    if (rc == SQLITE_NOMEM) throw std::bad_alloc();
    has_rowid_ = rc == SQLITE_OK;

    std::string columns = "seller_id, code, occurred_at";
    int next_col = 3;
    auto optional_column = [&](bool present, const char* name) {
        if (!present) return -1;
        columns += fmt::format(", {}", name);
        return next_col++;
    };
    rowid_col_ = optional_column(has_rowid_, "rowid");
    points_col_ = optional_column(has_points, "points");
    revoked_col_ = optional_column(has_revoked, "revoked_at");
    anchor_col_ = optional_column(has_anchor, "anchor_at");
    const std::string sql = fmt::format("SELECT {} FROM {}{} ORDER BY seller_id COLLATE BINARY, occurred_at", columns,
                                        q, filtered ? " WHERE seller_id = ?1" : "");
    check_rc(db, sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, stmt_.out(), nullptr),
             fmt::format("source {}", t.literal));
    source_ = std::string(source);
    filtered_ = filtered;
}

void SourceReader::start(sqlite3* db, std::string_view source, sqlite3_value* seller) {
    restart(db, source, seller != nullptr);
    if (seller) check_rc(db, sqlite3_bind_value(stmt_.get(), 1, seller), "binding seller_id");
}

void SourceReader::start(sqlite3* db, std::string_view source, const ValueView& seller) {
    restart(db, source, true);
    check_rc(db, bind_view(stmt_.get(), 1, seller), "binding seller_id");
}

void SourceReader::restart(sqlite3* db, std::string_view source, bool filtered) {
    db_ = db;
    if (!stmt_.get() || source != source_ || filtered != filtered_) prepare(db, source, filtered);
    else if (const int rc = sqlite3_reset(stmt_.get()); rc != SQLITE_OK)
        check_rc(db, rc, fmt::format("source {}", sql_literal(ValueView::text(source))));
    pending_ = false;
    done_ = false;
    code_slots_used_ = code_slot_next_ = 0;  // the ruleset may differ from the last call
}

void SourceReader::row_error(const std::string& what) const {
    std::string where = "seller_id = " + sql_literal(column_view(stmt_.get(), 0));
    if (has_rowid_) where += fmt::format(", rowid {}", sqlite3_column_int64(stmt_.get(), rowid_col_));
    throw Error(fmt::format("source {}, row with {}: {}", sql_literal(ValueView::text(source_)), where, what));
}

std::int32_t SourceReader::lookup_code(const Ruleset& rules, std::string_view code) {
    for (std::size_t k = 0; k < code_slots_used_; ++k)
        if (code_slots_[k].text == code) return code_slots_[k].id;
    const std::int32_t id = rules.code_id(code);
    CodeSlot& slot = code_slots_[code_slot_next_];
    slot.text.assign(code);
    slot.id = id;
    code_slot_next_ = (code_slot_next_ + 1) % kCodeSlots;
    code_slots_used_ = std::max(code_slots_used_, code_slot_next_ == 0 ? kCodeSlots : code_slot_next_);
    return id;
}

std::optional<Time> SourceReader::time_column(int col, const char* name, bool nullable) const {
    const ValueView v = view_of(sqlite3_column_value(stmt_.get(), col));
    if (nullable && v.kind == Kind::Null) return std::nullopt;
    try {
        return parse_timestamp(v);
    } catch (const Error& err) {
        row_error(fmt::format("{}: {}", name, err.what()));
    }
}

// Appends the event `e` of the current row, with its rowid.
[[gnu::always_inline]] inline void SourceReader::push_row(Event& e, sqlite3_stmt* st, SellerBatch& out) {
        if (out.events.size() >= UINT32_MAX) row_error("more than 4294967295 events for one seller");
        e.seq = static_cast<std::uint32_t>(out.events.size());
        if (has_rowid_) {
            // A view answers `rowid` with NULL: it has none (a table never does).
            sqlite3_value* rowid = sqlite3_column_value(st, rowid_col_);
            if (sqlite3_value_type(rowid) == SQLITE_NULL) {
                has_rowid_ = false;
                out.rowids.clear();
            } else {
                out.rowids.push_back(sqlite3_value_int64(rowid));
            }
        }
        out.events.push_back(e);
}

bool SourceReader::next(const Ruleset& rules, std::optional<Time> revocations_until, SellerBatch& out) {
    out.events.clear();
    out.rowids.clear();
    out.points.clear();
    out.revoked_at.clear();
    out.anchor.reset();
    out.unknown.clear();
    sqlite3_value_free(out.seller);
    out.seller = nullptr;
    if (done_) return false;
    sqlite3_stmt* st = stmt_.get();
    for (;;) {
        if (!pending_) {
            const int rc = sqlite3_step(st);
            if (rc == SQLITE_DONE) {
                done_ = true;
                break;
            }
            if (rc != SQLITE_ROW) check_rc(db_, rc, fmt::format("reading source {}", sql_literal(ValueView::text(source_))));
        }
        pending_ = false;
        // One sqlite3_column_value() per column, then the value accessors:
        // the connection's mutex is held by the caller (we run inside
        // sqlite3_step), so these values are as good as protected ones.
        sqlite3_value* seller = sqlite3_column_value(st, 0);
        if (!out.seller) {
            out.seller = sqlite3_value_dup(seller);
            if (!out.seller) throw std::bad_alloc();
        } else if (!same_seller(out.seller, seller)) {
            pending_ = true;  // this row belongs to the next seller
            break;
        }
        Event e;
        try {  // the hot path: no optional, no call
            e.at = parse_timestamp(view_of(sqlite3_column_value(st, 2)));
        } catch (const Error& err) {
            row_error(fmt::format("occurred_at: {}", err.what()));
        }
        // §3a: a revoked row is checked for occurred_at, revoked_at and the
        // storage class of points only.
        std::optional<Time> revoked;
        if (revoked_col_ >= 0) {
            revoked = time_column(revoked_col_, "revoked_at", true);
            if (revoked && *revoked < e.at)
                row_error(fmt::format("revoked_at {} is before occurred_at {}", format_timestamp(*revoked),
                                      format_timestamp(e.at)));
            out.revoked_at.push_back(revoked);
        }
        const bool is_revoked = revoked && (!revocations_until || *revoked <= *revocations_until);
        if (points_col_ >= 0) {
            const ValueView p = view_of(sqlite3_column_value(st, points_col_));
            if (p.kind != Kind::Null && p.kind != Kind::Integer)
                row_error(fmt::format("points is {}; expected INTEGER or NULL", sql_literal(p)));
            out.points.push_back(p.kind == Kind::Integer ? std::optional<std::int64_t>(p.i) : std::nullopt);
        }
        if (is_revoked) {  // not evaluated: its code is not even looked up
            e.code = -1 - static_cast<std::int32_t>(out.unknown.size());
            out.unknown.emplace_back(view_of(sqlite3_column_value(st, 1)).kind == Kind::Text
                                         ? std::string(view_of(sqlite3_column_value(st, 1)).s)
                                         : sql_literal(view_of(sqlite3_column_value(st, 1))));
            push_row(e, st, out);
            continue;
        }
        if (rules.has_cycle) {
            if (anchor_col_ < 0) row_error("the ruleset has a cycle track, so the source needs an anchor_at column");
            const std::optional<Time> anchor = time_column(anchor_col_, "anchor_at", true);
            if (!anchor) row_error("anchor_at is NULL; a cycle track needs each seller's anchor");
            if (out.anchor && *out.anchor != *anchor)
                row_error(fmt::format("anchor_at {} differs from the seller's {}", format_timestamp(*anchor),
                                      format_timestamp(*out.anchor)));
            out.anchor = anchor;
        }
        const ValueView code = view_of(sqlite3_column_value(st, 1));
        if (code.kind != Kind::Text) row_error(fmt::format("code is {}; expected TEXT", sql_literal(code)));
        e.code = lookup_code(rules, code.s);
        // §3.1 for every row read that is not revoked (§3a), after as_of too.
        if (e.code < 0) unknown_code_error(rules, code.s, e.at);
        if (rules.codes[static_cast<std::size_t>(e.code)].versions.front().valid_from > e.at)
            unknown_code_error(rules, code.s, e.at);  // no version in force yet
        if (points_col_ >= 0 && out.points.back()) {
            const bool credit = rules.codes[static_cast<std::size_t>(e.code)].credit;
            const std::int64_t p = *out.points.back();
            if (credit ? p > 0 : p < 0)
                row_error(fmt::format("points is {}; code {} is {}", p, sql_literal(code),
                                      credit ? "a credit, so its points must be <= 0"
                                             : "an offence, so its points must be >= 0"));
        }
        push_row(e, st, out);
    }
    if (!out.seller) return false;
    // Order by (time, rowid) — or (time, read order) without rowid.
    auto before = [&](const Event& a, const Event& b) {
        if (a.at != b.at) return a.at < b.at;
        return has_rowid_ ? out.rowids[a.seq] < out.rowids[b.seq] : a.seq < b.seq;
    };
    if (!std::is_sorted(out.events.begin(), out.events.end(), before))
        std::sort(out.events.begin(), out.events.end(), before);
    return true;
}


}  // namespace penalty::glue
