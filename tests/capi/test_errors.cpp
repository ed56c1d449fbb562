// Errors the sqlite3 shell cannot stage, each with its exact text: a rule
// read or a copy while another connection holds the write lock (busy, not
// "run penalty_install()"), a copy on a read-only database, and the module
// loaded twice on one connection, by sqlite3_load_extension() and by the SQL
// function load_extension() (which runs inside a statement).
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <cstdio>
#include <string>

#include "db.hpp"
#include "penalty.h"

namespace {

using capi::Db;
using capi::kRules;

const std::string kBusyHint =
    "; another connection is writing to the database and holds its lock: retry when it has committed, or let "
    "SQLite wait for it with PRAGMA busy_timeout = 5000 (milliseconds)";

// A database file with the rules, written and closed.
void make_db(const char* path) {
    std::remove(path);
    Db d(path);
    REQUIRE(sqlite3_penalty_init(d.db, nullptr, nullptr) == SQLITE_OK);
    d.exec(kRules);
}

}  // namespace

TEST_CASE("a busy database is reported as busy, with what to do, not as missing rule tables") {
    const char* path = "capi_errors_busy.db";
    make_db(path);
    Db writer(path);
    writer.exec("BEGIN EXCLUSIVE");  // holds the write lock; readers get SQLITE_BUSY
    {
        // A new connection: its first read of the schema fails (the case
        // that used to say "run SELECT penalty_install() to create the rule
        // tables").
        Db d(path);
        REQUIRE(sqlite3_penalty_init(d.db, nullptr, nullptr) == SQLITE_OK);
        CHECK(d.one("SELECT penalty_copy_ruleset('taobao', 'taobao_copy')") ==
              "ERROR: penalty_copy_ruleset: reading rule table penalty_ruleset: database is locked" + kBusyHint);
        CHECK(d.one("SELECT penalty_points('taobao', 'harassment', '2017-06-01')") ==
              "ERROR: penalty_points: reading the data version: database is locked" + kBusyHint);
    }
    writer.exec("ROLLBACK");
    {
        // A connection that has read the schema before the lock.
        Db d(path);
        REQUIRE(sqlite3_penalty_init(d.db, nullptr, nullptr) == SQLITE_OK);
        REQUIRE(d.one("SELECT penalty_points('taobao', 'harassment', '2017-06-01')") == "12");
        writer.exec("BEGIN EXCLUSIVE");
        CHECK(d.one("SELECT penalty_copy_ruleset('taobao', 'taobao_copy')") ==
              "ERROR: penalty_copy_ruleset: reading penalty_ruleset: database is locked" + kBusyHint);
        writer.exec("ROLLBACK");
        // The writer gone, the same copy works.
        CHECK(d.one("SELECT penalty_copy_ruleset('taobao', 'taobao_copy')") == "4");
    }
    std::remove(path);
}

TEST_CASE("a copy on a read-only database says what it could not write and why") {
    const char* path = "capi_errors_readonly.db";
    make_db(path);
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_penalty_init(db, nullptr, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT penalty_copy_ruleset('taobao', 'taobao_copy')", -1, &st, nullptr) ==
            SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_READONLY);
    CHECK(std::string(sqlite3_errmsg(db)) ==
          "penalty_copy_ruleset: cannot write ruleset 'taobao_copy' (the copy of 'taobao') into penalty_ruleset: "
          "attempt to write a readonly database; the database is open read-only (or its file or directory is not "
          "writable): open a writable database, or a writable copy of it");
    sqlite3_finalize(st);
    sqlite3_close(db);
    std::remove(path);
}

TEST_CASE("loading twice on one connection is harmless, by the C function and by the SQL function") {
    Db d;
    REQUIRE(sqlite3_enable_load_extension(d.db, 1) == SQLITE_OK);
    for (int k = 0; k < 2; ++k) {
        char* err = nullptr;
        const int rc = sqlite3_load_extension(d.db, PENALTY_MODULE_PATH, nullptr, &err);
        INFO((err ? err : ""));
        sqlite3_free(err);
        REQUIRE(rc == SQLITE_OK);
    }
    // The settings of the first load are kept: the second load did nothing.
    d.exec("SELECT penalty_config('threads', 1)");
    const std::string load = std::string("SELECT load_extension('") + PENALTY_MODULE_PATH + "')";
    CHECK(d.one(load) == "NULL");  // inside a statement: SQLite could not redefine a function here
    CHECK(d.one(load) == "NULL");
    CHECK(d.one("SELECT penalty_config('threads')") == "1");
    CHECK(d.one("SELECT penalty_version()") == PENALTY_VERSION);
    d.exec(kRules);
    CHECK(d.one("SELECT penalty_points('taobao', 'harassment', '2017-06-01')") == "12");

    // A fresh connection: loaded first by the SQL function, then again.
    Db e;
    REQUIRE(sqlite3_enable_load_extension(e.db, 1) == SQLITE_OK);
    CHECK(e.one(load) == "NULL");
    CHECK(e.one(load) == "NULL");
    CHECK(e.one("SELECT penalty_version()") == PENALTY_VERSION);
}

TEST_CASE("the static library registered twice, then the module: one registration") {
    Db d;
    REQUIRE(sqlite3_penalty_init(d.db, nullptr, nullptr) == SQLITE_OK);
    d.exec("SELECT penalty_config('threads', 3)");
    REQUIRE(sqlite3_penalty_init(d.db, nullptr, nullptr) == SQLITE_OK);
    CHECK(d.one("SELECT penalty_config('threads')") == "3");
}

TEST_CASE("as an automatic extension, the check for an earlier load reads nothing at sqlite3_open") {
    // It reads no schema: opening a locked database works as without penalty,
    // and PRAGMA encoding still applies to a new database.
    const char* path = "capi_errors_auto.db";
    make_db(path);
    Db writer(path);
    writer.exec("BEGIN EXCLUSIVE");
    REQUIRE(sqlite3_auto_extension(reinterpret_cast<void (*)()>(sqlite3_penalty_init)) == SQLITE_OK);
    {
        sqlite3* db = nullptr;
        CHECK(sqlite3_open(path, &db) == SQLITE_OK);
        CHECK(sqlite3_errcode(db) == SQLITE_OK);
        sqlite3_close(db);
    }
    writer.exec("ROLLBACK");
    const char* fresh = "capi_errors_utf16.db";
    std::remove(fresh);
    {
        Db d(fresh);
        d.exec("PRAGMA encoding = 'UTF-16le'; CREATE TABLE t(x)");
        CHECK(d.one("PRAGMA encoding") == "UTF-16le");
        CHECK(d.one("SELECT penalty_version()") == PENALTY_VERSION);
    }
    sqlite3_reset_auto_extension();
    std::remove(fresh);
    std::remove(path);
}
