// The parallel read (docs/reference.md, "Parallel reads";
// ext/sqlite/read/parallel_read.hpp), through the C API:
//   - on every index configuration, with threads 2 and 3, under 'auto' and
//     'sort' (a covering index streams under 'auto', on one connection),
//     penalty_standings and penalty_ledger give the rows of one
//     connection (threads = 1, stream), every column, in order: mixed
//     INTEGER / REAL / TEXT seller ids, ties at one instant, revoked rows,
//     per-case points;
//   - every fallback, asserted through penalty_read_plan's exact line: a
//     view, a WITHOUT ROWID table, the temp database, an in-memory one,
//     another VFS, nolock=1, WAL, locking_mode exclusive, a transaction that
//     has written (whose own rows are read), memory_budget; and none at all
//     for threads = 1 or a small table;
//   - a second process committing in a loop never changes an answer
//     (rollback journal: parallel; WAL: one connection);
//   - a bad row gives the error of one connection; an interrupt from the
//     progress handler stops the read and the connection answers next.
// The PENALTY_TSAN build runs this under ThreadSanitizer (./run.sh test).
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "db.hpp"
#include "source.hpp"
#include "penalty.h"

using capi::configure;
using capi::Db;
using capi::kLedger;
using capi::kStandings;
using capi::make_source;
using capi::rows_of;

namespace {

const char* const kPath = "capi_parallel.db";

// Under ThreadSanitizer (about ten times slower) one index configuration
// and threads = 2 only.
#if defined(__SANITIZE_THREAD__)
constexpr bool kAll = false;
#else
constexpr bool kAll = true;
#endif

// 68,000 events over 5,000 sellers, with points and revoked_at, and 1 in 50
// rows repeated (the same seller and instant, a later rowid: a tie): 69,360
// rows, above the parallel read's least (65,536 by rowid span).
void make_events(const char* path = kPath, int bad_at = -1) {
    make_source(path, 68000, 5000, true, bad_at);
    Db db(path);
    db.exec("INSERT INTO events SELECT * FROM events WHERE rowid % 50 = 0");
}

struct Opened {
    Db db;
    explicit Opened(const char* path = kPath) : db(path) {
        REQUIRE(sqlite3_penalty_init(db.db, nullptr, nullptr) == SQLITE_OK);
    }
};

std::string plan(Db& db, const char* source = "events") {
    return db.one(std::string("SELECT penalty_read_plan('") + source + "')");
}

}  // namespace

TEST_CASE("the parallel read gives the rows of one connection on every index configuration") {
    make_events();
    Opened o;
    Db& db = o.db;
    for (const char* index : {"CREATE INDEX covering ON events(seller_id, occurred_at, code, points, revoked_at)", "",
                              "CREATE INDEX pair ON events(seller_id, occurred_at)"}) {
        CAPTURE(index);
        db.exec("DROP INDEX IF EXISTS pair; DROP INDEX IF EXISTS covering");
        if (*index) db.exec(index);
        for (const char* from : {kStandings, kLedger}) {
            CAPTURE(from);
            configure(db, 1, "stream");
            const std::vector<std::string> expected = rows_of(db.db, from);
            REQUIRE(expected.size() == (from == kStandings ? 5000u : 69360u));
            REQUIRE(expected.back().rfind("ERROR", 0) == std::string::npos);
            for (int threads : {2, 3})
                for (const char* strategy : {"auto", "sort"}) {
                    if (threads == 3 && std::string(strategy) == "sort") continue;
                    if (!kAll && threads == 3) continue;
                    CAPTURE(threads);
                    CAPTURE(strategy);
                    configure(db, threads, strategy);
                    // A covering index streams under 'auto', on one connection.
                    const bool streams = std::string(index).find("covering") != std::string::npos &&
                                         std::string(strategy) == "auto";
                    CHECK(plan(db) == (streams ? "stream: \"events\" in index order (covering index \"covering\")"
                                               : "sort: scan \"events\" in rowid ranges on " +
                                                     std::to_string(threads) + " connections (parallel read)"));
                    const std::vector<std::string> got = rows_of(db.db, from);
                    CHECK(got.size() == expected.size());
                    CHECK((got == expected));
                }
        }
        if (!kAll) break;
    }
    std::remove(kPath);
}

TEST_CASE("no parallel read, and no word of it, with threads = 1 or a small table") {
    make_source(kPath, 1000, 100, false);
    Opened o;
    configure(o.db, 2, "auto");
    CHECK(plan(o.db) == "sort: scan \"events\" in storage order (no index gives the order seller_id, occurred_at)");
    o.db.exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 69)"
              "INSERT INTO events SELECT events.* FROM events, n");
    CHECK(plan(o.db) == "sort: scan \"events\" in rowid ranges on 2 connections (parallel read)");
    configure(o.db, 1, "auto");
    CHECK(plan(o.db) == "sort: scan \"events\" in storage order (no index gives the order seller_id, occurred_at)");
    std::remove(kPath);
}

TEST_CASE("each fallback says why in penalty_read_plan, and reads the rows of one connection") {
    make_events();
    Opened o;
    Db& db = o.db;
    configure(db, 1, "stream");
    const std::vector<std::string> expected = rows_of(db.db, kStandings);
    configure(db, 2, "auto");
    const std::string no_index = "sort: scan \"events\" in storage order (no index gives the order seller_id, occurred_at)";

    {  // a view
        db.exec("CREATE VIEW ev AS SELECT * FROM events");
        CHECK(plan(db, "ev") == "sort: scan \"ev\" in storage order (no index gives the order seller_id, occurred_at); "
                                "one connection: a view or a WITHOUT ROWID table has no rowid ranges");
    }
    {  // a WITHOUT ROWID table
        db.exec("CREATE TABLE wr(seller_id, code, occurred_at, k INTEGER PRIMARY KEY) WITHOUT ROWID;"
                "INSERT INTO wr SELECT seller_id, code, occurred_at, rowid FROM events");
        CHECK(plan(db, "wr") == "sort: scan \"wr\" in storage order (no index gives the order seller_id, occurred_at); "
                                "one connection: a view or a WITHOUT ROWID table has no rowid ranges");
    }
    {  // the temp database and an attached in-memory one
        db.exec("CREATE TEMP TABLE te AS SELECT * FROM events;"
                "ATTACH ':memory:' AS mem; CREATE TABLE mem.me AS SELECT * FROM events");
        const std::string why = "one connection: the table is in a temporary or in-memory database";
        CHECK(plan(db, "te") == "sort: scan \"te\" in storage order (no index gives the order seller_id, occurred_at); " + why);
        CHECK(plan(db, "mem.me") ==
              "sort: scan \"mem\".\"me\" in storage order (no index gives the order seller_id, occurred_at); " + why);
        CHECK((rows_of(db.db, "penalty_standings('t', 'mem.me', '2018-06-30')") == expected));
    }
    {  // WAL
        db.exec("PRAGMA journal_mode = WAL");
        CHECK(plan(db) == no_index + "; one connection: a WAL database (a writer may commit between two connections' "
                                     "reads, and this SQLite has no snapshot API to share one)");
        CHECK((rows_of(db.db, kStandings) == expected));
        db.exec("PRAGMA journal_mode = DELETE");
    }
    {  // memory_budget
        REQUIRE(db.one("SELECT penalty_config('memory_budget', 3000000)") == "3000000");
        CHECK(plan(db) == no_index + "; one connection: up to 69360 events of 48 bytes exceed memory_budget (3000000)");
        CHECK((rows_of(db.db, kStandings) == expected));
        REQUIRE(db.one("SELECT penalty_config('memory_budget', 4294967296)") == "4294967296");
    }
    {  // a transaction that has written reads its own rows on its connection
        db.exec("BEGIN");
        CHECK(plan(db) == "sort: scan \"events\" in rowid ranges on 2 connections (parallel read)");
        db.exec("INSERT INTO events VALUES('new', 'harassment', 1500000000, NULL, NULL)");
        CHECK(plan(db) == no_index + "; one connection: this transaction has written to the database (other "
                                     "connections would not see it)");
        CHECK(db.one(std::string("SELECT count(*) FROM ") + kLedger) == "69361");
        CHECK(db.one(std::string("SELECT points FROM ") + kLedger + " WHERE seller_id = 'new'") == "12");
        db.exec("ROLLBACK");
        CHECK(db.one(std::string("SELECT count(*) FROM ") + kLedger) == "69360");
    }
    {  // locking_mode exclusive (last: the connection keeps its lock)
        db.exec("PRAGMA locking_mode = EXCLUSIVE");
        CHECK(plan(db) == no_index + "; one connection: locking_mode is exclusive");
        CHECK((rows_of(db.db, kStandings) == expected));
    }
    std::remove(kPath);
}

TEST_CASE("a database opened with nolock=1 or on another VFS reads on one connection") {
    make_events();
    const std::string no_index = "sort: scan \"events\" in storage order (no index gives the order seller_id, occurred_at)";
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open_v2((std::string("file:") + kPath + "?nolock=1").c_str(), &db,
                                SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_penalty_init(db, nullptr, nullptr) == SQLITE_OK);
        Db view;  // for one(): borrows the handle
        std::swap(view.db, db);
        sqlite3_close(db);
        CHECK(plan(view) ==
              no_index + "; one connection: the database was opened with nolock=1 (no read lock holds writers off)");
    }
    {
        // The default VFS under another name: a VFS the extension cannot
        // know another connection may open the same way.
        static sqlite3_vfs other = *sqlite3_vfs_find(nullptr);
        other.zName = "capi-other";
        REQUIRE(sqlite3_vfs_register(&other, 0) == SQLITE_OK);
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open_v2(kPath, &db, SQLITE_OPEN_READWRITE, "capi-other") == SQLITE_OK);
        REQUIRE(sqlite3_penalty_init(db, nullptr, nullptr) == SQLITE_OK);
        Db view;
        std::swap(view.db, db);
        sqlite3_close(db);
        CHECK(plan(view) ==
              no_index + "; one connection: the database is on the VFS 'capi-other', not the default 'unix'");
        CHECK(view.one(std::string("SELECT count(*) FROM ") + kLedger) == "69360");
        sqlite3_close(view.db);
        view.db = nullptr;
        sqlite3_vfs_unregister(&other);
    }
    std::remove(kPath);
}

namespace {

// A child process that, until `stop_path` exists (at most 20 s), moves one
// of the K rows of seller 'w' per transaction: deletes the one with the
// smallest rowid and inserts another at the end of the table. Every
// snapshot has exactly K rows of 'w'; a read that mixed two snapshots
// would see K - 1 or K + 1. Exits with the number of commits (at most 255).
pid_t start_writer(const char* stop_path) {
    const pid_t pid = fork();
    if (pid != 0) return pid;
    sqlite3* db = nullptr;
    int commits = 0;
    if (sqlite3_open(kPath, &db) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 10000);
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (access(stop_path, F_OK) != 0 && std::chrono::steady_clock::now() < end) {
            const int rc = sqlite3_exec(db,
                                        "BEGIN IMMEDIATE;"
                                        "DELETE FROM events WHERE rowid = (SELECT min(rowid) FROM events WHERE seller_id = 'w');"
                                        "INSERT INTO events VALUES('w', 'late', 1500000000, NULL, NULL);"
                                        "COMMIT",
                                        nullptr, nullptr, nullptr);
            if (rc == SQLITE_OK) ++commits;
            else sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
            usleep(2000);
        }
    }
    sqlite3_close(db);
    _exit(commits > 255 ? 255 : commits);
}

}  // namespace

TEST_CASE("a second process committing in a loop never changes an answer") {
    for (const char* mode : {"DELETE", "WAL"}) {
        CAPTURE(mode);
        make_events();
        {
            Db setup(kPath);
            setup.exec(std::string("PRAGMA journal_mode = ") + mode);
            // K = 40 rows of 'w' at the start of the table.
            setup.exec("CREATE TABLE k AS SELECT * FROM events; DELETE FROM events;"
                       "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)"
                       "INSERT INTO events SELECT 'w', 'late', 1500000000, NULL, NULL FROM n;"
                       "INSERT INTO events SELECT * FROM k; DROP TABLE k");
        }
        Opened o;
        sqlite3_busy_timeout(o.db.db, 10000);  // a writer waiting to commit holds new readers off a moment
        configure(o.db, 2, "auto");
        const bool wal = std::string(mode) == "WAL";
        CHECK(plan(o.db).find(wal ? "one connection: a WAL database" : "(parallel read)") != std::string::npos);
        const char* const stop = "capi_parallel.stop";
        std::remove(stop);
        const pid_t writer = start_writer(stop);
        REQUIRE(writer > 0);
        const std::string count = std::string("SELECT sum(seller_id = 'w') FROM ") + kLedger;
        for (int k = 0; k < 12; ++k) CHECK(o.db.one(count) == "40");
        std::FILE* f = std::fopen(stop, "w");
        REQUIRE(f);
        std::fclose(f);
        int status = 0;
        REQUIRE(waitpid(writer, &status, 0) == writer);
        std::remove(stop);
        REQUIRE(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) > 0);  // the writer committed meanwhile
        CHECK(o.db.one(count) == "40");
        std::remove(kPath);
        std::remove((std::string(kPath) + "-wal").c_str());
        std::remove((std::string(kPath) + "-shm").c_str());
    }
}

TEST_CASE("a bad row: the error of one connection") {
    make_events(kPath, 60000);
    Opened o;
    configure(o.db, 1, "sort");
    const std::string one = o.db.one(std::string("SELECT count(*) FROM ") + kLedger);
    REQUIRE(one.rfind("ERROR: penalty_ledger: unknown violation code 'spam' in ruleset 't' at ", 0) == 0);
    configure(o.db, 2, "sort");
    REQUIRE(plan(o.db) == "sort: scan \"events\" in rowid ranges on 2 connections (parallel read)");
    CHECK(o.db.one(std::string("SELECT count(*) FROM ") + kLedger) == one);
    CHECK(o.db.one(std::string("SELECT count(*) FROM ") + kStandings) == "ERROR: penalty_standings" + one.substr(21));
    std::remove(kPath);
}

TEST_CASE("an interrupt stops the parallel read; the connection answers next") {
    make_events();
    Opened o;
    configure(o.db, 2, "auto");
    const std::string count = std::string("SELECT count(*), sum(points) FROM ") + kStandings;
    const std::string expected = o.db.one(count);
    REQUIRE(expected.rfind("ERROR", 0) == std::string::npos);
    int calls = 0;
    sqlite3_progress_handler(
        o.db.db, 1000, [](void* n) { return ++*static_cast<int*>(n) > 50 ? 1 : 0; }, &calls);
    CHECK(o.db.one(count) == "ERROR: penalty_standings: reading source 'events': interrupted");
    sqlite3_progress_handler(o.db.db, 0, nullptr, nullptr);
    CHECK(o.db.one(count) == expected);
    std::remove(kPath);
}
