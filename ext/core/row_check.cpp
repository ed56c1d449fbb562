// row_check.cpp — the checks of one source row (row_check.hpp).
#include "core/row_check.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/timestamp.hpp"

namespace penalty {

void RowChecker::reset(const RowShape& shape) {
    shape_ = &shape;
    code_slots_used_ = code_slot_next_ = 0;  // the ruleset may differ from the last rows
}

void RowChecker::row_error(const ValueView* cols, const std::string& what) const {
    std::string where = "seller_id = " + sql_literal(cols[0]);
    if (shape_->rowid_col >= 0 && cols[shape_->rowid_col].kind == Kind::Integer)
        where += fmt::format(", rowid {}", cols[shape_->rowid_col].i);
    throw Error(fmt::format("source {}, row with {}: {}", shape_->literal, where, what));
}

std::int32_t RowChecker::lookup_code(const Ruleset& rules, std::string_view code) {
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

std::optional<Time> RowChecker::time_value(const ValueView* cols, int col, const char* name, bool nullable) const {
    const ValueView& v = cols[col];
    if (nullable && v.kind == Kind::Null) return std::nullopt;
    try {
        return parse_timestamp(v);
    } catch (const Error& err) {
        row_error(cols, fmt::format("{}: {}", name, err.what()));
    }
}

void RowChecker::check(const ValueView* cols, const Ruleset& rules, std::optional<Time> revocations_until,
                       std::optional<Time>& anchor, SourceRow& out) {
    const RowShape& q = *shape_;
    Event& e = out.event;
    try {  // the hot path: no optional, no call
        e.at = parse_timestamp(cols[2]);
    } catch (const Error& err) {
        row_error(cols, fmt::format("occurred_at: {}", err.what()));
    }
    // §3a: a revoked row is checked for occurred_at, revoked_at and the
    // storage class of points only.
    out.revoked_at.reset();
    if (q.revoked_col >= 0) {
        out.revoked_at = time_value(cols, q.revoked_col, "revoked_at", true);
        if (out.revoked_at && *out.revoked_at < e.at)
            row_error(cols, fmt::format("revoked_at {} is before occurred_at {}", format_timestamp(*out.revoked_at),
                                        format_timestamp(e.at)));
    }
    out.revoked = revoked_by(out.revoked_at, revocations_until);
    out.points.reset();
    if (q.points_col >= 0) {
        const ValueView& p = cols[q.points_col];
        if (p.kind != Kind::Null && p.kind != Kind::Integer)
            row_error(cols, fmt::format("points is {}; expected INTEGER or NULL", sql_literal(p)));
        if (p.kind == Kind::Integer) out.points = p.i;
    }
    if (out.revoked) {  // not evaluated: its code is not even looked up
        e.code = -1;
        return;
    }
    if (rules.has_cycle) {
        if (q.anchor_col < 0)
            row_error(cols, "the ruleset has a cycle track, so the source needs an anchor_at column");
        const std::optional<Time> a = time_value(cols, q.anchor_col, "anchor_at", true);
        if (!a) row_error(cols, "anchor_at is NULL; a cycle track needs each seller's anchor");
        if (anchor && *anchor != *a)
            row_error(cols, fmt::format("anchor_at {} differs from the seller's {}", format_timestamp(*a),
                                        format_timestamp(*anchor)));
        anchor = a;
    }
    const ValueView& code = cols[1];
    if (code.kind != Kind::Text) row_error(cols, fmt::format("code is {}; expected TEXT", sql_literal(code)));
    e.code = lookup_code(rules, code.s);
    // §3.1 for every row read that is not revoked (§3a), after as_of too.
    if (e.code < 0) unknown_code_error(rules, code.s, e.at);
    if (rules.codes[static_cast<std::size_t>(e.code)].versions.front().valid_from > e.at)
        unknown_code_error(rules, code.s, e.at);  // no version in force yet
    if (out.points) {
        const bool credit = rules.codes[static_cast<std::size_t>(e.code)].credit;
        const std::int64_t p = *out.points;
        if (credit ? p > 0 : p < 0)
            row_error(cols, fmt::format("points is {}; code {} is {}", p, sql_literal(code),
                                        credit ? "a credit, so its points must be <= 0"
                                               : "an offence, so its points must be >= 0"));
    }
}

}  // namespace penalty
