// parallel_read.hpp — the parallel read (docs/reference.md, "Parallel
// reads"): the sort strategy reading a rowid table of a database file over
// several connections at once, one a thread, each taking rowid ranges
// ("parts") in turn, as the table's records (core/event_sort.hpp,
// EventSorter::read_parallel).
//
// The answer is the caller's connection's, because every connection reads
// the caller's snapshot: the caller's connection holds its read lock on
// the file (a statement stepped on it, kept until the read ends) before any
// other connection begins to read, and in a rollback-journal database no
// writer can commit while a read lock is held. So the read goes parallel
// only where that proof holds (plan_parallel_read), and reads on the
// caller's connection alone otherwise, saying why in penalty_read_plan:
//   - a view or a WITHOUT ROWID table (no rowid ranges);
//   - the temp database, an in-memory one, or a file on a VFS other than
//     the default (another connection might not open it the same way);
//   - a WAL database (a writer may commit between two connections' reads;
//     Debian's SQLite has no snapshot API to share one);
//   - locking_mode exclusive (no other connection can read);
//   - a transaction that has written to the database (others would not
//     see its rows);
//   - more records than memory_budget (the parallel read does not spill).
// A table under kMinRows rows (by its rowid span), threads = 1 or
// parallel_read = 0 reads on one connection without a word. A connection that cannot open or begin
// reading (a writer waiting to commit holds the lock, an encrypted file)
// reads nothing: the caller's connection reads its parts.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/event_sort.hpp"
#include "core/settings.hpp"
#include "sqlite/base/sqlite_api.hpp"
#include "sqlite/base/statement.hpp"
#include "sqlite/read/source_query.hpp"

namespace penalty::glue {

struct ParallelPlan {
    static constexpr std::int64_t kMinRows = 65536;  // by rowid span
    unsigned readers = 1;   // connections: above 1, the read is parallel
    std::string why_not;    // with 1: why ("one connection: ..."), or "" when nothing would gain
    std::string file, vfs;  // the database file and its VFS
    std::int64_t first = 0, last = -1;  // the table's smallest and largest rowid
};

// Whether and how to read the whole table of `q` in parallel under `s`
// (threads, memory_budget), as the connection is now. Throws SqliteError.
ParallelPlan plan_parallel_read(sqlite3* db, const SourceQuery& q, const Settings& s);

// The parts of one parallel read. Made on the caller's thread, it first
// takes the caller's read lock on the table's database and then makes the
// plan (so nothing can change between the two); it holds the lock until it
// is destroyed, which closes every other connection (after every reader
// has ended: EventSorter::read_parallel returns only then).
class ParallelSource final : public PartedSource {
public:
    // Throws SqliteError (then nothing is held).
    ParallelSource(sqlite3* db, const SourceQuery& q, const Settings& s);
    const ParallelPlan& plan() const { return plan_; }
    ~ParallelSource();
    ParallelSource(const ParallelSource&) = delete;
    ParallelSource& operator=(const ParallelSource&) = delete;

    std::size_t parts() const override { return parts_; }
    RowSource* part(unsigned reader, std::size_t part) override;
    void cancel() noexcept override;

private:
    class Reader;
    bool open(Reader& r) noexcept;

    sqlite3* db_;
    const SourceQuery& q_;
    ParallelPlan plan_;
    std::string doing_;  // "reading source 'v'", for errors
    Statement hold_;  // stepped on the caller's connection: its read lock
    std::int64_t step_ = 1;  // rowids a part
    std::size_t parts_ = 0;
    std::vector<std::unique_ptr<Reader>> readers_;
    std::mutex mutex_;  // guards the other connections' handles against cancel()
    std::atomic<bool> cancelled_{false};
};

}  // namespace penalty::glue
