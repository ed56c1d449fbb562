// links_bench.cpp — the linked-sellers benchmark (bench/README.md, "Links").
//
//   penalty_links_bench MODULE EVENTS_DB LINKS_DB [ROWS [CTE_ROWS]]
//
// LINKS_DB is made once (when missing) as a copy of EVENTS_DB (the events
// database of penalty_bench, N events, table violations) plus a table
// links(seller_id, entity) of ROWS rows (default 1,000,000) over ROWS/2
// sellers, indexed on seller_id and on entity, and a table small_links of
// CTE_ROWS rows (default 20,000) made the same way. Generation (fixed seed):
// seller s has two rows; the first is its own phone (TEXT 'p<s>', unique)
// with probability 0.8, else a device shared with others (INTEGER, drawn
// from ROWS/5 devices); the second a device drawn from ROWS/5 devices; one
// row in 100 has a NULL entity. Measures, each in a forked process:
//   (i)   the bare scan of links
//   (ii)  SELECT count(*), count(DISTINCT cluster) FROM penalty_clusters('links')
//   (iii) the recursive-CTE components (tests/sql/links.test) and
//         penalty_clusters on small_links
//   (iv)  penalty_standings at N events, without links, with links, and with
//         links for a prior_scope 'cluster', link_closes 1 copy of taobao
//   (v)   one seller with links by pushdown (median of 2,001 look-ups)
//   (vi)  the largest cluster's sellers by pushdown, each once (at most
//         501 of them, evenly spread), with `links` and with `links_ready`:
//         the clusters kept ready (docs/reference.md, "Clusters kept
//         ready"), made on the first run from penalty_clusters('links') as
//         (seller_id, entity = its cluster), indexed on both
//   (vii) standings with links at threads 1 (no worker) and 2
// ROWS = 10,000,000 is the opt-in scale run (bench/README.md, "Links").
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "bench_db.hpp"

namespace {

const bench::Db kDb("penalty_links_bench");

[[noreturn]] void die(const std::string& msg) { kDb.die(msg); }
void exec(sqlite3* db, const std::string& sql) { kDb.exec(db, sql); }
sqlite3* open_db(const std::string& path, const std::string& module) { return kDb.open(path, module); }
std::string one_row(sqlite3* db, const std::string& sql, const std::vector<std::string>& binds = {}) {
    return kDb.one_row(db, sql, binds);
}

void fill_links(sqlite3* db, const std::string& table, std::int64_t rows, std::uint64_t seed) {
    exec(db, fmt::format("CREATE TABLE {}(seller_id, entity)", table));
    std::mt19937_64 rng(seed);
    const std::int64_t sellers = rows / 2, devices = std::max<std::int64_t>(1, rows / 5);
    sqlite3_stmt* ins = nullptr;
    sqlite3_prepare_v2(db, fmt::format("INSERT INTO {} VALUES (?, ?)", table).c_str(), -1, &ins, nullptr);
    exec(db, "BEGIN");
    for (std::int64_t s = 1; s <= sellers; ++s) {
        for (int k = 0; k < 2; ++k) {
            sqlite3_bind_int64(ins, 1, s);
            if (rng() % 100 == 0) sqlite3_bind_null(ins, 2);
            else if (k == 0 && rng() % 10 < 8) sqlite3_bind_text(ins, 2, fmt::format("p{}", s).c_str(), -1, SQLITE_TRANSIENT);
            else sqlite3_bind_int64(ins, 2, 1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(devices)));
            if (sqlite3_step(ins) != SQLITE_DONE) die(sqlite3_errmsg(db));
            sqlite3_reset(ins);
        }
    }
    exec(db, "COMMIT");
    sqlite3_finalize(ins);
    exec(db, fmt::format("CREATE INDEX {0}_seller ON {0}(seller_id); CREATE INDEX {0}_entity ON {0}(entity)", table));
}

using Result = bench::Db::Result;
template <class F>
Result in_child(F work) {
    return kDb.in_child(work);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) die("usage: penalty_links_bench MODULE EVENTS_DB LINKS_DB [ROWS [CTE_ROWS]]");
    const std::string module = argv[1], events_db = argv[2], path = argv[3];
    const std::int64_t rows = argc > 4 ? std::atoll(argv[4]) : 1000000;
    const std::int64_t cte_rows = argc > 5 ? std::atoll(argv[5]) : 20000;
    const std::string as_of = "2018-12-31 23:59:59+08:00";
    if (access(path.c_str(), F_OK) != 0) {
        fmt::print("generating {} link rows into {} (a copy of {}) ...\n", rows, path, events_db);
        std::filesystem::copy_file(events_db, path);
        sqlite3* db = open_db(path, module);
        exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF");
        one_row(db, "SELECT penalty_install()");  // rule tables of an older release: upgraded
        fill_links(db, "links", rows, 20261129);
        fill_links(db, "small_links", cte_rows, 7);
        // taobao with the prior record across a cluster and closures through links.
        exec(db,
             "INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days, description, prior_scope, link_closes)"
             " SELECT 'taobao_cluster', tz_offset, repeat_days, description, 'cluster', 1 FROM penalty_ruleset WHERE ruleset = 'taobao';"
             "INSERT INTO penalty_track(ruleset, track, period, period_days) SELECT 'taobao_cluster', track, period, period_days FROM penalty_track WHERE ruleset = 'taobao';"
             "INSERT INTO penalty_violation(ruleset, code, valid_from, track, points, closes, min_prior)"
             " SELECT 'taobao_cluster', code, valid_from, track, points, closes, min_prior FROM penalty_violation WHERE ruleset = 'taobao';"
             "INSERT INTO penalty_repeat(ruleset, code, nth, points) SELECT 'taobao_cluster', code, nth, points FROM penalty_repeat WHERE ruleset = 'taobao';"
             "INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, closes)"
             " SELECT 'taobao_cluster', track, points, sanction, days, closes FROM penalty_threshold WHERE ruleset = 'taobao';"
             "INSERT INTO penalty_level SELECT 'taobao_cluster', min_credit, label FROM penalty_level WHERE ruleset = 'taobao';"
             "ANALYZE");
        sqlite3_close(db);
    }
    auto run = [&](const std::string& sql, const std::vector<std::string>& binds = {}) {
        return in_child([&] {
            sqlite3* db = open_db(path, module);
            std::string r = one_row(db, sql, binds);
            sqlite3_close(db);
            return r;
        });
    };
    const Result idle = run("SELECT count(*) FROM sqlite_master");
    const Result scan = run("SELECT count(*), count(entity), sum(seller_id) FROM links");
    const Result clusters = run("SELECT count(*), count(DISTINCT cluster) FROM penalty_clusters('links')");
    const Result clusters_count = run("SELECT count(*), sum(size) FROM penalty_clusters('links')");
    const std::string cte =
        "WITH RECURSIVE reach(s, t) AS ("
        " SELECT seller_id, seller_id FROM small_links WHERE entity IS NOT NULL"
        " UNION"
        " SELECT r.s, l2.seller_id FROM reach r JOIN small_links l1 ON l1.seller_id = r.t AND l1.entity IS NOT NULL"
        " JOIN small_links l2 ON l2.entity = l1.entity),"
        " cte AS (SELECT s AS seller_id, min(t) AS cluster FROM reach GROUP BY s)"
        " SELECT count(*), count(DISTINCT cluster) FROM cte";
    const Result small_cte = run(cte);
    const Result small_scan = run("SELECT count(*), count(entity), sum(seller_id) FROM small_links");
    const Result small_clusters = run("SELECT count(*), count(DISTINCT cluster) FROM penalty_clusters('small_links')");
    const std::string q = "SELECT count(*), count(closure_at), sum(points), count(linked_closure_at) FROM penalty_standings";
    const Result without = run(q + "('taobao', 'violations', ?1)", {as_of});
    const Result with = run(q + "('taobao', 'violations', ?1, 'links')", {as_of});
    const Result with_cluster = run(q + "('taobao_cluster', 'violations', ?1, 'links')", {as_of});
    auto run_threads = [&](int threads, const std::string& sql) {
        return in_child([&] {
            sqlite3* db = open_db(path, module);
            one_row(db, fmt::format("SELECT penalty_config('threads', {})", threads));
            std::string r = one_row(db, sql, {as_of});
            sqlite3_close(db);
            return r;
        });
    };
    const Result with_1 = run_threads(1, q + "('taobao', 'violations', ?1, 'links')");
    const Result with_2 = run_threads(2, q + "('taobao', 'violations', ?1, 'links')");
    const Result without_1 = run_threads(1, q + "('taobao', 'violations', ?1)");

    // (v) one seller with links, by pushdown: sellers with events, median of 2,001.
    sqlite3* db = open_db(path, module);
    const std::string biggest = one_row(db, "SELECT max(size), sum(size = 1) FROM (SELECT DISTINCT cluster, size FROM penalty_clusters('links'))");
    std::vector<double> lookups, lookups_plain;
    std::int64_t cluster_sum = 0;
    for (const char* links_arg : {", 'links'", ""}) {
        sqlite3_stmt* st = nullptr;
        const std::string sql = fmt::format(
            "SELECT points, closure_at, cluster FROM penalty_standings('taobao', 'violations', ?1{}) WHERE seller_id = ?2", links_arg);
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) die(sqlite3_errmsg(db));
        std::mt19937_64 rng(11);
        auto& out = *links_arg ? lookups : lookups_plain;
        for (int k = 0; k < 2001; ++k) {
            const std::int64_t seller = 1 + static_cast<std::int64_t>(rng() % 100000);  // sellers with events
            const auto t0 = std::chrono::steady_clock::now();
            sqlite3_bind_text(st, 1, as_of.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, seller);
            while (sqlite3_step(st) == SQLITE_ROW) cluster_sum += sqlite3_column_int64(st, 2);
            sqlite3_reset(st);
            out.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
        }
        sqlite3_finalize(st);
    }

    // (vi) the largest cluster, each of its sellers once, with the links and
    // with the clusters kept ready (made here on the first run).
    if (one_row(db, "SELECT count(*) FROM sqlite_master WHERE name = 'links_ready'") == "0") {
        const auto t0 = std::chrono::steady_clock::now();
        exec(db, "CREATE TABLE links_ready AS SELECT seller_id, cluster AS entity FROM penalty_clusters('links');"
                 "CREATE INDEX links_ready_seller ON links_ready(seller_id);"
                 "CREATE INDEX links_ready_entity ON links_ready(entity); ANALYZE links_ready");
        fmt::print("made links_ready from penalty_clusters('links') in {:.3f} s\n",
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    std::vector<std::string> big;
    {
        sqlite3_stmt* st = nullptr;
        const char* sql = "SELECT seller_id FROM penalty_clusters('links') WHERE cluster ="
                          " (SELECT cluster FROM penalty_clusters('links') ORDER BY size DESC, cluster LIMIT 1)";
        if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) die(sqlite3_errmsg(db));
        while (sqlite3_step(st) == SQLITE_ROW) big.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
        sqlite3_finalize(st);
    }
    const std::size_t cluster_size = big.size();
    if (big.size() > 501) {  // at most 501 of its sellers, evenly spread
        std::vector<std::string> some;
        for (std::size_t k = 0; k < 501; ++k) some.push_back(big[k * (big.size() - 1) / 500]);
        big = std::move(some);
    }
    std::vector<double> big_links, big_ready;
    std::string big_answers[2];
    for (const char* links_name : {"links", "links_ready"}) {
        const bool ready = std::string(links_name) == "links_ready";
        sqlite3_stmt* st = nullptr;
        const std::string sql = fmt::format(
            "SELECT points, closure_at, cluster, linked_closure_at FROM penalty_standings('taobao', 'violations', ?1, '{}')"
            " WHERE seller_id = ?2", links_name);
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) die(sqlite3_errmsg(db));
        auto& out = ready ? big_ready : big_links;
        for (const std::string& seller : big) {
            const auto t0 = std::chrono::steady_clock::now();
            sqlite3_bind_text(st, 1, as_of.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, std::atoll(seller.c_str()));
            while (sqlite3_step(st) == SQLITE_ROW)
                for (int c = 0; c < 4; ++c) {
                    const unsigned char* t = sqlite3_column_text(st, c);
                    big_answers[ready] += t ? reinterpret_cast<const char*>(t) : "NULL";
                    big_answers[ready] += c == 3 ? '\n' : '|';
                }
            if (sqlite3_errcode(db) != SQLITE_OK && sqlite3_errcode(db) != SQLITE_DONE) die(sqlite3_errmsg(db));
            sqlite3_reset(st);
            out.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
        }
        sqlite3_finalize(st);
    }
    if (big_answers[0] != big_answers[1]) die("(vi): links_ready gives other standings than links for the largest cluster");
    sqlite3_close(db);
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    auto p99 = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() * 99 / 100];
    };

    const double link_rows = static_cast<double>(std::atoll(scan.answer.c_str()));
    auto per_row = [&](const Result& r, const Result& base, double n) { return (r.max_rss_kb - base.max_rss_kb) * 1024.0 / n; };
    fmt::print("links: {} rows, largest cluster {} sellers, {} singleton clusters\n", scan.answer, biggest.substr(0, biggest.find('|')),
               biggest.substr(biggest.find('|') + 1));
    fmt::print("(i)   bare scan of links           {:8.3f} s  peak {:7.1f} MiB  [{}]\n", scan.seconds, scan.max_rss_kb / 1024.0, scan.answer);
    fmt::print("(ii)  penalty_clusters count/distinct {:8.3f} s  peak {:7.1f} MiB  [{}]\n", clusters.seconds,
               clusters.max_rss_kb / 1024.0, clusters.answer);
    fmt::print("      penalty_clusters count/sum   {:8.3f} s  peak {:7.1f} MiB  [{}]\n", clusters_count.seconds,
               clusters_count.max_rss_kb / 1024.0, clusters_count.answer);
    fmt::print("      ratio (ii)/(i) {:.2f} (count/sum: {:.2f}); memory above the scan: {:.1f} B/link row (count/sum: {:.1f})\n",
               clusters.seconds / scan.seconds, clusters_count.seconds / scan.seconds, per_row(clusters, scan, link_rows),
               per_row(clusters_count, scan, link_rows));
    fmt::print("(iii) at {} rows: scan {:.4f} s, penalty_clusters {:.4f} s [{}], recursive CTE {:.3f} s [{}]: CTE/clusters {:.0f}x\n",
               cte_rows, small_scan.seconds, small_clusters.seconds, small_clusters.answer, small_cte.seconds, small_cte.answer,
               small_cte.seconds / small_clusters.seconds);
    fmt::print("(iv)  standings without links      {:8.3f} s  peak {:7.1f} MiB  [{}]\n", without.seconds, without.max_rss_kb / 1024.0,
               without.answer);
    fmt::print("      standings with links         {:8.3f} s  peak {:7.1f} MiB  [{}]  ratio {:.2f}\n", with.seconds,
               with.max_rss_kb / 1024.0, with.answer, with.seconds / without.seconds);
    fmt::print("      with links, prior_scope cluster, link_closes 1 {:8.3f} s  peak {:7.1f} MiB  [{}]  ratio {:.2f}\n",
               with_cluster.seconds, with_cluster.max_rss_kb / 1024.0, with_cluster.answer, with_cluster.seconds / without.seconds);
    fmt::print("(v)   one seller by pushdown: with links {:.1f} us median, {:.1f} us p99; without links {:.1f} us median\n",
               median(lookups), p99(lookups), median(lookups_plain));
    fmt::print("(vi)  largest cluster ({} sellers), {} of its sellers by pushdown: links {:.1f} us median, {:.1f} us p99;"
               " links_ready {:.1f} us median, {:.1f} us p99 (the same rows)\n",
               cluster_size, big.size(), median(big_links), p99(big_links), median(big_ready), p99(big_ready));
    fmt::print("(vii) with links, threads 1 {:8.3f} s [{}]; threads 2 {:8.3f} s [{}]; without links, threads 1 {:8.3f} s\n",
               with_1.seconds, with_1.answer, with_2.seconds, with_2.answer, without_1.seconds);
    if (with_1.answer != with.answer || with_2.answer != with.answer) die("(vii): threads 1 and 2 disagree with links");
    fmt::print("process baseline peak {:.1f} MiB (checksum {})\n", idle.max_rss_kb / 1024.0, cluster_sum);
    return 0;
}
