// source.hpp — what the thread tests share (test_threads.cpp,
// test_parallel_read.cpp): a source table of random events with mixed
// seller ids, its rules, the rows of a table-valued function, and the
// settings.
#pragma once

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

#include "db.hpp"
#include "penalty.h"

namespace capi {

// Two tracks, offences, a credit, thresholds that close.
inline const char* const kThreadRules =
    "SELECT penalty_install();"
    "INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days, description) VALUES('t','+08:00',365,NULL);"
    "INSERT INTO penalty_track(ruleset, track, period, period_days) VALUES('t','serious','year',NULL);"
    "INSERT INTO penalty_track(ruleset, track, period, period_days) VALUES('t','general','rolling',90);"
    "INSERT INTO penalty_violation(ruleset,code,track,points) VALUES('t','harassment','serious',12);"
    "INSERT INTO penalty_violation(ruleset,code,track,points) VALUES('t','late','general',2);"
    "INSERT INTO penalty_violation(ruleset,code,track,points) VALUES('t','fake','general',6);"
    "INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, closes) VALUES('t','serious',48,'seal_account',NULL,1);"
    "INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, closes) VALUES('t','general',12,'restrict_7d',7,0);"
    "INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, closes) VALUES('t','general',24,'restrict_14d',14,0);";

// A seller_id of seller k, of mixed storage classes: INTEGER, TEXT, REAL
// with a fraction, and REAL with a whole value (the same seller as the
// INTEGER: some of seller k's rows are k, others k.0).
inline void bind_seller(sqlite3_stmt* st, int col, int k, bool whole_real) {
    switch (k % 4) {
        case 0: whole_real ? sqlite3_bind_double(st, col, k) : sqlite3_bind_int64(st, col, k); break;
        case 1: sqlite3_bind_int64(st, col, k); break;
        case 2: {
            const std::string s = "s" + std::to_string(k);
            sqlite3_bind_text(st, col, s.c_str(), -1, SQLITE_TRANSIENT);
            break;
        }
        default: sqlite3_bind_double(st, col, k + 0.25); break;
    }
}

// Writes `path` afresh: the rules and the table events(seller_id, code,
// occurred_at, points, revoked_at) of `events` rows over `sellers` sellers,
// inserted in shuffled order (storage order is not seller order); with
// `bad_at` >= 0 the row inserted `bad_at`-th has an unknown code.
inline void make_source(const char* path, int events, int sellers, bool extras, int bad_at = -1) {
    std::remove(path);
    Db db(path);
    REQUIRE(sqlite3_penalty_init(db.db, nullptr, nullptr) == SQLITE_OK);
    db.exec(kThreadRules);
    db.exec(extras ? "CREATE TABLE events(seller_id, code TEXT, occurred_at, points, revoked_at)"
                   : "CREATE TABLE events(seller_id, code TEXT, occurred_at)");
    struct Row {
        int seller;
        bool whole_real;
        int code;
        std::int64_t at;
        int points;      // -1: NULL
        std::int64_t revoked;  // 0: NULL
    };
    std::mt19937_64 rng(20261129);
    auto below = [&](std::uint64_t n) { return static_cast<int>(rng() % n); };
    std::vector<Row> rows;
    rows.reserve(static_cast<std::size_t>(events));
    const std::int64_t t0 = 1451606400;  // 2016-01-01
    for (int k = 0; k < events; ++k) {
        Row r;
        r.seller = k < sellers ? k : below(static_cast<std::uint64_t>(sellers));  // every seller has a row
        r.whole_real = below(3) == 0;
        r.code = below(10);  // harassment 1 in 10, fake 3 in 10, late 6 in 10
        r.at = t0 + below(3 * 365) * 86400 + below(86400);
        r.points = extras && below(8) == 0 ? below(20) : -1;
        r.revoked = extras && below(10) == 0 ? r.at + below(200) * 86400 : 0;
        rows.push_back(r);
    }
    std::shuffle(rows.begin(), rows.end(), rng);
    db.exec("BEGIN");
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db.db,
                               extras ? "INSERT INTO events VALUES(?1, ?2, ?3, ?4, ?5)"
                                      : "INSERT INTO events VALUES(?1, ?2, ?3)",
                               -1, &st, nullptr) == SQLITE_OK);
    for (std::size_t k = 0; k < rows.size(); ++k) {
        const Row& r = rows[k];
        bind_seller(st, 1, r.seller, r.whole_real);
        const char* code = r.code == 0 ? "harassment" : r.code < 4 ? "fake" : "late";
        if (static_cast<int>(k) == bad_at) code = "spam";
        sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, r.at);
        if (extras) {
            if (r.points >= 0) sqlite3_bind_int(st, 4, r.points);
            else sqlite3_bind_null(st, 4);
            if (r.revoked) sqlite3_bind_int64(st, 5, r.revoked);
            else sqlite3_bind_null(st, 5);
        }
        REQUIRE(sqlite3_step(st) == SQLITE_DONE);
        REQUIRE(sqlite3_reset(st) == SQLITE_OK);
    }
    sqlite3_finalize(st);
    db.exec("COMMIT");
}

// SELECT * FROM `from` as one line of quote()d columns a row, in order;
// an error ends the list with "ERROR: message".
inline std::vector<std::string> rows_of(sqlite3* db, const std::string& from, int limit = -1) {
    sqlite3_stmt* st = nullptr;
    std::vector<std::string> out;
    // The column names, to quote() each.
    if (sqlite3_prepare_v2(db, ("SELECT * FROM " + from + " LIMIT 0").c_str(), -1, &st, nullptr) != SQLITE_OK) {
        out.push_back(std::string("ERROR: ") + sqlite3_errmsg(db));
        return out;
    }
    std::string cols;
    for (int c = 0; c < sqlite3_column_count(st); ++c)
        cols += std::string(c ? " || '|' || " : "") + "quote(\"" + sqlite3_column_name(st, c) + "\")";
    sqlite3_finalize(st);
    const std::string sql = "SELECT " + cols + " FROM " + from;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    int rc;
    while ((limit < 0 || static_cast<int>(out.size()) < limit) && (rc = sqlite3_step(st)) == SQLITE_ROW)
        out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    if (limit < 0 && rc != SQLITE_DONE) out.push_back(std::string("ERROR: ") + sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return out;
}

// Sets threads and read_strategy ("sort64k", "auto64k": with memory_budget
// 65536, so that a sort spills runs to a file).
inline void configure(Db& db, int threads, const std::string& strategy) {
    REQUIRE(db.one("SELECT penalty_config('threads', " + std::to_string(threads) + ")") == std::to_string(threads));
    const bool small = strategy.ends_with("64k");
    const std::string s = small ? strategy.substr(0, strategy.size() - 3) : strategy;
    REQUIRE(db.one("SELECT penalty_config('read_strategy', '" + s + "')") == s);
    const char* budget = small ? "65536" : "4294967296";
    REQUIRE(db.one(std::string("SELECT penalty_config('memory_budget', ") + budget + ")") == budget);
}

// Every setting of threads × strategies gives `expected` from `from` (the
// rows of one setting taken as the reference).
inline void check_settings(Db& db, const std::string& from, const std::vector<std::string>& expected,
                           std::initializer_list<int> threads, std::initializer_list<const char*> strategies) {
    for (int t : threads)
        for (const std::string strategy : strategies) {
            CAPTURE(t);
            CAPTURE(strategy);
            configure(db, t, strategy);
            const std::vector<std::string> got = rows_of(db.db, from);
            CHECK(got.size() == expected.size());
            CHECK((got == expected));
        }
}

// The two tables over the source `events`.
inline const char* const kStandings = "penalty_standings('t', 'events', '2018-06-30')";
inline const char* const kLedger = "penalty_ledger('t', 'events')";

}  // namespace capi
