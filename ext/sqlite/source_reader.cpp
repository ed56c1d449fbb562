// source_reader.cpp — the source query, the row checks and per-seller batching.
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

void SellerBatch::clear() {
    events.clear();
    rowids.clear();
    points.clear();
    revoked_at.clear();
    anchor.reset();
    unknown.clear();
    sqlite3_value_free(seller);
    seller = nullptr;
}

void result_seller(sqlite3_context* ctx, const SellerBatch& b) {
    if (b.seller) sqlite3_result_value(ctx, b.seller);
    else if (b.key_real) sqlite3_result_double(ctx, static_cast<double>(b.key.i));
    else result_view(ctx, b.key.view());
}

std::string revoked_code_text(const ValueView& code) {
    return code.kind == Kind::Text ? std::string(code.s) : sql_literal(code);
}

SourceQuery source_query(sqlite3* db, std::string_view source, bool filtered, SourceQuery::Order order) {
    const SourceTable t = open_source_table(db, source, "source", {"seller_id", "code", "occurred_at"});
    SourceQuery out;
    out.literal = t.literal;
    out.quoted = t.quoted;
    const bool has_points = t.column("points") >= 0, has_revoked = t.column("revoked_at") >= 0,
               has_anchor = t.column("anchor_at") >= 0;
    Statement probe;
    // Tables have a rowid; WITHOUT ROWID tables do not (the query fails);
    // views do not either (the query answers NULL, seen in rowid()).
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
    out.sql = fmt::format("SELECT {} FROM {}{}{}", columns, t.quoted, filtered ? " WHERE seller_id = ?1" : "",
                          order == SourceQuery::Order::BySeller ? " ORDER BY seller_id COLLATE BINARY, occurred_at"
                                                                 : "");
    return out;
}

void SourceReader::start(sqlite3* db, std::string_view source, sqlite3_value* seller, Order order) {
    restart(db, source, seller != nullptr, order);
    if (seller) check_rc(db, sqlite3_bind_value(stmt_.get(), 1, seller), "binding seller_id");
}

void SourceReader::start(sqlite3* db, std::string_view source, const ValueView& seller) {
    restart(db, source, true, Order::BySeller);
    check_rc(db, bind_view(stmt_.get(), 1, seller), "binding seller_id");
}

void SourceReader::restart(sqlite3* db, std::string_view source, bool filtered, Order order) {
    db_ = db;
    if (!stmt_.get() || source != source_ || filtered != filtered_ || order != order_) {
        query_ = source_query(db, source, filtered, order);
        check_rc(db,
                 sqlite3_prepare_v3(db, query_.sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, stmt_.out(), nullptr),
                 fmt::format("source {}", query_.literal));
        source_ = std::string(source);
        filtered_ = filtered;
        order_ = order;
    } else if (const int rc = sqlite3_reset(stmt_.get()); rc != SQLITE_OK) {
        check_rc(db, rc, fmt::format("source {}", query_.literal));
    }
    pending_ = false;
    done_ = false;
    code_slots_used_ = code_slot_next_ = 0;  // the ruleset may differ from the last call
}

void SourceReader::row_error(const std::string& what) const {
    std::string where = "seller_id = " + sql_literal(column_view(stmt_.get(), 0));
    if (query_.has_rowid) where += fmt::format(", rowid {}", sqlite3_column_int64(stmt_.get(), query_.rowid_col));
    throw Error(fmt::format("source {}, row with {}: {}", query_.literal, where, what));
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

bool SourceReader::step() {
    if (done_) return false;
    const int rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) {
        done_ = true;
        return false;
    }
    check_rc(db_, rc, fmt::format("reading source {}", query_.literal));
    return false;  // not reached: check_rc threw
}

void SourceReader::check(const Ruleset& rules, std::optional<Time> revocations_until, std::optional<Time>& anchor,
                         SourceRow& out) {
    check_row(rules, revocations_until, anchor, out);
}

// check(), inlined into next(): the stream strategy's hot path.
[[gnu::always_inline]] inline void SourceReader::check_row(const Ruleset& rules,
                                                           std::optional<Time> revocations_until,
                                                           std::optional<Time>& anchor, SourceRow& out) {
    // One sqlite3_column_value() per column, then the value accessors:
    // the connection's mutex is held by the caller (we run inside
    // sqlite3_step), so these values are as good as protected ones.
    sqlite3_stmt* st = stmt_.get();
    Event& e = out.event;
    try {  // the hot path: no optional, no call
        e.at = parse_timestamp(view_of(sqlite3_column_value(st, 2)));
    } catch (const Error& err) {
        row_error(fmt::format("occurred_at: {}", err.what()));
    }
    // §3a: a revoked row is checked for occurred_at, revoked_at and the
    // storage class of points only.
    out.revoked_at.reset();
    if (query_.revoked_col >= 0) {
        out.revoked_at = time_column(query_.revoked_col, "revoked_at", true);
        if (out.revoked_at && *out.revoked_at < e.at)
            row_error(fmt::format("revoked_at {} is before occurred_at {}", format_timestamp(*out.revoked_at),
                                  format_timestamp(e.at)));
    }
    out.revoked = out.revoked_at && (!revocations_until || *out.revoked_at <= *revocations_until);
    out.points.reset();
    if (query_.points_col >= 0) {
        const ValueView p = view_of(sqlite3_column_value(st, query_.points_col));
        if (p.kind != Kind::Null && p.kind != Kind::Integer)
            row_error(fmt::format("points is {}; expected INTEGER or NULL", sql_literal(p)));
        if (p.kind == Kind::Integer) out.points = p.i;
    }
    if (out.revoked) {  // not evaluated: its code is not even looked up
        e.code = -1;
        return;
    }
    if (rules.has_cycle) {
        if (query_.anchor_col < 0) row_error("the ruleset has a cycle track, so the source needs an anchor_at column");
        const std::optional<Time> a = time_column(query_.anchor_col, "anchor_at", true);
        if (!a) row_error("anchor_at is NULL; a cycle track needs each seller's anchor");
        if (anchor && *anchor != *a)
            row_error(fmt::format("anchor_at {} differs from the seller's {}", format_timestamp(*a),
                                  format_timestamp(*anchor)));
        anchor = a;
    }
    const ValueView code = view_of(sqlite3_column_value(st, 1));
    if (code.kind != Kind::Text) row_error(fmt::format("code is {}; expected TEXT", sql_literal(code)));
    e.code = lookup_code(rules, code.s);
    // §3.1 for every row read that is not revoked (§3a), after as_of too.
    if (e.code < 0) unknown_code_error(rules, code.s, e.at);
    if (rules.codes[static_cast<std::size_t>(e.code)].versions.front().valid_from > e.at)
        unknown_code_error(rules, code.s, e.at);  // no version in force yet
    if (out.points) {
        const bool credit = rules.codes[static_cast<std::size_t>(e.code)].credit;
        const std::int64_t p = *out.points;
        if (credit ? p > 0 : p < 0)
            row_error(fmt::format("points is {}; code {} is {}", p, sql_literal(code),
                                  credit ? "a credit, so its points must be <= 0"
                                         : "an offence, so its points must be >= 0"));
    }
}

bool SourceReader::next(const Ruleset& rules, std::optional<Time> revocations_until, SellerBatch& out) {
    out.clear();
    SourceRow row;
    // The seller is listed with the storage class (INTEGER 5 or REAL 5.0)
    // of its first event in (occurred_at, rowid) order, as the sort
    // strategy lists it.
    Time first_at = 0;
    sqlite3_int64 first_tie = 0;
    for (;;) {
        if (!pending_ && !step()) break;
        pending_ = false;
        sqlite3_value* s = seller();
        if (!out.seller) {
            out.seller = sqlite3_value_dup(s);
            if (!out.seller) throw std::bad_alloc();
        } else if (!same_seller(out.seller, s)) {
            pending_ = true;  // this row belongs to the next seller
            break;
        }
        check_row(rules, revocations_until, out.anchor, row);
        if (out.events.size() >= UINT32_MAX) row_error("more than 4294967295 events for one seller");
        Event& e = row.event;
        e.seq = static_cast<std::uint32_t>(out.events.size());
        if (row.revoked) {
            e.code = -1 - static_cast<std::int32_t>(out.unknown.size());
            out.unknown.push_back(revoked_code_text(view_of(code())));
        }
        if (query_.revoked_col >= 0) out.revoked_at.push_back(row.revoked_at);
        if (query_.points_col >= 0) out.points.push_back(row.points);
        sqlite3_int64 id = 0;
        if (rowid(id)) out.rowids.push_back(id);
        else out.rowids.clear();
        const sqlite3_int64 tie = has_rowid() ? id : static_cast<sqlite3_int64>(e.seq);
        if (e.seq == 0 || e.at < first_at || (e.at == first_at && tie < first_tie)) {
            first_at = e.at;
            first_tie = tie;
            if (sqlite3_value_type(s) != sqlite3_value_type(out.seller)) {
                sqlite3_value* dup = sqlite3_value_dup(s);
                if (!dup) throw std::bad_alloc();
                sqlite3_value_free(out.seller);
                out.seller = dup;
            }
        }
        out.events.push_back(e);
    }
    if (!out.seller) return false;
    // Order by (time, rowid) — or (time, read order) without rowid.
    const bool by_rowid = has_rowid();
    auto before = [&](const Event& a, const Event& b) {
        if (a.at != b.at) return a.at < b.at;
        return by_rowid ? out.rowids[a.seq] < out.rowids[b.seq] : a.seq < b.seq;
    };
    if (!std::is_sorted(out.events.begin(), out.events.end(), before))
        std::sort(out.events.begin(), out.events.end(), before);
    return true;
}

}  // namespace penalty::glue
