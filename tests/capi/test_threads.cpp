// Worker threads (penalty_config 'threads'): through the C API, every
// threads setting (1, 2, 3) and read strategy (stream, sort, sort with the
// smallest memory_budget, so runs spill to a file) gives the rows of one
// thread: penalty_standings and penalty_ledger, every column (quote()), in
// order. Also: a statement stopped mid-scan (reset, finalize) with chunks in
// flight, two connections on two threads at once, a bad row deep in the
// source (past the first blocks of rows and chunks of sellers), and
// a source of 65,536+ records, whose sort is split between two threads,
// and threads = 1 after threads = 2 in one cursor (no worker left over).
// With links (cluster_scan.hpp): every threads setting and read strategy
// gives the rows of one thread, and a bad row the error without links.
// The PENALTY_TSAN build runs this under ThreadSanitizer
// (./run.sh test; README.md, "Tests").
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "db.hpp"
#include "source.hpp"
#include "penalty.h"

using capi::bind_seller;
using capi::check_settings;
using capi::configure;
using capi::Db;
using capi::kLedger;
using capi::kStandings;
using capi::make_source;
using capi::rows_of;

namespace {

const char* const kPath = "capi_threads.db";
const char* const kBigPath = "capi_threads_big.db";


struct Source {
    Source() { make_source(kPath, 30000, 2500, true); }
    ~Source() { std::remove(kPath); }
};

}  // namespace

TEST_CASE("every threads setting and read strategy gives the rows of threads = 1, stream") {
    Source source;
    Db db(kPath);
    REQUIRE(sqlite3_penalty_init(db.db, nullptr, nullptr) == SQLITE_OK);
    for (const std::string from : {kStandings, kLedger}) {
        CAPTURE(from);
        configure(db, 1, "stream");
        const std::vector<std::string> expected = rows_of(db.db, from);
        REQUIRE(expected.size() == (from == kStandings ? 2500u : 30000u));
        REQUIRE(expected.back().rfind("ERROR", 0) == std::string::npos);
        check_settings(db, from, expected, {1, 2, 3}, {"stream", "sort", "sort64k"});
    }
}

TEST_CASE("a standings statement stopped after 10 rows with chunks in flight, then run again") {
    Source source;
    Db db(kPath);
    REQUIRE(sqlite3_penalty_init(db.db, nullptr, nullptr) == SQLITE_OK);
    configure(db, 1, "stream");
    const std::vector<std::string> expected = rows_of(db.db, kStandings);
    for (const std::string strategy : {"stream", "sort"}) {
        CAPTURE(strategy);
        configure(db, 2, strategy);
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(db.db, (std::string("SELECT quote(seller_id), points FROM ") + kStandings).c_str(),
                                   -1, &st, nullptr) == SQLITE_OK);
        for (int round = 0; round < 3; ++round) {
            for (int k = 0; k < 10; ++k) REQUIRE(sqlite3_step(st) == SQLITE_ROW);
            CHECK(sqlite3_reset(st) == SQLITE_OK);  // stops the pipeline mid-scan
        }
        // Run to the end after the resets: every row, in order.
        std::size_t n = 0;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const std::string id = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
            REQUIRE(n < expected.size());
            CHECK(expected[n].rfind(id + "|", 0) == 0);
            ++n;
        }
        CHECK(rc == SQLITE_DONE);
        CHECK(n == expected.size());
        // Finalized mid-scan: the cursor is closed with chunks in flight.
        CHECK(sqlite3_reset(st) == SQLITE_OK);
        for (int k = 0; k < 10; ++k) REQUIRE(sqlite3_step(st) == SQLITE_ROW);
        CHECK(sqlite3_finalize(st) == SQLITE_OK);
        CHECK((rows_of(db.db, kStandings) == expected));  // the connection works on
    }
}

TEST_CASE("two connections, each on its own thread, with worker threads at once") {
    Source source;
    std::vector<std::string> expected_standings, expected_ledger;
    {
        Db db(kPath);
        REQUIRE(sqlite3_penalty_init(db.db, nullptr, nullptr) == SQLITE_OK);
        configure(db, 1, "stream");
        expected_standings = rows_of(db.db, kStandings);
        expected_ledger = rows_of(db.db, kLedger);
    }
    // Each thread keeps its rows; the checks are made on this thread.
    struct Got {
        std::vector<std::string> standings, ledger;
    };
    std::vector<Got> got(2);
    auto run = [&](int k, const char* strategy) {
        sqlite3* db = nullptr;
        const std::string set = std::string("SELECT penalty_config('threads', 2), penalty_config('read_strategy', '") +
                                strategy + "')";
        if (sqlite3_open(kPath, &db) != SQLITE_OK || sqlite3_penalty_init(db, nullptr, nullptr) != SQLITE_OK ||
            sqlite3_exec(db, set.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
            got[static_cast<std::size_t>(k)].standings = {std::string("ERROR: set-up: ") + sqlite3_errmsg(db)};
            sqlite3_close(db);
            return;
        }
        got[static_cast<std::size_t>(k)].standings = rows_of(db, kStandings);
        got[static_cast<std::size_t>(k)].ledger = rows_of(db, kLedger);
        sqlite3_close(db);
    };
    std::thread a(run, 0, "sort"), b(run, 1, "stream");
    a.join();
    b.join();
    for (const Got& g : got) {
        CHECK((g.standings == expected_standings));
        CHECK((g.ledger == expected_ledger));
    }
}

TEST_CASE("a bad row deep in the source: the same rows before it and the same error with 1 and 2 threads") {
    // The bad row is inserted 20,000th of 30,000 (storage order, read by the
    // sort strategy in its 10th block of 2,048 rows) and belongs to a seller
    // in the middle of seller order (read by stream after ~1,800 sellers,
    // past the first chunks of 256 sellers).
    std::remove(kPath);
    make_source(kPath, 30000, 2500, true, 20000);
    Db db(kPath);
    REQUIRE(sqlite3_penalty_init(db.db, nullptr, nullptr) == SQLITE_OK);
    const std::string bad = db.one("SELECT quote(seller_id) || ', rowid ' || rowid FROM events WHERE code = 'spam'");
    for (const char* from : {kStandings, kLedger}) {
        const std::string fn = std::string(from).substr(0, std::string(from).find('('));
        const std::string error = "ERROR: " + fn + ": unknown violation code 'spam' in ruleset 't' at " +
                                  db.one("SELECT datetime(occurred_at, 'unixepoch') FROM events WHERE code = 'spam'");
        for (const std::string strategy : {"stream", "sort"}) {
            CAPTURE(fn);
            CAPTURE(strategy);
            configure(db, 1, strategy);
            const std::vector<std::string> one = rows_of(db.db, from);
            REQUIRE(!one.empty());
            INFO("bad row: seller_id = " << bad << "; error: " << one.back());
            CHECK(one.back() == error);
            if (strategy == "stream") CHECK(one.size() > 1000);  // rows before the error (~1,800)
            else CHECK(one.size() == 1);  // sort reads every row before the first
            configure(db, 2, strategy);
            CHECK((rows_of(db.db, from) == one));
        }
    }
    std::remove(kPath);
}

TEST_CASE("a source of 65,536 records and more: the sort split between two threads") {
    // 70,000 events without points and revoked_at: the records of one
    // buffer (24 bytes each) are sorted by two threads (Store::sort_by).
    make_source(kBigPath, 70000, 3000, false);
    Db db(kBigPath);
    REQUIRE(sqlite3_penalty_init(db.db, nullptr, nullptr) == SQLITE_OK);
    configure(db, 1, "stream");
    const std::vector<std::string> expected = rows_of(db.db, kStandings);
    REQUIRE(expected.size() == 3000);
    for (int threads : {1, 2, 3}) {
        CAPTURE(threads);
        configure(db, threads, "sort");
        CHECK((rows_of(db.db, kStandings) == expected));
    }
    std::remove(kBigPath);
}

namespace {

// A links table over the sellers of make_source (0 .. sellers - 1, mixed
// storage classes) and `extra` sellers only in links: `rows` rows, entities
// from 300 (INTEGER or TEXT; 1 in 20 NULL), so that clusters of
// all sizes form. Also the ruleset 'tc': 't' with prior_scope 'cluster',
// link_closes, and 12 general points closing (closures are rare in 't').
void add_links(const char* path, int sellers, int extra, int rows) {
    Db db(path);
    REQUIRE(sqlite3_penalty_init(db.db, nullptr, nullptr) == SQLITE_OK);
    db.exec("INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days, description, prior_scope, link_closes)"
            " VALUES('tc', '+08:00', 365, NULL, 'cluster', 1);"
            "INSERT INTO penalty_track(ruleset, track, period, period_days)"
            " SELECT 'tc', track, period, period_days FROM penalty_track WHERE ruleset = 't';"
            "INSERT INTO penalty_violation(ruleset, code, track, points)"
            " SELECT 'tc', code, track, points FROM penalty_violation WHERE ruleset = 't';"
            "INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, closes)"
            " SELECT 'tc', track, points, iif(points = 12, 'close', sanction), iif(points = 12, NULL, days),"
            " iif(points = 12, 1, closes) FROM penalty_threshold WHERE ruleset = 't';"
            "CREATE TABLE links(seller_id, entity); BEGIN");
    std::mt19937_64 rng(20261208);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db.db, "INSERT INTO links VALUES(?1, ?2)", -1, &st, nullptr) == SQLITE_OK);
    for (int k = 0; k < rows; ++k) {
        const int seller = static_cast<int>(rng() % static_cast<std::uint64_t>(sellers + extra));
        bind_seller(st, 1, seller, rng() % 3 == 0);
        const int entity = static_cast<int>(rng() % 300);
        if (rng() % 20 == 0) sqlite3_bind_null(st, 2);
        else if (entity % 2) sqlite3_bind_int(st, 2, entity);
        else sqlite3_bind_text(st, 2, ("e" + std::to_string(entity)).c_str(), -1, SQLITE_TRANSIENT);
        REQUIRE(sqlite3_step(st) == SQLITE_DONE);
        REQUIRE(sqlite3_reset(st) == SQLITE_OK);
    }
    sqlite3_finalize(st);
    db.exec("COMMIT");
}

}  // namespace

TEST_CASE("with links: every threads setting and read strategy gives the rows of threads = 1, stream") {
    Source source;
    add_links(kPath, 2500, 300, 1800);
    Db db(kPath);
    REQUIRE(sqlite3_penalty_init(db.db, nullptr, nullptr) == SQLITE_OK);
    // Every seller of events or of a links row with an entity, once.
    const std::size_t sellers = std::stoul(db.one(
        "SELECT count(*) FROM (SELECT seller_id FROM events UNION SELECT seller_id FROM links WHERE entity IS NOT NULL)"));
    REQUIRE(sellers > 2600);
    const char* const tables[] = {
        "penalty_standings('t', 'events', '2018-12-31', 'links')",
        "penalty_standings('tc', 'events', '2018-12-31', 'links')",
        "penalty_ledger('tc', 'events', NULL, 'links')",
        "penalty_ledger('t', 'events', '2017-06-30', 'links')",
    };
    for (const std::string from : tables) {
        CAPTURE(from);
        configure(db, 1, "stream");
        const std::vector<std::string> expected = rows_of(db.db, from);
        REQUIRE(!expected.empty());
        REQUIRE(expected.back().rfind("ERROR", 0) == std::string::npos);
        if (from.starts_with("penalty_standings")) {
            CHECK(expected.size() == sellers);
            // Closures through links, and the seller order of SQLite.
            const std::string where = " FROM " + from + " WHERE linked_closure_at IS NOT NULL";
            INFO("closures: " << db.one("SELECT count(closure_at) || ' ' || count(linked_closure_at) FROM " + from));
            if (from.find("'tc'") != std::string::npos) {  // link_closes
                CHECK(std::stoi(db.one("SELECT count(*)" + where)) > 10);
                CHECK(std::stoi(db.one("SELECT count(*)" + where + " AND closure_at = linked_closure_at")) > 10);
            }
            // (A whole REAL as INTEGER: UNION keeps either spelling of a seller.)
            const std::string id = "quote(iif(typeof(s) = 'real' AND s = CAST(s AS INTEGER), CAST(s AS INTEGER), s))";
            CHECK(db.one("SELECT group_concat(" + id + ", '|') FROM (SELECT seller_id AS s FROM " + from + ")") ==
                  db.one("SELECT group_concat(" + id + ", '|') FROM (SELECT seller_id AS s FROM events UNION"
                         " SELECT seller_id FROM links WHERE entity IS NOT NULL ORDER BY 1)"));
        } else if (from.find("NULL") != std::string::npos) {
            CHECK(expected.size() == 30000);
        }
        check_settings(db, from, expected, {1, 2, 4}, {"stream", "sort", "auto", "sort64k", "auto64k"});
    }
}

TEST_CASE("with links, a bad row deep in the source: the error of the source read without links") {
    std::remove(kPath);
    make_source(kPath, 30000, 2500, true, 20000);
    add_links(kPath, 2500, 300, 1800);
    Db db(kPath);
    REQUIRE(sqlite3_penalty_init(db.db, nullptr, nullptr) == SQLITE_OK);
    for (const std::string from : {kStandings, kLedger}) {
        const std::string linked = from.substr(0, from.size() - 1) + ", 'links')";
        const std::string table = from.rfind("penalty_ledger", 0) == 0 ? "penalty_ledger('t', 'events', NULL, 'links')"
                                                                       : linked;
        for (const std::string strategy : {"stream", "sort", "sort64k"})
            for (int threads : {1, 2}) {
                CAPTURE(table);
                CAPTURE(strategy);
                CAPTURE(threads);
                configure(db, threads, strategy);
                const std::vector<std::string> without = rows_of(db.db, from);
                const std::vector<std::string> with = rows_of(db.db, table);
                REQUIRE(without.back().rfind("ERROR: ", 0) == 0);
                CHECK(with.size() == 1);  // every row is computed before the first is handed out
                CHECK(with.back() == without.back());
            }
    }
    std::remove(kPath);
}

#ifdef __linux__
namespace {
// The threads of this process now (its /proc/self/task entries).
int task_count() {
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator("/proc/self/task")) n += e.is_directory() ? 1 : 0;
    return n;
}
}  // namespace

TEST_CASE("threads = 1 after threads = 2 in one cursor: no worker thread is left to sort") {
    // The inner side of a join is filtered again for each outer row, in one
    // cursor, which keeps the sort strategy's worker pool between the two;
    // the outer rows set threads 2, then 1. With threads = 1 the sort must
    // not be split onto the worker the run before started (70,000
    // records: a split sort). tasks() counts the threads of this process.
    make_source(kBigPath, 70000, 3000, false);
    Db db(kBigPath);
    REQUIRE(sqlite3_penalty_init(db.db, nullptr, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_create_function(db.db, "tasks", 0, SQLITE_UTF8, nullptr,
                                    [](sqlite3_context* ctx, int, sqlite3_value**) {
                                        sqlite3_result_int(ctx, task_count());
                                    },
                                    nullptr, nullptr) == SQLITE_OK);
    const int idle = task_count();  // this thread (and a sanitizer's own, if any)
    configure(db, 1, "sort");
    for (const std::string from : {kStandings, kLedger}) {
        CAPTURE(from);
        const std::string sql = "SELECT v.n, tasks() FROM (SELECT column1 AS n FROM (VALUES(2),(1))) AS v CROSS JOIN " +
                                from + " AS s WHERE penalty_config('threads', v.n) = v.n";
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(db.db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
        int rows[3] = {0, 0, 0}, most[3] = {0, 0, 0};  // by threads: rows, most threads seen on one
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const int n = sqlite3_column_int(st, 0);
            REQUIRE((n == 1 || n == 2));
            ++rows[n];
            most[n] = std::max(most[n], sqlite3_column_int(st, 1));
        }
        CHECK(rc == SQLITE_DONE);
        CHECK(sqlite3_finalize(st) == SQLITE_OK);
        CHECK(rows[1] == rows[2]);
        CHECK(rows[1] >= 3000);
        CHECK(most[2] > idle);   // the workers of threads = 2
        CHECK(most[1] == idle);  // none with threads = 1
    }
    std::remove(kBigPath);
}
#endif
