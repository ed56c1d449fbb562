// faults.cpp — I/O errors, full disks, interrupts and busy databases, tested
// the way SQLite tests itself (issue #24). One program, one part per
// argument (all four without one):
//
//   sweep      every table-valued function, aggregate, scalar,
//              penalty_install, penalty_copy_ruleset and the spill path run on
//              a database file through the fault VFS (fault_vfs.hpp), which
//              fails the Nth read, write, sync or open. Each run must end in
//              the right answer or in one of the case's exact errors (the
//              function, what it was doing, SQLite's words for the fault),
//              with the database exactly as before (a failed install or copy
//              leaves the rule tables as they were), no transaction open, no
//              statement left unfinalized (sqlite3_close succeeds), no
//              worker thread left running, and the same query answering
//              right on the same connection once the fault is gone. Leaks:
//              LeakSanitizer in the sanitizer build. By default a sample
//              (persistent faults at the first, middle and last operation of
//              each kind, and a transient one); PENALTY_FAULTS_FULL=1 fails
//              every operation in turn, persistent and transient, with both
//              write codes (SQLITE_FULL, SQLITE_IOERR_WRITE).
//   spill      the temporary file of sorted runs cannot grow (RLIMIT_FSIZE:
//              "File too large"): the error names the directory and
//              SQLITE_TMPDIR (a full disk: spill_full.sh).
//   interrupt  sqlite3_interrupt() from another thread, and a progress
//              handler returning 1, in the middle of a whole-source
//              penalty_standings with two threads, every read strategy: the
//              query stops with SQLITE_INTERRUPT, every worker thread is
//              gone when it returns, and the next query answers right.
//   busy       another process writes while penalty_standings, _ledger and
//              the aggregates read, in rollback and WAL journal modes,
//              with busy_timeout 0 and 5000: each answer is a whole
//              committed state, or SQLite's busy error with penalty's hint.
//
// PENALTY_FAULTS_SHOW=1 prints each case's answer and every distinct error.
#include <sqlite3.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "fault_vfs.hpp"
#include "penalty.h"

namespace {

namespace fs = std::filesystem;

int g_failed = 0;

void fail(const std::string& what) {
    std::printf("FAIL %s\n", what.c_str());
    ++g_failed;
}

bool show() { return std::getenv("PENALTY_FAULTS_SHOW") != nullptr; }

struct Result {
    int code = SQLITE_OK;  // SQLITE_OK, or the error's extended code
    std::string text;      // the rows ("a|b\n" each), or the error message
    std::string str() const { return code == SQLITE_OK ? text : "ERROR(" + std::to_string(code) + "): " + text; }
};

Result run(sqlite3* db, const std::string& sql) {
    Result r;
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
    if (rc != SQLITE_OK) return {sqlite3_extended_errcode(db), sqlite3_errmsg(db)};
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); ++c) {
            const unsigned char* t = sqlite3_column_text(st, c);
            r.text += t ? reinterpret_cast<const char*>(t) : "NULL";
            r.text += c + 1 < sqlite3_column_count(st) ? "|" : "\n";
        }
    }
    if (rc != SQLITE_DONE) r = {sqlite3_extended_errcode(db), sqlite3_errmsg(db)};
    sqlite3_finalize(st);
    return r;
}

void exec(sqlite3* db, const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::fprintf(stderr, "exec %s: %s\n", sql.c_str(), err ? err : "?");
        std::abort();
    }
}

sqlite3* open_db(const std::string& path) {
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
        std::fprintf(stderr, "open %s: %s\n", path.c_str(), sqlite3_errmsg(db));
        std::abort();
    }
    return db;
}

void close_db(sqlite3* db, const std::string& where) {
    if (sqlite3_close(db) != SQLITE_OK) fail(where + ": sqlite3_close failed (a statement left unfinalized?)");
}

// The threads of this process (/proc/self/task).
long thread_count() {
    long n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator("/proc/self/task")) ++n;
    return n;
}

// Every table's schema and rows, in storage order: equal dumps, equal databases.
std::string dump(sqlite3* db) {
    const Result tables =
        run(db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
    std::string out = run(db, "SELECT type, name, sql FROM sqlite_schema ORDER BY name").str();
    if (tables.code != SQLITE_OK) return "ERROR " + tables.str();
    std::size_t at = 0;
    while (at < tables.text.size()) {
        const std::size_t end = tables.text.find('\n', at);
        const std::string name = tables.text.substr(at, end - at);
        at = end + 1;
        out += "[" + name + "]\n" + run(db, "SELECT * FROM \"" + name + "\"").str();
    }
    return out;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void remove_db(const std::string& path) {
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}

// The rules: 'r' (a year track and a rolling one, a repeat, thresholds,
// levels), 'v' (v2 features: a carry, a daily cap, merges, expiry, a
// credit) and 'lc' (a cluster prior record, closures through links).
const char* const kRules =
    "SELECT penalty_install();"
    "INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days) VALUES('r','+08:00',365),('v','+08:00','1 year');"
    "INSERT INTO penalty_ruleset(ruleset, repeat_days, prior_scope, link_closes) VALUES('lc',365,'cluster',1);"
    "INSERT INTO penalty_track(ruleset, track, period, period_days, daily_cap, merge_days) VALUES"
    " ('r','serious','year',NULL,NULL,NULL),('r','roll','rolling',30,NULL,NULL),"
    " ('v','main','year',NULL,10,NULL),('v','roll','rolling','90 days',NULL,'2 days'),('lc','t','year',NULL,NULL,NULL);"
    "INSERT INTO penalty_carry(ruleset, track, min_points, carry) VALUES('v','main',12,6);"
    "INSERT INTO penalty_violation(ruleset, code, track, points, closes, min_prior, expires_days) VALUES"
    " ('r','h','serious',12,0,0,NULL),('r','s','serious',12,1,0,NULL),('r','c','roll',5,0,1,NULL),"
    " ('v','a','main',6,0,0,'6 months'),('v','m','roll',3,0,0,NULL),('v','cr','main',-2,0,0,NULL),"
    " ('lc','f','t',10,0,0,NULL),('lc','c','t',5,0,1,NULL),('lc','s','t',1,1,0,NULL);"
    "INSERT INTO penalty_repeat VALUES('r','c',3,9);"
    "INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, closes) VALUES"
    " ('r','serious',12,'warn',7,0),('r','serious',24,'seal',NULL,1),('v','main',12,'warn','1 week',0),"
    " ('lc','t',12,'seal',NULL,1);"
    "INSERT INTO penalty_level VALUES('r',0,'low'),('r',100,'high');";

// The sources: v (pair index: sorted), w (v2 columns), lk/lv (links),
// sp (3,000 events: spills in a 64 KiB budget).
const char* const kSources =
    "CREATE TABLE v(seller_id, code, occurred_at); CREATE INDEX v_s ON v(seller_id, occurred_at);"
    "INSERT INTO v VALUES(1,'h','2017-03-01'),(1,'c','2017-03-02'),(1,'c','2017-03-03'),(1,'h','2017-04-01'),"
    " (2,'s','2017-05-01'),(2,'c','2017-05-02 10:00+08:00'),(3,'c',1496275200),(3,'h',1496275200.5);"
    "CREATE TABLE w(seller_id, code, occurred_at, points, revoked_at);"
    "INSERT INTO w VALUES(1,'a','2016-11-01',NULL,NULL),(1,'a','2017-01-02',8,NULL),(1,'cr','2017-02-01',NULL,NULL),"
    " (1,'m','2017-03-01',NULL,NULL),(1,'m','2017-03-02',NULL,NULL),(1,'a','2017-04-01',NULL,'2017-05-01'),"
    " (2,'m','2017-01-01',NULL,NULL),(2,'a','2017-08-01',NULL,NULL);"
    "CREATE TABLE lk(seller_id, entity); CREATE INDEX lk_s ON lk(seller_id); CREATE INDEX lk_e ON lk(entity);"
    "INSERT INTO lk VALUES('A','p1'),('B','p1'),('B','d9'),('C','d9'),('D',NULL);"
    "CREATE TABLE lv(seller_id, code, occurred_at);"
    "INSERT INTO lv VALUES('A','f','2017-01-10'),('B','c','2017-02-01'),('C','s','2017-03-01'),('Z','c','2017-01-01');"
    "CREATE TABLE sp(seller_id, code, occurred_at);"
    "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 2999)"
    " INSERT INTO sp SELECT (i * 7919) % 500, CASE i % 3 WHEN 0 THEN 'h' ELSE 'c' END, 1483228800 + i * 3600 FROM k;";

// A rule table as an older release made it: penalty_install() rebuilds it.
const char* const kOldTrack =
    "CREATE TABLE penalty_track(ruleset TEXT NOT NULL, track TEXT NOT NULL, period TEXT NOT NULL,"
    " period_days INTEGER CHECK (period <> 'rolling' OR period_days > 0), PRIMARY KEY (ruleset, track));"
    "INSERT INTO penalty_track VALUES('r','serious','year',NULL),('r','roll','rolling',30);"
    "CREATE VIEW tracks AS SELECT * FROM penalty_track;";

enum Fixture { kEmpty, kFull, kOld, kFixtures };

// A case: a query on a fixture, the settings made first (they read nothing),
// and the errors a fault may end it in: each "%s" stands for SQLite's words
// for the fault (sqlite3_errstr: "disk I/O error", ...), and "%s" alone
// for SQLite's own error (a read of the query's own tables, the schema).
struct Case {
    Fixture fixture;
    const char* sql;
    const char* setup;
    std::vector<const char*> errors;
};

// The errors every case of the full fixture may meet: SQLite's own, and
// penalty's check of the data version (the rules cache, first use).
#define OWN "%s"
#define DATA_VERSION(fn) fn ": reading the data version: %s"
#define TABLES(prefix)                                                                               \
    prefix "penalty_ruleset: %s", prefix "penalty_track: %s", prefix "penalty_carry: %s",              \
        prefix "penalty_violation: %s", prefix "penalty_repeat: %s", prefix "penalty_threshold: %s", \
        prefix "penalty_level: %s"
#define RULES(fn) TABLES(fn ": reading ")
#define SOURCE(fn, src)                                                                                   \
    fn ": listing the databases: %s", fn ": listing the tables: %s", fn ": planning the source query: %s", \
        fn ": source '" src "': %s", fn ": reading source '" src "': %s"
#define LINKS(fn) SOURCE(fn, "lk"), fn ": links 'lk': %s", fn ": reading links 'lk': %s"
#define INSTALL                                                                                            \
    "penalty_install: reading the schema: %s", "penalty_install: creating the rule tables: %s",            \
        "penalty_install: upgrading rule table penalty_track: %s", "penalty_install: committing the rule tables: %s"

const std::vector<Case>& cases() {
    static const std::vector<Case> all = {
        {kEmpty, "SELECT penalty_install()", "", {OWN, INSTALL}},
        {kOld, "SELECT penalty_install()", "", {OWN, INSTALL}},
        {kFull, "SELECT penalty_copy_ruleset('r', 'r2')", "",
         {OWN, DATA_VERSION("penalty_copy_ruleset"), TABLES("penalty_copy_ruleset: reading rule table "),
          RULES("penalty_copy_ruleset"), TABLES("penalty_copy_ruleset: copying "),
          "penalty_copy_ruleset: committing the copy: %s"}},
        {kFull, "SELECT penalty_points('r', 'h', '2017-06-01'), penalty_level('r', 150)", "",
         {OWN, DATA_VERSION("penalty_points"), RULES("penalty_points"), DATA_VERSION("penalty_level"),
          RULES("penalty_level")}},
        {kFull,
         "SELECT seller_id, penalty_total('r', code, occurred_at, '2018-01-01'), penalty_repeats('r', code, occurred_at,"
         " '2018-01-01'), penalty_closure('r', code, occurred_at, '2018-01-01') FROM v GROUP BY seller_id",
         "",
         {OWN, DATA_VERSION("penalty_total"), RULES("penalty_total"), DATA_VERSION("penalty_repeats"),
          RULES("penalty_repeats"), DATA_VERSION("penalty_closure"), RULES("penalty_closure")}},
        {kFull, "SELECT seller_id, penalty_standing('v', code, occurred_at, '2017-12-31') FROM w GROUP BY seller_id", "",
         {OWN, DATA_VERSION("penalty_standing"), RULES("penalty_standing")}},
        {kFull,
         "SELECT seller_id, penalty_total('r', code, occurred_at, occurred_at, 'serious') OVER (PARTITION BY seller_id"
         " ORDER BY occurred_at) FROM v",
         "", {OWN, DATA_VERSION("penalty_total"), RULES("penalty_total")}},
        {kFull, "SELECT * FROM penalty_check('r')", "", {OWN, DATA_VERSION("penalty_check"), RULES("penalty_check")}},
        {kFull, "SELECT * FROM penalty_ledger('r', 'v')", "",
         {OWN, DATA_VERSION("penalty_ledger"), RULES("penalty_ledger"), SOURCE("penalty_ledger", "v")}},
        {kFull, "SELECT * FROM penalty_standings('r', 'v', '2018-01-01')", "",
         {OWN, DATA_VERSION("penalty_standings"), RULES("penalty_standings"), SOURCE("penalty_standings", "v")}},
        {kFull, "SELECT * FROM penalty_standings('r', 'v', '2018-01-01')", "SELECT penalty_config('read_strategy', 'stream')",
         {OWN, DATA_VERSION("penalty_standings"), RULES("penalty_standings"), SOURCE("penalty_standings", "v")}},
        {kFull, "SELECT * FROM penalty_standings('r', 'v', '2018-01-01') WHERE seller_id = 2", "",
         {OWN, DATA_VERSION("penalty_standings"), RULES("penalty_standings"), SOURCE("penalty_standings", "v")}},
        {kFull, "SELECT * FROM penalty_standings('v', 'w', '2017-12-31')", "",
         {OWN, DATA_VERSION("penalty_standings"), RULES("penalty_standings"), SOURCE("penalty_standings", "w")}},
        {kFull, "SELECT * FROM penalty_clusters('lk')", "", {OWN, LINKS("penalty_clusters")}},
        {kFull, "SELECT * FROM penalty_standings('lc', 'lv', '2017-12-31', 'lk')", "",
         {OWN, DATA_VERSION("penalty_standings"), RULES("penalty_standings"), SOURCE("penalty_standings", "lv"),
          LINKS("penalty_standings")}},
        {kFull, "SELECT * FROM penalty_ledger('lc', 'lv', NULL, 'lk') WHERE seller_id = 'B'", "",
         {OWN, DATA_VERSION("penalty_ledger"), RULES("penalty_ledger"), SOURCE("penalty_ledger", "lv"),
          LINKS("penalty_ledger")}},
        {kFull, "SELECT penalty_read_plan('v')", "", {OWN, SOURCE("penalty_read_plan", "v")}},
        // The spill path: 3,000 records of 24 bytes in a 64 KiB budget.
        {kFull, "SELECT count(*), sum(points), sum(repeats), max(closure_at) FROM penalty_standings('r', 'sp', '2018-01-01')",
         "SELECT penalty_config('read_strategy', 'sort'), penalty_config('memory_budget', 65536)",
         {OWN, DATA_VERSION("penalty_standings"), RULES("penalty_standings"), SOURCE("penalty_standings", "sp")}},
        {kFull, "SELECT count(*), sum(points), max(nth) FROM penalty_ledger('r', 'sp')",
         "SELECT penalty_config('read_strategy', 'sort'), penalty_config('memory_budget', 65536)",
         {OWN, DATA_VERSION("penalty_ledger"), RULES("penalty_ledger"), SOURCE("penalty_ledger", "sp")}},
    };
    return all;
}

// The fixtures as database files' bytes (made once, without faults).
std::string g_dir;
std::string g_images[kFixtures];

void make_fixtures() {
    const char* sql[kFixtures] = {"", nullptr, kOldTrack};
    const std::string full = std::string(kRules) + kSources;
    sql[kFull] = full.c_str();
    for (int f = 0; f < kFixtures; ++f) {
        const std::string path = g_dir + "/fixture.db";
        remove_db(path);
        sqlite3* db = open_db(path);
        exec(db, std::string("PRAGMA page_size = 1024;") + sql[f]);  // more pages: more reads to fail
        close_db(db, "fixture");
        g_images[f] = read_file(path);
        remove_db(path);
    }
}

// A fresh connection on a fresh copy of the fixture, its settings made.
sqlite3* fresh(const Case& c, const std::string& path) {
    remove_db(path);
    std::ofstream(path, std::ios::binary) << g_images[c.fixture];
    sqlite3* db = open_db(path);
    if (*c.setup) exec(db, c.setup);
    return db;
}

// Whether `message` is one of the case's errors for the fault's code.
bool expected_error(const Case& c, const std::string& message, int code) {
    for (const char* form : c.errors) {
        std::string e = form;
        const std::size_t at = e.find("%s");
        e.replace(at, 2, sqlite3_errstr(code));
        if (e == message) return true;
    }
    return false;
}

struct Plan {
    fault_vfs::Kind kind;
    int code;
    bool persistent;
    long n;
};

// One run of case c with the fault `p`: checks everything the header says.
// Returns the error (empty when the answer was right).
std::string sweep_run(const Case& c, const Plan& p, const std::string& expected, const std::string& before,
                      const std::string& after, long threads) {
    const std::string path = g_dir + "/sweep.db";
    sqlite3* db = fresh(c, path);
    fault_vfs::arm(p.kind, p.n, p.code, p.persistent);
    const Result got = run(db, c.sql);
    fault_vfs::disarm();
    const std::string where = std::string(c.sql) + " [" + fault_vfs::kind_name(p.kind) + " " +
                              std::to_string(p.n) + (p.persistent ? " persistent" : " transient") + ", " +
                              sqlite3_errstr(p.code) + "]";
    if (thread_count() != threads) fail(where + ": a worker thread is left running");
    if (!sqlite3_get_autocommit(db)) fail(where + ": a transaction is left open");
    if (got.str() != expected) {
        if (got.code == SQLITE_OK) fail(where + ": a wrong answer:\n" + got.text + "expected:\n" + expected);
        else if ((got.code & 0xff) != (p.code & 0xff) || !expected_error(c, got.text, got.code))
            fail(where + ": not an expected error: " + got.str());
    }
    const std::string now = dump(db);
    if (now != (got.str() == expected ? after : before))
        fail(where + ": the database changed:\n" + now + "before:\n" + before);
    // The same connection, the fault gone: the right answer (a write that
    // failed, now made; a read, again).
    if (got.str() != expected || before == after) {
        const Result again = run(db, c.sql);
        if (again.str() != expected) fail(where + ": the next query: " + again.str() + ", expected " + expected);
    }
    close_db(db, where);
    remove_db(path);
    return got.code == SQLITE_OK ? "" : got.text;
}

int sweep() {
    const bool full = std::getenv("PENALTY_FAULTS_FULL") != nullptr;
    const long threads = thread_count();
    long runs = 0;
    for (const Case& c : cases()) {
        const std::string path = g_dir + "/sweep.db";
        sqlite3* db = fresh(c, path);
        const std::string before = dump(db);
        close_db(db, "dump");
        db = fresh(c, path);  // a cold page cache: the query reads every page it needs
        fault_vfs::reset_counts();
        const std::string expected = run(db, c.sql).str();
        long count[fault_vfs::kKinds];
        for (int k = 0; k < fault_vfs::kKinds; ++k) count[k] = fault_vfs::state().counts[k];
        const std::string after = dump(db);
        close_db(db, c.sql);
        if (expected.rfind("ERROR", 0) == 0) fail(std::string(c.sql) + ": fails without a fault: " + expected);
        if (show()) std::printf("%s\n%s", c.sql, expected.c_str());

        std::vector<Plan> plans;
        const int codes[fault_vfs::kKinds][2] = {{SQLITE_IOERR_READ, 0},
                                                 {SQLITE_FULL, SQLITE_IOERR_WRITE},
                                                 {SQLITE_IOERR_FSYNC, 0},
                                                 {SQLITE_CANTOPEN, 0}};
        for (int k = 0; k < fault_vfs::kKinds; ++k) {
            const long n = count[k];
            if (n == 0) continue;
            const auto kind = static_cast<fault_vfs::Kind>(k);
            if (full) {
                for (const int code : codes[k])
                    for (long i = 0; code && i < n; ++i)
                        for (const bool persistent : {true, false}) plans.push_back({kind, code, persistent, i});
            } else {
                std::set<long> at = {0, n / 2, n - 1};
                for (const long i : at) plans.push_back({kind, codes[k][0], true, i});
                plans.push_back({kind, codes[k][1] ? codes[k][1] : codes[k][0], false, n / 3});
            }
        }
        std::set<std::string> errors;
        const int failed_before = g_failed;
        for (const Plan& p : plans) {
            const std::string e = sweep_run(c, p, expected, before, after, threads);
            if (!e.empty()) errors.insert(e);
            ++runs;
        }
        std::printf("%s %s: %zu runs (reads %ld, writes %ld, syncs %ld, opens %ld), %zu distinct errors\n",
                    g_failed == failed_before ? "ok  " : "FAIL", c.sql, plans.size(), count[0], count[1], count[2], count[3], errors.size());
        if (show())
            for (const auto& e : errors) std::printf("     %s\n", e.c_str());
    }
    std::printf("sweep (%s): %ld runs\n", full ? "full" : "sampled", runs);
    return 0;
}

// The spill file cannot grow past 32 KiB (RLIMIT_FSIZE): the error says
// where it was and how to choose another place.
int spill() {
    const std::string tmp = g_dir + "/tmp";
    fs::create_directories(tmp);
    setenv("SQLITE_TMPDIR", tmp.c_str(), 1);
    const long threads = thread_count();
    const Case& c = cases()[cases().size() - 2];  // the spilling standings
    const std::string path = g_dir + "/spill.db";
    sqlite3* db = fresh(c, path);
    const std::string expected = run(db, c.sql).str();
    std::signal(SIGXFSZ, SIG_IGN);  // EFBIG instead of the signal
    rlimit saved{};
    getrlimit(RLIMIT_FSIZE, &saved);
    rlimit small = saved;
    small.rlim_cur = 32768;
    setrlimit(RLIMIT_FSIZE, &small);
    const Result got = run(db, c.sql);
    setrlimit(RLIMIT_FSIZE, &saved);
    const std::string want =
        "ERROR(1): penalty_standings: the temporary file of sorted runs in " + tmp +
        ": writing failed: File too large; set the environment variable SQLITE_TMPDIR to a directory with room for "
        "the runs (24 to 48 bytes an event), or raise penalty_config('memory_budget') so that fewer events are "
        "spilled";
    if (got.str() != want) fail("spill at RLIMIT_FSIZE: " + got.str() + "\n  expected " + want);
    if (thread_count() != threads) fail("spill: a worker thread is left running");
    const Result again = run(db, c.sql);
    if (again.str() != expected) fail("spill, the next query: " + again.str() + ", expected " + expected);
    if (!fs::is_empty(tmp)) fail("spill: a file is left in " + tmp);
    close_db(db, "spill");
    remove_db(path);
    unsetenv("SQLITE_TMPDIR");
    std::printf("ok   spill: %s\n", got.text.c_str());
    return 0;
}

// A source of `events` events of 1,000 sellers in storage order (big,
// sorted) and the same in seller order with a covering index (bigc,
// streamed).
void make_big(const std::string& path, long events) {
    remove_db(path);
    sqlite3* db = open_db(path);
    exec(db, std::string(kRules) +
                 "CREATE TABLE big(seller_id, code, occurred_at); CREATE TABLE bigc(seller_id, code, occurred_at);"
                 "WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < " +
                 std::to_string(events - 1) +
                 ") INSERT INTO big SELECT (i * 7919) % 1000, CASE i % 3 WHEN 0 THEN 'h' ELSE 'c' END,"
                 " 1483228800 + i % 31536000 FROM k;"
                 "INSERT INTO bigc SELECT * FROM big ORDER BY seller_id, occurred_at;"
                 "CREATE INDEX bigc_s ON bigc(seller_id, occurred_at, code);");
    close_db(db, "big");
}

double ms_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

// Interrupts a whole-source penalty_standings with two threads, each read
// strategy, at a third of its time (bench/interrupt.sh: other sizes and
// points, PENALTY_FAULTS_EVENTS, PENALTY_FAULTS_DB (kept), PENALTY_FAULTS_AT).
int interrupt() {
    const char* events = std::getenv("PENALTY_FAULTS_EVENTS");
    const char* kept = std::getenv("PENALTY_FAULTS_DB");
    const std::string path = kept ? kept : g_dir + "/big.db";
    if (!kept || !fs::exists(path)) make_big(path, events ? std::atol(events) : 200000);
    std::vector<double> points;
    for (const char* at = std::getenv("PENALTY_FAULTS_AT"); at && *at; at = std::strchr(at, ',') ? std::strchr(at, ',') + 1 : "")
        points.push_back(std::atof(at));
    if (points.empty()) points.push_back(1.0 / 3);
    const long threads = thread_count();
    struct Strategy {
        const char* name;
        const char* source;
        const char* setup;
    } strategies[] = {
        {"stream", "bigc", "SELECT penalty_config('read_strategy', 'stream')"},
        {"sort", "big", "SELECT penalty_config('read_strategy', 'sort')"},
        {"sort, spilled", "big",
         "SELECT penalty_config('read_strategy', 'sort'), penalty_config('memory_budget', 1048576)"},
    };
    for (const auto& s : strategies) {
        const std::string sql = std::string("SELECT count(*), sum(points), sum(repeats) FROM penalty_standings('r', '") +
                                s.source + "', '2018-01-01')";
        const std::string what = std::string("interrupt, ") + s.name;
        sqlite3* db = open_db(path);
        exec(db, std::string(s.setup) + "; SELECT penalty_config('threads', 2)");
        const auto t0 = std::chrono::steady_clock::now();
        const std::string expected = run(db, sql).str();
        const double full_ms = ms_since(t0);
        const std::set<std::string> allowed = {"ERROR(9): interrupted",
                                               std::string("ERROR(9): penalty_standings: reading source '") +
                                                   s.source + "': interrupted"};
        for (double at : points) {
            // sqlite3_interrupt() from another thread, at `at` of the query's
            // time; a query that ends first (a faster run) tries again at
            // half that time, three times at most.
            for (int attempt = 0;; ++attempt, at /= 2) {
                std::chrono::steady_clock::time_point fired;
                std::thread killer([&] {
                    std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(full_ms * at));
                    fired = std::chrono::steady_clock::now();
                    sqlite3_interrupt(db);
                });
                const Result got = run(db, sql);
                const auto stopped = std::chrono::steady_clock::now();
                killer.join();
                if (got.str() == expected && stopped < fired && attempt < 3) {
                    std::printf("     %s: the query ended before the interrupt at %.0f ms\n", what.c_str(),
                                full_ms * at);
                    continue;
                }
                const double latency = std::chrono::duration<double, std::milli>(stopped - fired).count();
                if (!allowed.count(got.str())) fail(what + ": " + got.str());
                if (thread_count() != threads) fail(what + ": a worker thread is left running");
                if (run(db, sql).str() != expected) fail(what + ": the next query is wrong");
                std::printf("ok   %s: the query takes %.0f ms; interrupted at %.0f ms, it stopped %.1f ms later: %s\n",
                            what.c_str(), full_ms, full_ms * at, latency, got.str().c_str());
                break;
            }
        }
        // A progress handler that aborts after 20 calls (every 1,000 VM steps).
        long calls = 0;
        sqlite3_progress_handler(db, 1000, [](void* p) { return ++*static_cast<long*>(p) > 20 ? 1 : 0; }, &calls);
        const auto t1 = std::chrono::steady_clock::now();
        const Result aborted = run(db, sql);
        const double aborted_ms = ms_since(t1);
        sqlite3_progress_handler(db, 0, nullptr, nullptr);
        if (!allowed.count(aborted.str())) fail("progress handler, " + std::string(s.name) + ": " + aborted.str());
        if (thread_count() != threads) fail("progress handler, " + std::string(s.name) + ": a worker thread is left running");
        if (run(db, sql).str() != expected) fail("progress handler, " + std::string(s.name) + ": the next query is wrong");
        std::printf("ok   progress handler, %s: stopped after %.1f ms: %s\n", s.name, aborted_ms, aborted.str().c_str());
        close_db(db, what);
    }
    if (!kept) remove_db(path);
    return 0;
}

// The writer of busy(): every commit k sets the points of code 'x' to
// k % 5 + 1 and table bv to k events for each of 20 sellers, for `seconds`.
[[noreturn]] void writer(const std::string& path, double seconds) {
    sqlite3* db = open_db(path);
    sqlite3_busy_timeout(db, 10000);
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    for (int k = 2; std::chrono::steady_clock::now() < end; ++k) {
        const std::string sql =
            "BEGIN IMMEDIATE; UPDATE penalty_violation SET points = " + std::to_string(k % 5 + 1) +
            " WHERE ruleset = 'b'; DELETE FROM bv;"
            " WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < 19),"
            " e(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM e WHERE j < " + std::to_string(k - 1) + ")"
            " INSERT INTO bv SELECT i, 'x', 1500000000 + j * 60 FROM s, e; COMMIT;";
        if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
            std::fprintf(stderr, "FAIL writer: %s\n", sqlite3_errmsg(db));
            std::_Exit(1);
        }
    }
    sqlite3_close(db);
    std::_Exit(0);
}

// Whether (sellers, lowest, highest) is a whole committed state of writer():
// 20 sellers of k events each at k % 5 + 1 points (k = 1 before the first commit).
bool committed_state(const std::string& answer, std::set<long>& states) {
    long n = 0, lo = 0, hi = 0;
    if (std::sscanf(answer.c_str(), "%ld|%ld|%ld", &n, &lo, &hi) != 3 || n != 20 || lo != hi) return false;
    for (long k = 1; k <= 100000; ++k)
        if ((k % 5 + 1) * k == lo) {
            states.insert(k);
            return true;
        }
    return false;
}

// Another process writes while this one reads (rollback and WAL journals,
// busy_timeout 0 and 5000): every answer is a whole committed state, or the
// busy error naming the function, with the hint.
int busy() {
    const char* const queries[] = {
        "SELECT count(*), min(points), max(points) FROM penalty_standings('b', 'bv', '2100-01-01')",
        "SELECT count(*), min(t), max(t) FROM (SELECT penalty_total('b', code, occurred_at, '2100-01-01') AS t FROM bv"
        " GROUP BY seller_id)",
        "SELECT count(*), min(m), max(m) FROM (SELECT max(track_points) AS m FROM penalty_ledger('b', 'bv')"
        " GROUP BY seller_id)",
    };
    const char* const hint =
        "; another connection is writing to the database and holds its lock: retry when it has committed, or let "
        "SQLite wait for it with PRAGMA busy_timeout = 5000 (milliseconds)";
    for (const char* journal : {"delete", "wal"}) {
        for (const int timeout : {0, 5000}) {
            const std::string path = g_dir + "/busy.db";
            remove_db(path);
            sqlite3* db = open_db(path);
            exec(db, std::string("PRAGMA journal_mode = ") + journal +
                         "; SELECT penalty_install();"
                         "INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days) VALUES('b', '+00:00', NULL);"
                         "INSERT INTO penalty_track(ruleset, track, period) VALUES('b', 'all', 'lifetime');"
                         "INSERT INTO penalty_violation(ruleset, code, track, points) VALUES('b', 'x', 'all', 2);"
                         "CREATE TABLE bv(seller_id, code, occurred_at);"
                         "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < 19)"
                         " INSERT INTO bv SELECT i, 'x', 1500000000 FROM s;");
            close_db(db, "busy fixture");
            const pid_t child = fork();
            if (child == 0) writer(path, 1.5);
            db = open_db(path);
            sqlite3_busy_timeout(db, timeout);
            long answers = 0, errors = 0;
            std::set<long> states;
            std::set<std::string> seen;
            const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
            for (int i = 0; std::chrono::steady_clock::now() < end; ++i) {
                const char* sql = queries[i % 3];
                if (i % 6 == 0) exec(db, "SELECT penalty_config('read_strategy', 'stream')");
                if (i % 6 == 3) exec(db, "SELECT penalty_config('read_strategy', 'sort')");
                const Result r = run(db, sql);
                const std::string where = std::string("busy (") + journal + ", busy_timeout " +
                                          std::to_string(timeout) + ") " + sql;
                if (r.code == SQLITE_OK) {
                    ++answers;
                    if (!committed_state(r.text, states)) fail(where + ": not a committed state: " + r.text);
                    continue;
                }
                ++errors;
                const std::string fn = i % 3 == 0 ? "penalty_standings" : i % 3 == 1 ? "penalty_total" : "penalty_ledger";
                const std::set<std::string> allowed = {
                    "database is locked",
                    fn + ": reading the data version: database is locked" + hint,
                    fn + ": reading penalty_ruleset: database is locked" + hint,
                    fn + ": listing the databases: database is locked" + hint,
                    fn + ": reading source 'bv': database is locked" + hint,
                };
                if (timeout != 0 || (r.code & 0xff) != SQLITE_BUSY || !allowed.count(r.text))
                    fail(where + ": " + r.str());
                seen.insert(r.text);
            }
            close_db(db, "busy");
            int status = 0;
            waitpid(child, &status, 0);
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail("busy: the writer failed");
            if (states.size() < 3) fail("busy: the reader saw fewer than 3 committed states");
            std::printf("ok   busy (%s, busy_timeout %d): %ld answers, each a whole commit (%zu states), %ld busy errors\n",
                        journal, timeout, answers, states.size(), errors);
            if (show())
                for (const auto& e : seen) std::printf("     %s\n", e.c_str());
            remove_db(path);
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (fault_vfs::install() != SQLITE_OK) return 2;
    if (sqlite3_auto_extension(reinterpret_cast<void (*)()>(sqlite3_penalty_init)) != SQLITE_OK) return 2;
    g_dir = fs::absolute("faults_test." + std::string(argc > 1 ? argv[1] : "all")).string();
    fs::remove_all(g_dir);
    fs::create_directories(g_dir);
    make_fixtures();
    const std::string part = argc > 1 ? argv[1] : "";
    if (part.empty() || part == "sweep") sweep();
    if (part.empty() || part == "spill") spill();
    if (part.empty() || part == "interrupt") interrupt();
    if (part.empty() || part == "busy") busy();
    fs::remove_all(g_dir);
    std::printf("%s\n", g_failed ? "FAILED" : "passed");
    return g_failed ? 1 : 0;
}
