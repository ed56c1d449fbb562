// The rules cache: the functions see every change of the rule tables, made
// by this connection (inside a transaction, undone by ROLLBACK or ROLLBACK
// TO) or committed by another connection.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <cstdio>

#include "db.hpp"
#include "penalty.h"

using capi::Db;
using capi::kRules;

TEST_CASE("the rules cache sees changes from this and from other connections") {
    const char* path = "capi_rules_cache.db";
    std::remove(path);
    Db a(path), b(path);
    REQUIRE(sqlite3_penalty_init(a.db, nullptr, nullptr) == SQLITE_OK);
    a.exec(kRules);
    // The points connection `a` sees for harassment.
    auto points = [&] { return a.one("SELECT penalty_points('taobao','harassment','2017-06-01')"); };
    CHECK(points() == "12");
    // This connection, inside a transaction:
    a.exec("BEGIN; UPDATE penalty_violation SET points = 6;");
    CHECK(points() == "6");
    a.exec("ROLLBACK");
    CHECK(points() == "12");
    // Another connection that commits:
    b.exec("UPDATE penalty_violation SET points = 7");
    CHECK(points() == "7");
    CHECK(b.one("UPDATE penalty_track SET period = 'decade'") ==
          "ERROR: CHECK constraint failed: period IN ('year', 'quarter', 'month', 'rolling', 'lifetime', 'cycle')");
    b.exec("PRAGMA ignore_check_constraints = ON; UPDATE penalty_track SET period = 'decade'");
    CHECK(points() ==
          "ERROR: penalty_points: ruleset 'taobao': penalty_track row (track 'serious'): period is 'decade'; "
          "expected 'year', 'quarter', 'month', 'rolling', 'lifetime' or 'cycle'");
    b.exec("UPDATE penalty_track SET period = 'year'");
    // ROLLBACK TO a savepoint, and a new write transaction right after a rollback:
    a.exec("BEGIN; SAVEPOINT s; UPDATE penalty_violation SET points = 1;");
    CHECK(points() == "1");
    a.exec("ROLLBACK TO s");
    CHECK(points() == "7");
    a.exec("UPDATE penalty_violation SET points = 2;");
    CHECK(points() == "2");
    a.exec("ROLLBACK; BEGIN IMMEDIATE;");
    CHECK(points() == "7");
    a.exec("COMMIT");
    std::remove(path);
}
