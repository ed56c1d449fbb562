// concurrency.cpp — several threads, each with its own connection to one
// WAL database: readers compute standings while a writer inserts violations
// and edits the rules. Every committed state is self-describing: the writer
// keeps in table `state` the points of code 'x' and the number of events,
// in the same transaction as its changes. A reader, inside one read
// transaction (one snapshot), reads `state` and computes the standings; the
// answer must equal what that snapshot implies (points * events), so a
// stale rule cache or a torn read fails the test.
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "penalty.h"

namespace {

std::atomic<bool> g_stop{false};
std::atomic<long> g_checks{0}, g_failures{0}, g_commits{0};

void exec(sqlite3* db, const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::fprintf(stderr, "FAIL exec %s: %s\n", sql.c_str(), err ? err : "?");
        sqlite3_free(err);
        g_failures++;
    }
}

// The integers of the first row of `sql`.
std::vector<long long> row(sqlite3* db, const char* sql) {
    std::vector<long long> out;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "FAIL prepare: %s\n", sqlite3_errmsg(db));
        g_failures++;
        return out;
    }
    const int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count(st); ++c) out.push_back(sqlite3_column_int64(st, c));
    else if (rc != SQLITE_DONE) {
        std::fprintf(stderr, "FAIL step: %s\n", sqlite3_errmsg(db));
        g_failures++;
    }
    sqlite3_finalize(st);
    return out;
}

sqlite3* open_db(const char* path) {
    sqlite3* db = nullptr;
    sqlite3_open(path, &db);
    sqlite3_busy_timeout(db, 10000);
    return db;
}

void writer(const char* path) {
    sqlite3* db = open_db(path);
    long events = 0;
    for (int k = 1; !g_stop; ++k) {
        const int points = 1 + k % 7;
        const int add = 1 + k % 5;
        events += add;
        std::string sql = "BEGIN IMMEDIATE; UPDATE penalty_violation SET points = " + std::to_string(points) +
                          " WHERE ruleset = 'r' AND code = 'x';";
        for (int j = 0; j < add; ++j)
            sql += "INSERT INTO v VALUES (" + std::to_string((k * 7 + j) % 50) + ", 'x', " +
                   std::to_string(1500000000 + k * 60 + j) + ");";
        sql += "UPDATE state SET points = " + std::to_string(points) + ", events = " + std::to_string(events) +
               "; COMMIT;";
        exec(db, sql);
        g_commits++;
    }
    sqlite3_close(db);
}

void reader(const char* path, int id) {
    sqlite3* db = open_db(path);
    for (int k = 0; !g_stop; ++k) {
        exec(db, "BEGIN");
        const auto s = row(db, "SELECT points, events FROM state");
        const auto t = (id + k) % 2 == 0
                           ? row(db, "SELECT sum(points), sum(offences) FROM penalty_standings('r', 'v', '2100-01-01')")
                           : row(db, "SELECT sum(p), sum(n) FROM (SELECT penalty_total('r', code, occurred_at, '2100-01-01') AS p,"
                                     " count(*) AS n FROM v GROUP BY seller_id)");
        const auto p = row(db, "SELECT penalty_points('r', 'x', '2017-01-01')");
        exec(db, "COMMIT");
        g_checks++;
        if (s.size() != 2 || t.size() != 2 || p.size() != 1 || t[0] != s[0] * s[1] || t[1] != s[1] || p[0] != s[0]) {
            std::fprintf(stderr, "FAIL reader %d: state (%lld, %lld), standings (%lld, %lld), points %lld\n", id,
                         s.size() > 0 ? s[0] : -1, s.size() > 1 ? s[1] : -1, t.size() > 0 ? t[0] : -1,
                         t.size() > 1 ? t[1] : -1, p.empty() ? -1 : p[0]);
            g_failures++;
        }
    }
    sqlite3_close(db);
}

}  // namespace

int main() {
    const char* path = "concurrency_test.db";
    std::remove(path);
    std::remove("concurrency_test.db-wal");
    std::remove("concurrency_test.db-shm");
    if (sqlite3_auto_extension(reinterpret_cast<void (*)()>(sqlite3_penalty_init)) != SQLITE_OK) return 2;
    sqlite3* db = open_db(path);
    exec(db,
         "PRAGMA journal_mode = WAL; SELECT penalty_install();"
         "INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days, description) VALUES('r', '+00:00', NULL, NULL);"
         "INSERT INTO penalty_track(ruleset, track, period, period_days) VALUES('r', 'all', 'lifetime', NULL);"
         "INSERT INTO penalty_violation(ruleset, code, track, points) VALUES('r', 'x', 'all', 1);"
         "CREATE TABLE v(seller_id, code, occurred_at); CREATE INDEX v_s ON v(seller_id, occurred_at, code);"
         "CREATE TABLE state(points, events); INSERT INTO state VALUES(1, 0);");
    sqlite3_close(db);

    std::vector<std::thread> threads;
    threads.emplace_back(writer, path);
    for (int r = 0; r < 3; ++r) threads.emplace_back(reader, path, r);
    std::this_thread::sleep_for(std::chrono::seconds(3));
    g_stop = true;
    for (auto& t : threads) t.join();
    std::remove(path);
    std::remove("concurrency_test.db-wal");
    std::remove("concurrency_test.db-shm");
    const bool ok = g_failures == 0 && g_checks > 10 && g_commits > 10;
    std::printf("%ld commits, %ld snapshot checks, %ld failures\n", g_commits.load(), g_checks.load(), g_failures.load());
    std::printf("%d passed, %d failed\n", ok ? 1 : 0, ok ? 0 : 1);
    return ok ? 0 : 1;
}
