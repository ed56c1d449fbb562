// seller_batch.hpp — one seller's events as read from a source, and the
// revocation rule (docs/model.md §3a). Both read strategies fill it (the
// stream in sqlite/read/source_reader.cpp, the sort in core/event_sort.cpp):
// the same values, the same order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/engine.hpp"
#include "core/value_key.hpp"

namespace penalty {

// §3a: a row with revoked_at is revoked as of `until` when revoked_at is at
// or before it (nullopt `until`: every revocation applies).
inline bool revoked_by(std::optional<Time> revoked_at, std::optional<Time> until) {
    return revoked_at && (!until || *revoked_at <= *until);
}

// One seller's events, sorted by (occurred_at, tie). The seller_id is
// `key`, listed as a REAL when `key_real` (a whole REAL seller_id: the
// storage class of its first event). Per-event extras are indexed by
// Event::seq (read order) and present only when the source has the column.
struct SellerBatch {
    void clear() {
        key.assign({});
        key_real = false;
        events.clear();
        rowids.clear();
        points.clear();
        revoked_at.clear();
        anchor.reset();
        unknown.clear();
    }

    ValueKey key;
    bool key_real = false;
    std::vector<Event> events;                        // sorted; Event::seq indexes the vectors below
    std::vector<std::int64_t> rowids;                 // empty without rowid
    std::vector<std::optional<std::int64_t>> points;  // the source's per-case points (§3.5)
    std::vector<std::optional<Time>> revoked_at;      // §3a
    std::optional<Time> anchor;                       // anchor_at (§3a), read with a cycle track
    std::vector<std::string> unknown;                 // codes of revoked rows (not looked up), by -1 - Event::code

    std::optional<std::int64_t> points_of(const Event& e) const {
        return points.empty() ? std::nullopt : points[e.seq];
    }
    std::optional<Time> revoked_of(const Event& e) const {
        return revoked_at.empty() ? std::nullopt : revoked_at[e.seq];
    }
    bool revoked(const Event& e, std::optional<Time> until) const { return revoked_by(revoked_of(e), until); }
};

// The text a revoked row's code is listed with: the code if TEXT, else its
// SQL literal.
inline std::string revoked_code_text(const ValueView& code) {
    return code.kind == Kind::Text ? std::string(code.s) : sql_literal(code);
}

}  // namespace penalty
