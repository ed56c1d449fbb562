// row_check.hpp — reading and checking one row of a source (docs/model.md
// §3.1, §3a) from its values alone, on any thread: the stream strategy
// checks the row SQLite holds, the sort strategy a copy of it
// (core/event_sort.hpp).
//
// A row's values come in the source query's column order: seller_id, code,
// occurred_at, then rowid, points, revoked_at and anchor_at where the
// source has them (RowShape). An error names the source and the row
// ("source 'v', row with seller_id = 7, rowid 12: occurred_at: ..."); a
// view's rows (rowid NULL) are named by seller_id alone.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "core/engine.hpp"
#include "core/seller_batch.hpp"
#include "core/value.hpp"

namespace penalty {

// Where each column of a source row is (-1: the source lacks it).
struct RowShape {
    static constexpr int kMaxColumns = 7;
    std::string literal;  // the source's name as an SQL literal, for messages
    int rowid_col = -1, points_col = -1, revoked_col = -1, anchor_col = -1;
    int columns = 3;      // values per row
};

// One row read and checked: the event (Event::code negative for a revoked
// row, whose code is not looked up), and the optional columns.
struct SourceRow {
    Event event;
    std::optional<std::int64_t> points;
    std::optional<Time> revoked_at;
    bool revoked = false;
};

class RowChecker {
public:
    // For rows of `shape` (kept by reference).
    void reset(const RowShape& shape);

    // Reads and checks the row `cols`: the event, points and revoked_at
    // into `out`. Checked: the timestamps, revoked_at not before
    // occurred_at, points INTEGER or NULL; for a row not revoked as of
    // `revocations_until` (§3a) also a TEXT code the ruleset has a version
    // of by then (§3.1, even after as_of), the sign of points against the
    // code, and with a cycle track an anchor_at equal within the seller:
    // `anchor` is the seller's so far (set from its first row). A revoked
    // row's code is not looked up (event.code -1). Throws Error naming the
    // row.
    void check(const ValueView* cols, const Ruleset& rules, std::optional<Time> revocations_until,
               std::optional<Time>& anchor, SourceRow& out);

    [[noreturn]] void row_error(const ValueView* cols, const std::string& what) const;

private:
    std::optional<Time> time_value(const ValueView* cols, int col, const char* name, bool nullable) const;
    std::int32_t lookup_code(const Ruleset& rules, std::string_view code);

    const RowShape* shape_ = nullptr;
    // Recent code texts and their ids: a source has few distinct codes, so
    // most rows find theirs here and skip the hash look-up.
    struct CodeSlot {
        std::string text;
        std::int32_t id = -1;
    };
    static constexpr std::size_t kCodeSlots = 16;
    CodeSlot code_slots_[kCodeSlots];
    std::size_t code_slots_used_ = 0, code_slot_next_ = 0;
};

}  // namespace penalty
