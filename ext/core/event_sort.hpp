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
#include <functional>
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

// A rowid table read in parts by several readers at once, each on its own
// thread: the parallel read (sqlite/read/parallel_read.hpp). Reader 0 is
// the caller's connection; the others are connections of the same snapshot.
class PartedSource {
public:
    virtual std::size_t parts() const = 0;
    // Reader `reader`'s rows of part `part`, called on that reader's
    // thread; null when the reader cannot read (its connection did not
    // open: its parts go to reader 0, which never answers null).
    virtual RowSource* part(unsigned reader, std::size_t part) = 0;
    // Makes every reader but 0 fail soon (from any thread).
    virtual void cancel() noexcept = 0;

protected:
    ~PartedSource() = default;
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
    // `poll`, when given, is called on this thread every couple of
    // milliseconds of the in-memory sort and throws to stop it (an
    // interrupted query: core/stop_check.hpp).
    void read(RowSource& rows, const RowShape& shape, const Ruleset& rules, std::optional<Time> revocations_until,
              std::int64_t memory_budget, WorkerPool* pool, const std::function<void()>& poll = {});

    // The same from the parts of `parts`: reader 0 here, reader k on a
    // worker of `pool` (one a worker), each making its own records from the
    // parts it takes, merged at the end. The records, and so every figure
    // and row, are those of read(). Returns false when the read must be
    // made again with read() on the caller's connection alone: a bad row
    // (read() names the first in storage order), or a reader other than
    // 0 that failed. Throws what reader 0's rows throw (then the other
    // readers are cancelled), and std::bad_alloc. Every job has ended when
    // it returns or throws.
    bool read_parallel(PartedSource& parts, const RowShape& shape, const Ruleset& rules,
                       std::optional<Time> revocations_until, std::int64_t memory_budget, WorkerPool& pool,
                       const std::function<void()>& poll = {});

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
