// oom.cpp — out-of-memory sweep. Every allocation of SQLite (through
// SQLITE_CONFIG_MALLOC) and of C++ (operator new, replaced below) counts
// down; the Nth one fails. For each query of each function and table, and
// N = 1, 2, 3, ..., a fresh database is prepared (allocator disarmed), the
// query runs with the allocator armed, and it must end in SQLITE_NOMEM or
// in the right answer, never in another error, a crash or a leak
// (LeakSanitizer in the sanitizer build), nor leave a transaction open (nor,
// for penalty_copy_ruleset, part of a copy). N stops growing once a run
// succeeds with no failure.
// PENALTY_OOM_SHOW=1 prints each query's right answer (to check the fixtures).
#include <sqlite3.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "penalty.h"

namespace {

std::atomic<long> g_countdown{-1};  // allocations left before one fails; -1: disarmed
std::atomic<bool> g_failed{false};

bool should_fail() {
    long c = g_countdown.load(std::memory_order_relaxed);
    if (c < 0) return false;
    if (c == 0) {
        g_failed = true;
        return true;  // stays at 0: every later allocation fails too, until disarmed
    }
    g_countdown.store(c - 1, std::memory_order_relaxed);
    return false;
}

sqlite3_mem_methods g_sqlite;
void* x_malloc(int n) { return should_fail() ? nullptr : g_sqlite.xMalloc(n); }
void* x_realloc(void* p, int n) { return should_fail() ? nullptr : g_sqlite.xRealloc(p, n); }
void x_free(void* p) { g_sqlite.xFree(p); }
int x_size(void* p) { return g_sqlite.xSize(p); }
int x_roundup(int n) { return g_sqlite.xRoundup(n); }
int x_init(void* a) { return g_sqlite.xInit(a); }
void x_shutdown(void* a) { g_sqlite.xShutdown(a); }

}  // namespace

void* operator new(std::size_t n) {
    if (should_fail()) throw std::bad_alloc();
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    return should_fail() ? nullptr : std::malloc(n ? n : 1);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

const char* kFixture =
    "SELECT penalty_install();"
    "INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days, description) VALUES('r','+08:00',365,NULL);"
    "INSERT INTO penalty_track(ruleset, track, period, period_days) VALUES('r','serious','year',NULL),('r','roll','rolling',30);"
    "INSERT INTO penalty_violation(ruleset,code,track,points,closes,min_prior) VALUES"
    " ('r','h','serious',12,0,0),('r','s','serious',12,1,0),('r','c','roll',5,0,1);"
    "INSERT INTO penalty_repeat VALUES('r','c',3,9);"
    "INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, closes) VALUES('r','serious',12,'warn',7,0),('r','serious',24,'seal',NULL,1);"
    "INSERT INTO penalty_level VALUES('r',0,'low'),('r',100,'high');"
    "PRAGMA ignore_check_constraints = ON; INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days, description) VALUES('bad','+8',NULL,NULL);"
    "PRAGMA ignore_check_constraints = OFF;"
    "CREATE TABLE v(seller_id, code, occurred_at);"
    "CREATE INDEX v_s ON v(seller_id, occurred_at);"
    "INSERT INTO v VALUES(1,'h','2017-03-01'),(1,'c','2017-03-02'),(1,'c','2017-03-03'),(1,'h','2017-04-01'),"
    " (2,'s','2017-05-01'),(2,'c','2017-05-02 10:00+08:00'),(3,'c',1496275200),(3,'h',1496275200.5);";

// v2 rules (a fixture of its own: each run of the sweep builds its fixture
// afresh, so the queries of kQueries do not pay for these rows).
const char* kFixtureV2 =
    "SELECT penalty_install();"
    // TEXT durations, a carry row, a repeating threshold, a daily
    // cap, merge windows, expiry, a credit code; 'cy' has a cycle track.
    "INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days) VALUES('v','+08:00','1 year'),('cy','+00:00',NULL);"
    "INSERT INTO penalty_track(ruleset, track, period, period_days, daily_cap, merge_days) VALUES"
    " ('v','main','year',NULL,10,NULL),('v','roll','rolling','90 days',NULL,'2 days'),('cy','c','cycle','6 months',NULL,NULL);"
    "INSERT INTO penalty_carry(ruleset, track, min_points, carry) VALUES('v','main',12,6);"
    "INSERT INTO penalty_violation(ruleset, code, track, points, expires_days, merge_days) VALUES"
    " ('v','a','main',6,'6 months',NULL),('v','m','roll',3,NULL,3),('v','cr','main',-2,NULL,NULL),('cy','x','c',4,NULL,NULL);"
    "INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, every) VALUES"
    " ('v','main',12,'warn','1 week',12),('v','roll',6,'hold',3,NULL),('cy','c',8,'lock','30 days',NULL);"
    "CREATE TABLE w(seller_id, code, occurred_at, points, revoked_at, anchor_at);"
    "INSERT INTO w VALUES(1,'a','2016-11-01',NULL,NULL,'2016-01-15'),(1,'a','2016-12-01',NULL,NULL,'2016-01-15'),(1,'a','2017-01-02',8,NULL,'2016-01-15'),"
    " (1,'a','2017-01-02 10:00',NULL,NULL,'2016-01-15'),(1,'cr','2017-02-01',NULL,NULL,'2016-01-15'),"
    " (1,'m','2017-03-01',NULL,NULL,'2016-01-15'),(1,'m','2017-03-02',NULL,NULL,'2016-01-15'),"
    " (1,'a','2017-04-01',NULL,'2017-05-01',NULL),(2,'m','2017-01-01',NULL,NULL,'2016-09-30'),"
    " (2,'m','2017-02-01',5,NULL,'2016-09-30'),(2,'a','2017-08-01',NULL,NULL,'2016-09-30');"
    // v3 (docs/model.md §3b): resets at the start and at the end, an
    // escalating sanction, clean_days and restore_days.
    "INSERT INTO penalty_ruleset(ruleset, repeat_days) VALUES('v3','2 years');"
    "INSERT INTO penalty_track(ruleset, track, period, period_days) VALUES('v3','d','rolling','3 years'),('v3','y','year',NULL);"
    "INSERT INTO penalty_violation(ruleset, code, track, points, clean_days, restore_days) VALUES"
    " ('v3','a','d',5,'2 years',NULL),('v3','b','d',1,'1 year','6 months'),('v3','e','y',4,NULL,NULL);"
    "INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, reset_to, reset_on) VALUES"
    " ('v3','d',10,'suspend',30,0,'start'),('v3','y',8,'watch','2 months',3,'end');"
    "INSERT INTO penalty_sanction_repeat(ruleset, track, points, nth, sanction, days, closes) VALUES"
    " ('v3','d',10,2,'suspend_long','6 months',0),('v3','d',10,3,'revoke',NULL,1);"
    "CREATE TABLE w3(seller_id, code, occurred_at);"
    "INSERT INTO w3 VALUES(1,'a','2016-01-01'),(1,'a','2016-02-01'),(1,'b','2016-03-01'),(1,'a','2016-05-01'),"
    " (1,'a','2016-06-01'),(1,'e','2016-07-01'),(1,'e','2016-08-01'),(1,'e','2016-11-01'),(2,'b','2016-01-01'),"
    " (2,'a','2017-06-01');"
    "CREATE TABLE wc(seller_id, code, occurred_at, anchor_at);"
    "INSERT INTO wc VALUES(1,'x','2017-01-10','2016-11-20'),(1,'x','2017-05-21','2016-11-20'),(1,'x','2017-06-01','2016-11-20'),"
    " (2,'x','2017-02-01','2017-01-31');";

const char* kQueries[] = {
    "SELECT penalty_version()",
    "SELECT penalty_points('r','h','2017-06-01'), penalty_level('r', 150)",
    "SELECT penalty_points('r','nope','2017-06-01')",
    "SELECT seller_id, penalty_total('r',code,occurred_at,'2018-01-01'), penalty_repeats('r',code,occurred_at,'2018-01-01'),"
    " penalty_closure('r',code,occurred_at,'2018-01-01') FROM v GROUP BY seller_id",
    "SELECT seller_id, penalty_standing('r',code,occurred_at,'2018-01-01') FROM v GROUP BY seller_id",
    "SELECT seller_id, penalty_total('r',code,occurred_at,occurred_at,'serious') OVER (PARTITION BY seller_id ORDER BY occurred_at) FROM v",
    "SELECT * FROM penalty_ledger('r','v')",
    "SELECT * FROM penalty_standings('r','v','2018-01-01')",
    "SELECT * FROM penalty_standings('r','v','2018-01-01') WHERE seller_id IN (2, 3)",
    // v's index does not cover the query, so the two above sort (read_plan.hpp); the same streamed:
    "SELECT penalty_config('read_strategy','stream'), (SELECT group_concat(seller_id || ':' || points || ':' || reason)"
    " FROM penalty_standings('r','v','2018-01-01')), penalty_read_plan('v')",
    "SELECT penalty_config('read_strategy','sort'), (SELECT group_concat(seller_id || ':' || note)"
    " FROM penalty_ledger('r','v')), penalty_read_plan('v'), penalty_config('memory_budget')",
    "SELECT * FROM penalty_check('bad')",
    "SELECT * FROM penalty_check('r')",
    "SELECT penalty_copy_ruleset('r','r2')",
    "SELECT * FROM penalty_standings('r','main.v','2018-01-01') WHERE seller_id = 2",
};

// A rule table as an older release made it, with rows and a view over it:
// penalty_install() rebuilds it (and creates the seven others).
const char* kFixtureOld =
    "CREATE TABLE penalty_track(ruleset TEXT NOT NULL, track TEXT NOT NULL, period TEXT NOT NULL,"
    " period_days INTEGER CHECK (period <> 'rolling' OR period_days > 0), PRIMARY KEY (ruleset, track));"
    "INSERT INTO penalty_track VALUES('r','serious','year',NULL),('r','roll','rolling',30);"
    "CREATE VIEW tracks AS SELECT * FROM penalty_track;";

// Queries of the v2 features, on kFixtureV2.
const char* kQueriesV2[] = {
    "SELECT seller_id, penalty_standing('v',code,occurred_at,'2017-12-31') FROM w GROUP BY seller_id",
    "SELECT * FROM penalty_ledger('v','w')",
    "SELECT * FROM penalty_ledger('v','w','2017-04-15')",
    "SELECT * FROM penalty_standings('v','w','2017-12-31')",
    "SELECT * FROM penalty_standings('cy','wc','2017-07-01')",
    "SELECT * FROM penalty_check('v')",
    "SELECT seller_id, penalty_standing('v3',code,occurred_at,'2018-12-31') FROM w3 GROUP BY seller_id",
    "SELECT * FROM penalty_ledger('v3','w3')",
    "SELECT * FROM penalty_standings('v3','w3','2016-12-01')",
    "SELECT * FROM penalty_check('v3')",
    "SELECT penalty_copy_ruleset('v3','r2')",
};

// Linked sellers (docs/model.md §6): a links table (a chain, a NULL entity,
// 1 and 1.0 beside '1'), with indexes for the seller_id = ? pushdown; 'lc'
// counts the prior record across a cluster and closes linked shops.
const char* kFixtureLinks =
    "SELECT penalty_install();"
    "INSERT INTO penalty_ruleset(ruleset, repeat_days, prior_scope, link_closes) VALUES('lc',365,'cluster',1);"
    "INSERT INTO penalty_track(ruleset, track, period) VALUES('lc','t','year');"
    "INSERT INTO penalty_violation(ruleset,code,track,points,closes,min_prior) VALUES('lc','f','t',10,0,0),('lc','c','t',5,0,1),('lc','s','t',1,1,0);"
    "INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, closes) VALUES('lc','t',12,'seal',NULL,1);"
    "CREATE TABLE lk(seller_id, entity);"
    "CREATE INDEX lk_s ON lk(seller_id); CREATE INDEX lk_e ON lk(entity);"
    "INSERT INTO lk VALUES('A','p1'),('B','p1'),('B','d9'),('C','d9'),('D',NULL),(1,'e1'),(1.0,'e2'),('1','e1');"
    "CREATE TABLE lv(seller_id, code, occurred_at);"
    "INSERT INTO lv VALUES('A','f','2017-01-10'),('B','c','2017-02-01'),('C','s','2017-03-01'),('1','c','2017-02-01'),(1,'f','2017-01-05'),('Z','c','2017-01-01');";

const char* kQueriesLinks[] = {
    "SELECT * FROM penalty_clusters('lk')",
    "SELECT * FROM penalty_clusters('lk') WHERE seller_id = 'C'",
    "SELECT * FROM penalty_standings('lc','lv','2017-12-31','lk')",
    "SELECT * FROM penalty_standings('lc','lv','2017-12-31','lk') WHERE seller_id = 'B'",
    "SELECT * FROM penalty_ledger('lc','lv',NULL,'lk')",
};

// The rows of ruleset 'r2' in every rule table (penalty_copy_ruleset's copy).
const char* kCopiedRows =
    "SELECT (SELECT count(*) FROM penalty_ruleset WHERE ruleset = 'r2') + (SELECT count(*) FROM penalty_track WHERE ruleset = 'r2')"
    " + (SELECT count(*) FROM penalty_carry WHERE ruleset = 'r2') + (SELECT count(*) FROM penalty_violation WHERE ruleset = 'r2')"
    " + (SELECT count(*) FROM penalty_repeat WHERE ruleset = 'r2') + (SELECT count(*) FROM penalty_threshold WHERE ruleset = 'r2')"
    " + (SELECT count(*) FROM penalty_sanction_repeat WHERE ruleset = 'r2')"
    " + (SELECT count(*) FROM penalty_level WHERE ruleset = 'r2')";

// The harness's own allocations must not count: Pause disarms the
// countdown for its scope and restores it after.
struct Pause {
    long saved = g_countdown.exchange(-1);
    ~Pause() { g_countdown = saved; }
};

// Runs sql; returns its rows as text, or "ERROR(code): message".
std::string run(sqlite3* db, const char* sql) {
    std::string out;
    {
        Pause p;
        out.reserve(4096);
    }
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
    if (rc != SQLITE_OK) {
        Pause p;
        return "ERROR(" + std::to_string(rc) + "): " + sqlite3_errmsg(db);
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); ++c) {
            const unsigned char* t = sqlite3_column_text(st, c);  // may fail: NULL then
            Pause p;
            out += t ? reinterpret_cast<const char*>(t) : "NULL";
            out += c + 1 < sqlite3_column_count(st) ? "|" : "\n";
        }
    }
    {
        Pause p;
        if (rc != SQLITE_DONE) out = "ERROR(" + std::to_string(rc) + "): " + sqlite3_errmsg(db);
    }
    sqlite3_finalize(st);
    return out;
}

sqlite3* fresh(const char* fixture) {
    sqlite3* db = nullptr;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) std::abort();
    if (fixture && sqlite3_exec(db, fixture, nullptr, nullptr, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "fixture: %s\n", sqlite3_errmsg(db));
        std::abort();
    }
    return db;
}

}  // namespace

int main() {
    sqlite3_config(SQLITE_CONFIG_GETMALLOC, &g_sqlite);
    sqlite3_mem_methods wrap = g_sqlite;
    wrap.xMalloc = x_malloc;
    wrap.xRealloc = x_realloc;
    wrap.xFree = x_free;
    wrap.xSize = x_size;
    wrap.xRoundup = x_roundup;
    wrap.xInit = x_init;
    wrap.xShutdown = x_shutdown;
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &wrap) != SQLITE_OK) return 2;
    sqlite3_config(SQLITE_CONFIG_LOOKASIDE, 0, 0);  // every allocation goes through the counter
    if (sqlite3_auto_extension(reinterpret_cast<void (*)()>(sqlite3_penalty_init)) != SQLITE_OK) return 2;

    std::vector<std::pair<const char*, const char*>> cases;  // (sql, fixture or nullptr)
    cases.emplace_back("SELECT penalty_install()", nullptr);
    for (const char* q : kQueries) cases.emplace_back(q, kFixture);
    for (const char* q : kQueriesV2) cases.emplace_back(q, kFixtureV2);
    for (const char* q : kQueriesLinks) cases.emplace_back(q, kFixtureLinks);
    cases.emplace_back("SELECT penalty_install()", kFixtureOld);

    int passed = 0, failed = 0;
    for (const auto& [sql, fixture] : cases) {
        sqlite3* db = fresh(fixture);
        const std::string expected = run(db, sql);
        sqlite3_close(db);
        if (std::getenv("PENALTY_OOM_SHOW")) std::printf("%s\n%s\n", sql, expected.c_str());
        long runs = 0, errors = 0;
        bool ok = true;
        for (long n = 0;; ++n) {
            db = fresh(fixture);
            g_failed = false;
            g_countdown = n;
            const std::string got = run(db, sql);
            g_countdown = -1;
            // No query leaves a transaction open; a copy is whole or absent (its
            // answer can fail after it committed).
            std::string after = sqlite3_get_autocommit(db) ? "" : "a transaction left open";
            // Out of memory, penalty_install's undo can fail too (a failed schema
            // change expires the statements it prepared): out of memory, and the
            // caller's ROLLBACK puts back every table (docs/reference.md).
            if (!after.empty() && std::strstr(sql, "penalty_install") && got.rfind("ERROR(7): ", 0) == 0) {
                const char* schema = "SELECT type, name, sql FROM sqlite_master ORDER BY name";
                sqlite3* before = fresh(fixture);
                if (run(db, "ROLLBACK").empty() && run(db, schema) == run(before, schema)) after.clear();
                sqlite3_close(before);
            }
            if (got != expected && std::strstr(sql, "penalty_copy_ruleset")) {
                const std::string rows = run(db, kCopiedRows);  // the answer is the rows copied
                if (rows != "0\n" && rows != expected) after = "a copy left in part: " + rows;
            }
            sqlite3_close(db);
            if (!after.empty()) {
                std::printf("FAIL %s at N=%ld: %s\n", sql, n, after.c_str());
                ok = false;
                break;
            }
            ++runs;
            if (got != expected) {
                ++errors;
                // Anything but the right answer must be SQLITE_NOMEM: a wrong
                // answer, or another error hiding the out-of-memory, fails.
                // One exception, SQLite's own: when the right answer is an
                // error and SQLite cannot copy its message, sqlite3_step()
                // reports a bare "SQL logic error" (ext/sqlite/glue.cpp
                // narrows, but cannot close, that window).
                const bool message_lost = expected.rfind("ERROR(1): ", 0) == 0 && got == "ERROR(1): SQL logic error";
                if (got.rfind("ERROR(7): ", 0) != 0 && !message_lost) {
                    std::printf("FAIL %s at N=%ld:\n  expected %s\n  got      %s\n", sql, n, expected.c_str(), got.c_str());
                    ok = false;
                    break;
                }
            }
            if (!g_failed) break;  // no allocation failed: the sweep is complete
        }
        std::printf("%s %s: %ld runs, %ld ended in an error\n", ok ? "ok  " : "FAIL", sql, runs, errors);
        (ok ? passed : failed)++;
    }
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
