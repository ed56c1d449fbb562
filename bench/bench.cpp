// bench.cpp — the penalty benchmark. One run measures:
//   (a) the bare scan      SELECT count(*), sum(unixepoch(occurred_at)), sum(length(code)) FROM violations
//   (b) penalty_standings  SELECT count(*), count(closure_at), sum(points) FROM penalty_standings(...)
//   (c) the same standings in pure SQL with window functions (bench/standings.sql)
//   (d) one seller's standing by index (median of many look-ups)
// and checks that (b) and (c) agree. Each of (a), (b), (c) runs in a forked
// child so that its peak memory (max RSS) is its own.
//
//   penalty_bench MODULE DB N [INDEX [AS_OF]]
// creates DB with N generated events when it does not exist yet (see
// generate()). INDEX: 'covering' (default) indexes violations(seller_id,
// occurred_at, code); 'pair' indexes (seller_id, occurred_at); 'none' adds
// no index. AS_OF defaults to the end of the data, Beijing time.
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "bench_db.hpp"

namespace {

const bench::Db kDb("penalty_bench");

[[noreturn]] void die(const std::string& msg) { kDb.die(msg); }
void exec(sqlite3* db, const std::string& sql) { kDb.exec(db, sql); }
sqlite3* open_db(const std::string& path, const std::string& module) { return kDb.open(path, module); }
std::string one_row(sqlite3* db, const std::string& sql, const std::vector<std::string>& binds = {}) {
    return kDb.one_row(db, sql, binds);
}

// N events, N/10 sellers, six codes, three years (2016-2018), in time order.
// Every seller has one event; the other 90% go to sellers drawn as
// floor(S * u^2): a heavy tail of repeat offenders (at 1M events the worst
// seller has about 2,900 events). Codes: mostly general violations,
// harassment 5%, severe harassment 0.05%.
void generate(const std::string& path, std::int64_t n, const std::string& module, const std::string& index) {
    std::remove(path.c_str());
    sqlite3* db = open_db(path, module);
    exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; SELECT penalty_install();");
    std::ifstream preset("tests/sql/fixtures/taobao-0.1.0.sql");  // frozen: runs stay comparable
    std::stringstream ss;
    ss << preset.rdbuf();
    exec(db, ss.str());
    exec(db, "CREATE TABLE violations(seller_id INTEGER NOT NULL, code TEXT NOT NULL, occurred_at TEXT NOT NULL)");
    const std::int64_t sellers = std::max<std::int64_t>(1, n / 10);
    std::mt19937_64 rng(20171201);
    auto unit = [&] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
    struct Row {
        std::int64_t at;
        std::int32_t seller;
        std::uint8_t code;
    };
    std::vector<Row> rows(static_cast<std::size_t>(n));
    const std::int64_t start = 1451606400, span = 3 * 365 * 86400;  // 2016-01-01, three years
    const char* codes[] = {"not_as_described", "broken_promise", "counterfeit", "leak_personal_info", "harassment",
                           "harassment_severe"};
    for (std::int64_t i = 0; i < n; ++i) {
        Row& r = rows[static_cast<std::size_t>(i)];
        r.at = start + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(span));
        const double u = unit();
        r.seller = static_cast<std::int32_t>(i < sellers ? i : static_cast<std::int64_t>(static_cast<double>(sellers) * u * u));
        const std::uint64_t c = rng() % 10000;
        r.code = c < 4000 ? 0 : c < 7000 ? 1 : c < 8500 ? 2 : c < 9495 ? 3 : c < 9995 ? 4 : 5;
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.at < b.at; });
    exec(db, "BEGIN");
    sqlite3_stmt* ins = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO violations VALUES (?, ?, datetime(?, 'unixepoch'))", -1, &ins, nullptr);
    for (const Row& r : rows) {
        sqlite3_bind_int64(ins, 1, r.seller + 1);
        sqlite3_bind_text(ins, 2, codes[r.code], -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 3, r.at);
        if (sqlite3_step(ins) != SQLITE_DONE) die(sqlite3_errmsg(db));
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    exec(db, "COMMIT");
    if (index == "covering") exec(db, "CREATE INDEX violations_seller ON violations(seller_id, occurred_at, code)");
    else if (index == "pair") exec(db, "CREATE INDEX violations_seller ON violations(seller_id, occurred_at)");
    else if (index != "none") die("INDEX must be covering, pair or none");
    exec(db, "ANALYZE");
    sqlite3_close(db);
}

using Result = bench::Db::Result;
template <class F>
Result in_child(F work) {
    return kDb.in_child(work);
}

std::string read_file(const std::string& path) {
    std::ifstream f(path);
    if (!f) die("cannot read " + path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) die("usage: penalty_bench MODULE DB N [INDEX [AS_OF]]");
    const std::string module = argv[1], path = argv[2];
    const std::int64_t n = std::atoll(argv[3]);
    const std::string index = argc > 4 ? argv[4] : "covering";
    const std::string as_of = argc > 5 ? argv[5] : "2018-12-31 23:59:59+08:00";
    if (access(path.c_str(), F_OK) != 0) {
        fmt::print("generating {} events into {} ...\n", n, path);
        const auto t0 = std::chrono::steady_clock::now();
        generate(path, n, module, index);
        fmt::print("generated in {:.1f} s\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    const std::string pure_sql = read_file("bench/standings.sql");

    // The baseline: a process that opens the database and loads the module.
    const Result idle = in_child([&] {
        sqlite3* db = open_db(path, module);
        std::string r = one_row(db, "SELECT count(*) FROM sqlite_master");
        sqlite3_close(db);
        return r;
    });
    const Result a = in_child([&] {
        sqlite3* db = open_db(path, module);
        std::string r = one_row(db, "SELECT count(*), sum(unixepoch(occurred_at)), sum(length(code)) FROM violations");
        sqlite3_close(db);
        return r;
    });
    const std::int64_t events = std::atoll(a.answer.c_str());
    const Result b = in_child([&] {
        sqlite3* db = open_db(path, module);
        std::string r = one_row(db,
                                "SELECT count(*), count(closure_at), sum(points) FROM "
                                "penalty_standings('taobao', 'violations', ?1)",
                                {as_of});
        sqlite3_close(db);
        return r;
    });
    const Result c = in_child([&] {
        sqlite3* db = open_db(path, module);
        std::string r = one_row(db, pure_sql, {as_of});
        sqlite3_close(db);
        return r;
    });

    // (d): a seller with about 100 events; median of 2,001 look-ups.
    sqlite3* db = open_db(path, module);
    const std::string seller = one_row(
        db, "SELECT seller_id FROM violations GROUP BY seller_id HAVING count(*) BETWEEN 95 AND 105 LIMIT 1");
    const std::string seller_events =
        seller.empty() ? "0" : one_row(db, "SELECT count(*) FROM violations WHERE seller_id = ?1", {seller});
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT points, closure_at FROM penalty_standings('taobao', 'violations', ?1) WHERE seller_id = ?2",
                       -1, &st, nullptr);
    std::vector<double> lookups;
    for (int k = 0; k < 2001 && !seller.empty(); ++k) {
        const auto t0 = std::chrono::steady_clock::now();
        sqlite3_bind_text(st, 1, as_of.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, std::atoll(seller.c_str()));
        while (sqlite3_step(st) == SQLITE_ROW) {}
        sqlite3_reset(st);
        lookups.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    }
    sqlite3_finalize(st);
    const std::string worst = one_row(db, "SELECT max(n) FROM (SELECT count(*) AS n FROM violations GROUP BY seller_id)");
    sqlite3_close(db);
    std::sort(lookups.begin(), lookups.end());
    const double median_us = lookups.empty() ? 0 : lookups[lookups.size() / 2];

    auto above = [&](const Result& r) { return (r.max_rss_kb - a.max_rss_kb) * 1024.0 / static_cast<double>(events); };
    fmt::print("events {}, sellers {}, largest seller {} events, index '{}', as_of '{}'\n", events,
               b.answer.substr(0, b.answer.find('|')), worst, index, as_of);
    fmt::print("(a) bare scan            {:8.3f} s  {:>12.0f} events/s  peak {:7.1f} MiB  [{}]\n", a.seconds,
               events / a.seconds, a.max_rss_kb / 1024.0, a.answer);
    fmt::print("(b) penalty_standings    {:8.3f} s  {:>12.0f} events/s  peak {:7.1f} MiB  [{}]\n", b.seconds,
               events / b.seconds, b.max_rss_kb / 1024.0, b.answer);
    fmt::print("(c) pure SQL windows     {:8.3f} s  {:>12.0f} events/s  peak {:7.1f} MiB  [{}]\n", c.seconds,
               events / c.seconds, c.max_rss_kb / 1024.0, c.answer);
    fmt::print("(d) one seller by index  {:8.1f} us median ({} events, seller {})\n", median_us, seller_events, seller);
    fmt::print("process baseline peak {:.1f} MiB\n", idle.max_rss_kb / 1024.0);
    fmt::print("ratios: b/a {:.2f}   c/b {:.1f}\n", b.seconds / a.seconds, c.seconds / b.seconds);
    fmt::print("memory above (a): (b) {:.1f} bytes/event, (c) {:.1f} bytes/event\n", above(b), above(c));
    const bool agree = b.answer == c.answer;
    fmt::print("(b) and (c) {}\n", agree ? "agree" : "DISAGREE");
    return agree ? 0 : 1;
}
