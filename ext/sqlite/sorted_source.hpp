// sorted_source.hpp — the 'sort' read strategy (read_plan.hpp): the whole
// source read once in storage order (no ORDER BY, no WHERE), each event kept
// as a compact record, sorted in memory, and handed out seller by seller as
// the same SellerBatch the 'stream' strategy reads (source_reader.hpp).
//
// A record is 24 bytes for a source of seller_id, code, occurred_at: the
// seller interned to a 32-bit id, the ruleset's code id, the time as Unix
// seconds, and the rowid (a view: the read sequence) for ties; 48 bytes when
// the source has points or revoked_at. Records are sorted by (seller_id in
// SQLite's BINARY order — NULL, numbers by value, text by bytes, blobs —,
// occurred_at, rowid), the order the stream strategy's query gives, so the
// output rows, their order and every figure are the same. A seller whose
// rows mix INTEGER 5 and REAL 5.0 is one seller, listed with the storage
// class of its first event in (occurred_at, rowid) order, as an index on
// (seller_id, occurred_at) lists it.
//
// Every row is checked as it is read, exactly as the stream strategy checks
// it (RowChecker::check, row_check.hpp). Both strategies name the offending row, but with
// several bad rows the one named first may differ (storage order against
// seller order), as may the row named for an anchor_at that differs within
// a seller. For a view (no rowid), ties keep the order in which each
// strategy's query returns the rows.
//
// Memory: the records stay within the budget (penalty_config
// 'memory_budget'); when they would exceed it they are sorted and written as
// a run to a temporary file (run_file.hpp), and the runs are merged at the
// end, so a source far larger than memory completes. The seller table (one
// key per distinct seller_id) always stays in memory: sellers are far fewer
// than events.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "../core/engine.hpp"
#include "source_reader.hpp"

namespace penalty::glue {

class SortedSource {
public:
    SortedSource();
    ~SortedSource();
    SortedSource(const SortedSource&) = delete;
    SortedSource& operator=(const SortedSource&) = delete;

    // Reads and checks every row of `source` (codes resolved in `rules`,
    // revocations at or before `revocations_until` applied, as
    // SourceReader::next does) and sorts. Throws Error / SqliteError.
    // With `workers` > 0 the rows are checked and made records on a worker
    // thread while the next rows are read (worker_pool.hpp), with the same
    // records and the same first error.
    void start(sqlite3* db, std::string_view source, const Ruleset& rules, std::optional<Time> revocations_until,
               std::int64_t memory_budget, unsigned workers, const SourceQuery* known = nullptr);

    // The next seller's events; false at the end (memory is released then).
    bool next(SellerBatch& out);

    // Sorted runs written to the temporary file by the last start (0: all
    // in memory).
    std::size_t runs() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace penalty::glue
