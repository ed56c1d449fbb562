// event_sort.hpp — the 'sort' read strategy's core (docs/reference.md,
// "Reading a whole source"): every row of a source read once in storage
// order, checked (RowChecker), kept as a compact record
// (core/record_store.hpp), sorted by (seller_id in SQLite's BINARY order,
// occurred_at, rowid) and handed out seller by seller as the same
// SellerBatch the stream strategy reads, so every figure and the row order
// are the same. Records beyond the memory budget are sorted into runs in a
// temporary file (core/run_file.hpp) and merged.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "core/row_check.hpp"
#include "core/seller_batch.hpp"
#include "core/worker_pool.hpp"

namespace penalty {

// Rows to read: SQLite's for the glue (sqlite/read/source_reader.hpp), a
// vector in the unit tests.
class RowSource {
public:
    // Moves to the next row; false at the end.
    virtual bool step() = 0;
    // The current row's values in RowShape column order, valid until the
    // next step.
    virtual void row(ValueView* cols) const = 0;

protected:
    ~RowSource() = default;
};

class EventSorter {
public:
    EventSorter();
    ~EventSorter();
    EventSorter(const EventSorter&) = delete;
    EventSorter& operator=(const EventSorter&) = delete;

    // Reads and checks every row of `rows` (shaped `shape`; codes resolved
    // in `rules`, revocations at or before `revocations_until` applied, as
    // RowChecker::check does) and sorts, keeping at most `memory_budget`
    // bytes of records in memory. With a worker in `pool` the rows are
    // checked and made records on it while the next rows are read, with the
    // same records and the same first error. Throws Error, or what `rows`
    // throws. `rows`, `shape` and `rules` must outlive the reading.
    void read(RowSource& rows, const RowShape& shape, const Ruleset& rules, std::optional<Time> revocations_until,
              std::int64_t memory_budget, WorkerPool* pool);

    // The next seller's events; false at the end (memory is released then).
    bool next(SellerBatch& out);

    // Sorted runs spilled to the temporary file by the last read (0: all in
    // memory).
    std::size_t runs() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace penalty
