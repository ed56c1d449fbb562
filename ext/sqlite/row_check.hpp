// row_check.hpp — reading and checking one row of a source (docs/model.md
// §3a), from its values alone: the stream strategy checks the row SQLite
// holds (source_reader.hpp), the sort strategy a copy of it, possibly on a
// worker thread (sorted_source.hpp). No SQLite call is made here.
//
// A row's values come in the source query's column order (SourceQuery):
// seller_id, code, occurred_at, then rowid, points, revoked_at and
// anchor_at where the query has them. An error names the source and the row
// ("source 'v', row with seller_id = 7, rowid 12: occurred_at: ..."); a
// view's rows (rowid NULL) are named by seller_id alone.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "../core/engine.hpp"
#include "../core/value.hpp"
#include "source_query.hpp"

namespace penalty::glue {

class RowChecker {
public:
    // For rows of `query` (kept by reference) evaluated with `rules`.
    void reset(const SourceQuery& query);

    // Reads and checks the row `cols` as SourceReader::next documents:
    // the event, points and revoked_at into `out`; `anchor` is the
    // seller's anchor_at so far (set from the first row; read only when
    // the ruleset has a cycle track). Throws Error naming the row.
    void check(const ValueView* cols, const Ruleset& rules, std::optional<Time> revocations_until,
               std::optional<Time>& anchor, SourceRow& out);

    [[noreturn]] void row_error(const ValueView* cols, const std::string& what) const;

private:
    std::optional<Time> time_value(const ValueView* cols, int col, const char* name, bool nullable) const;
    std::int32_t lookup_code(const Ruleset& rules, std::string_view code);

    const SourceQuery* query_ = nullptr;
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

}  // namespace penalty::glue
