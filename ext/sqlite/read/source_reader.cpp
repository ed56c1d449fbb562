// source_reader.cpp — reading a source row by row and seller by seller (source_reader.hpp).
#include "sqlite/read/source_reader.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "sqlite/base/errors.hpp"
#include "sqlite/read/source_table.hpp"
#include "sqlite/base/values.hpp"

namespace penalty::glue {

void SourceReader::start(sqlite3* db, std::string_view source, const ValueView* seller, Order order,
                         const SourceQuery* known) {
    db_ = db;
    const bool filtered = seller != nullptr;
    if (!stmt_.get() || source != source_ || filtered != filtered_ || order != order_) {
        if (known) {
            query_ = *known;
            set_shape(query_, filtered, order);
        } else {
            query_ = source_query(db, source, filtered, order);
        }
        check_rc(db,
                 sqlite3_prepare_v3(db, query_.sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, stmt_.out(), nullptr),
                 fmt::format("source {}", query_.literal));
        source_ = std::string(source);
        filtered_ = filtered;
        order_ = order;
    } else if (const int rc = sqlite3_reset(stmt_.get()); rc != SQLITE_OK) {
        check_rc(db, rc, fmt::format("source {}", query_.literal));
    }
    if (seller) check_rc(db, bind_view(stmt_.get(), 1, *seller), "binding seller_id");
    pending_ = false;
    done_ = false;
    checker_.reset(query_);
}

void SourceReader::row(ValueView* cols) const { column_views(stmt_.get(), query_.columns, cols); }

void SourceReader::row_error(const std::string& what) const {
    ValueView cols[SourceQuery::kMaxColumns];
    row(cols);
    checker_.row_error(cols, what);
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

bool SourceReader::next(const Ruleset& rules, std::optional<Time> revocations_until, SellerBatch& out) {
    out.clear();
    SourceRow checked;
    // The seller is listed with the storage class (INTEGER 5 or REAL 5.0)
    // of its first event in (occurred_at, rowid) order, as the sort
    // strategy lists it.
    Time first_at = 0;
    std::int64_t first_tie = 0;
    bool any = false;
    ValueView cols[RowShape::kMaxColumns];
    for (;;) {
        if (!pending_ && !step()) break;
        pending_ = false;
        row(cols);
        if (!any) {
            out.key.assign(cols[0]);
            any = true;
        } else if (!out.key.matches(cols[0])) {
            pending_ = true;  // this row belongs to the next seller
            break;
        }
        checker_.check(cols, rules, revocations_until, out.anchor, checked);
        if (out.events.size() >= UINT32_MAX) row_error("more than 4294967295 events for one seller");
        Event& e = checked.event;
        e.seq = static_cast<std::uint32_t>(out.events.size());
        if (checked.revoked) {
            e.code = -1 - static_cast<std::int32_t>(out.unknown.size());
            out.unknown.push_back(revoked_code_text(cols[1]));
        }
        if (query_.revoked_col >= 0) out.revoked_at.push_back(checked.revoked_at);
        if (query_.points_col >= 0) out.points.push_back(checked.points);
        std::int64_t id = 0;
        if (query_.has_rowid && cols[query_.rowid_col].kind == Kind::Integer) {
            id = cols[query_.rowid_col].i;
            out.rowids.push_back(id);
        } else {
            query_.has_rowid = false;  // a view answers rowid with NULL: it has none
            out.rowids.clear();
        }
        const std::int64_t tie = has_rowid() ? id : static_cast<std::int64_t>(e.seq);
        if (e.seq == 0 || e.at < first_at || (e.at == first_at && tie < first_tie)) {
            first_at = e.at;
            first_tie = tie;
            out.key_real = cols[0].kind == Kind::Real && out.key.kind == Kind::Integer;
        }
        out.events.push_back(e);
    }
    if (!any) return false;
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
