// parallel_read.cpp — the parallel read's plan and parts (parallel_read.hpp).
#include "sqlite/read/parallel_read.hpp"

#include <algorithm>
#include <new>
#include <strings.h>

#include <fmt/format.h>

#include "sqlite/base/errors.hpp"
#include "sqlite/base/values.hpp"
#include "sqlite/read/source_table.hpp"

namespace penalty::glue {

namespace {

// The one text value of `sql` on `db` ("" for NULL or no row).
std::string text_of(sqlite3* db, const std::string& sql, std::string_view doing) {
    Statement st;
    check_rc(db, sqlite3_prepare_v3(db, sql.c_str(), -1, 0, st.out(), nullptr), doing);
    const int rc = sqlite3_step(st.get());
    check_rc(db, rc, doing);
    if (rc != SQLITE_ROW || sqlite3_column_type(st.get(), 0) == SQLITE_NULL) return "";
    const unsigned char* t = sqlite3_column_text(st.get(), 0);
    if (!t) throw std::bad_alloc();
    return reinterpret_cast<const char*>(t);
}

// The smallest and largest rowid of `q`'s table (last < first: empty): two
// subqueries, each one b-tree descent (min and max in one SELECT would
// scan the table).
void rowid_span(sqlite3* db, const SourceQuery& q, ParallelPlan& p) {
    Statement st;
    const std::string doing = fmt::format("reading source {}", q.literal);
    check_rc(db, sqlite3_prepare_v3(db, fmt::format("SELECT (SELECT min(rowid) FROM {0}), (SELECT max(rowid) FROM {0})", q.quoted).c_str(), -1, 0,
                                    st.out(), nullptr),
             doing);
    const int rc = sqlite3_step(st.get());
    check_rc(db, rc, doing);
    p.first = 0;
    p.last = -1;
    if (rc == SQLITE_ROW && sqlite3_column_type(st.get(), 0) == SQLITE_INTEGER) {
        p.first = sqlite3_column_int64(st.get(), 0);
        p.last = sqlite3_column_int64(st.get(), 1);
    }
}

// Whether `q` names a table (not a view: a view answers rowid with NULL).
bool is_table(sqlite3* db, const SourceQuery& q) {
    Statement st;
    const std::string doing = fmt::format("reading source {}", q.literal);
    const std::string sql = fmt::format("SELECT 1 FROM {}.sqlite_master WHERE type = 'table' AND name = ?1 COLLATE NOCASE",
                                        quote_identifier(q.schema));
    check_rc(db, sqlite3_prepare_v3(db, sql.c_str(), -1, 0, st.out(), nullptr), doing);
    check_rc(db, sqlite3_bind_text(st.get(), 1, q.table.c_str(), -1, SQLITE_STATIC), doing);
    const int rc = sqlite3_step(st.get());
    check_rc(db, rc, doing);
    return rc == SQLITE_ROW;
}

}  // namespace

ParallelPlan plan_parallel_read(sqlite3* db, const SourceQuery& q, const Settings& s) {
    ParallelPlan p;
    if (s.threads <= 1 || !s.parallel_read) return p;
    auto alone = [&](const std::string& why) {
        p.why_not = "one connection: " + why;
        return p;
    };
    if (!q.has_rowid || !is_table(db, q)) return alone("a view or a WITHOUT ROWID table has no rowid ranges");
    // A small table reads on one connection without a word: nothing would gain.
    rowid_span(db, q, p);
    // The span counts rowids, an upper bound of the rows (compared as
    // unsigned: it may exceed INT64_MAX).
    const std::uint64_t span =
        p.last < p.first ? 0 : static_cast<std::uint64_t>(p.last) - static_cast<std::uint64_t>(p.first) + 1;
    if (span < static_cast<std::uint64_t>(ParallelPlan::kMinRows)) return p;
    const char* file = sqlite3_db_filename(db, q.schema.c_str());
    if (strcasecmp(q.schema.c_str(), "temp") == 0 || !file || !*file)
        return alone("the table is in a temporary or in-memory database");
    sqlite3_vfs* vfs = nullptr;
    if (sqlite3_file_control(db, q.schema.c_str(), SQLITE_FCNTL_VFS_POINTER, &vfs) != SQLITE_OK || !vfs)
        return alone("the database's VFS is unknown");
    const sqlite3_vfs* standard = sqlite3_vfs_find(nullptr);
    if (vfs != standard)
        return alone(fmt::format("the database is on the VFS '{}', not the default '{}'", vfs->zName,
                                 standard ? standard->zName : ""));
    if (sqlite3_uri_boolean(file, "nolock", 0))
        return alone("the database was opened with nolock=1 (no read lock holds writers off)");
    const std::string schema = quote_identifier(q.schema);
    const std::string doing = fmt::format("reading source {}", q.literal);
    if (strcasecmp(text_of(db, fmt::format("PRAGMA {}.journal_mode", schema), doing).c_str(), "wal") == 0)
        return alone("a WAL database (a writer may commit between two connections' reads, and this SQLite has no "
                     "snapshot API to share one)");
    if (strcasecmp(text_of(db, fmt::format("PRAGMA {}.locking_mode", schema), doing).c_str(), "exclusive") == 0)
        return alone("locking_mode is exclusive");
    if (sqlite3_txn_state(db, q.schema.c_str()) == SQLITE_TXN_WRITE)
        return alone("this transaction has written to the database (other connections would not see it)");
    const std::uint64_t record = q.points_col >= 0 || q.revoked_col >= 0 ? 48 : 24;
    if (span > static_cast<std::uint64_t>(s.memory_budget) / record)
        return alone(fmt::format("up to {} events of {} bytes exceed memory_budget ({})", span, record,
                                 s.memory_budget));
    p.file = file;
    p.vfs = vfs->zName;
    p.readers = static_cast<unsigned>(s.threads);
    return p;
}

// One reader's rows: a statement over a rowid range on its connection.
class ParallelSource::Reader final : public RowSource {
public:
    sqlite3* db = nullptr;  // the caller's for reader 0, else its own
    bool failed = false;    // its connection did not open
    Statement st;
    int columns = 3;
    const std::string* doing = nullptr;
    bool done = true;

    void start(std::int64_t lo, std::int64_t hi) {
        check_rc(db, sqlite3_reset(st.get()), *doing);
        check_rc(db, sqlite3_bind_int64(st.get(), 1, lo), *doing);
        check_rc(db, sqlite3_bind_int64(st.get(), 2, hi), *doing);
        done = false;
    }
    bool step() override {
        if (done) return false;
        const int rc = sqlite3_step(st.get());
        if (rc == SQLITE_ROW) return true;
        done = true;
        check_rc(db, rc, *doing);
        return false;
    }
    void row(ValueView* cols) const override { column_views(st.get(), columns, cols); }
};

ParallelSource::ParallelSource(sqlite3* db, const SourceQuery& q, const Settings& s)
    : db_(db), q_(q), doing_(fmt::format("reading source {}", q.literal)) {
    // The read lock first (sqlite_master is never empty here: it holds the
    // table), then the plan: so nothing changes between the two.
    check_rc(db, sqlite3_prepare_v3(db, fmt::format("SELECT 1 FROM {}.sqlite_master", quote_identifier(q.schema)).c_str(),
                                    -1, 0, hold_.out(), nullptr),
             doing_);
    check_rc(db, sqlite3_step(hold_.get()), doing_);
    plan_ = plan_parallel_read(db, q, s);
    if (plan_.readers <= 1) return;
    const std::uint64_t span = static_cast<std::uint64_t>(plan_.last) - static_cast<std::uint64_t>(plan_.first) + 1;
    // Parts of at least 16,384 rowids, at most 4,096 of them: small enough
    // that the readers end together and an interrupt is seen soon.
    step_ = static_cast<std::int64_t>(std::max<std::uint64_t>(16384, (span + 4095) / 4096));
    parts_ = static_cast<std::size_t>((span + static_cast<std::uint64_t>(step_) - 1) / static_cast<std::uint64_t>(step_));
    for (unsigned r = 0; r < plan_.readers; ++r) {
        readers_.push_back(std::make_unique<Reader>());
        readers_.back()->columns = q.columns;
        readers_.back()->doing = &doing_;
    }
    readers_[0]->db = db;
    check_rc(db,
             sqlite3_prepare_v3(db,
                                fmt::format("SELECT {} FROM {} WHERE rowid BETWEEN ?1 AND ?2", q.select_list, q.quoted)
                                    .c_str(),
                                -1, 0, readers_[0]->st.out(), nullptr),
             doing_);
}

ParallelSource::~ParallelSource() {
    const std::lock_guard<std::mutex> lock(mutex_);
    for (std::size_t r = 1; r < readers_.size(); ++r) {
        Reader& reader = *readers_[r];
        reader.st.reset();
        if (reader.db) sqlite3_close_v2(reader.db);  // its read transaction ends with it
        reader.db = nullptr;
    }
}

RowSource* ParallelSource::part(unsigned reader, std::size_t part) {
    if (reader >= readers_.size()) return nullptr;
    Reader& r = *readers_[reader];
    if (!r.db && (r.failed || !open(r))) return nullptr;
    const std::int64_t lo = plan_.first + static_cast<std::int64_t>(part) * step_;
    const std::int64_t hi = plan_.last - lo < step_ ? plan_.last : lo + step_ - 1;
    r.start(lo, hi);
    return &r;
}

// Opens a reader's connection, read-only on the same file and VFS, and
// begins reading (its read lock, taken while the caller's is held, makes
// its snapshot the caller's); false when any step fails.
bool ParallelSource::open(Reader& r) noexcept {
    r.failed = true;
    if (cancelled_) return false;
    sqlite3* c = nullptr;
    if (sqlite3_open_v2(plan_.file.c_str(), &c, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, plan_.vfs.c_str()) !=
        SQLITE_OK) {
        sqlite3_close_v2(c);
        return false;
    }
    bool ok = sqlite3_exec(c, "BEGIN", nullptr, nullptr, nullptr) == SQLITE_OK;
    if (ok) {
        Statement first;
        ok = sqlite3_prepare_v3(c, "SELECT 1 FROM sqlite_master", -1, 0, first.out(), nullptr) == SQLITE_OK &&
             sqlite3_step(first.get()) == SQLITE_ROW;
    }
    if (ok) {
        try {
            const std::string sql = fmt::format("SELECT {} FROM \"main\".{} WHERE rowid BETWEEN ?1 AND ?2",
                                                q_.select_list, quote_identifier(q_.table));
            ok = sqlite3_prepare_v3(c, sql.c_str(), -1, 0, r.st.out(), nullptr) == SQLITE_OK;
        } catch (...) {
            ok = false;
        }
    }
    const std::lock_guard<std::mutex> lock(mutex_);
    if (!ok || cancelled_) {
        r.st.reset();
        sqlite3_close_v2(c);
        return false;
    }
    r.db = c;
    r.failed = false;
    return true;
}

void ParallelSource::cancel() noexcept {
    cancelled_ = true;
    const std::lock_guard<std::mutex> lock(mutex_);
    for (std::size_t r = 1; r < readers_.size(); ++r)
        if (readers_[r]->db) sqlite3_interrupt(readers_[r]->db);
}

}  // namespace penalty::glue
