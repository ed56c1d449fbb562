// Loading the extension through SQLite's C API: the loadable module with
// sqlite3_load_extension, the static library with sqlite3_auto_extension, a
// second load, the refusal of an old SQLite, and penalty_install on a
// read-only database. Each check runs real SQL and compares exact text.
#include <dlfcn.h>
#include <doctest/doctest.h>
#include <sqlite3.h>
#define SQLITE_CORE 1     // the sqlite3_api_routines type, without its macros
#include <sqlite3ext.h>

#include <cstdio>
#include <string>

#include "db.hpp"
#include "penalty.h"

namespace {

using capi::Db;
using capi::kRules;

void check_basics(Db& d) {
    CHECK(d.one("SELECT penalty_version()") == PENALTY_VERSION);
    d.exec(kRules);
    CHECK(d.one("SELECT penalty_points('taobao','harassment','2017-06-01')") == "12");
    d.exec("CREATE TABLE v(seller_id, code, occurred_at);"
           "INSERT INTO v VALUES(1,'harassment','2017-03-01 12:00'),(1,'harassment','2017-04-01 12:00'),"
           "(1,'harassment','2017-05-01 12:00'),(1,'harassment','2017-06-01 12:00');");
    CHECK(d.one("SELECT penalty_closure('taobao', code, occurred_at, '2017-06-30') FROM v GROUP BY seller_id") ==
          "2017-06-01 12:00:00");
    CHECK(d.one("SELECT closure_at FROM penalty_standings('taobao','v','2017-06-30')") == "2017-06-01 12:00:00");
}

}  // namespace

TEST_CASE("the loadable module loads with sqlite3_load_extension") {
    Db d;
    REQUIRE(sqlite3_enable_load_extension(d.db, 1) == SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_load_extension(d.db, PENALTY_MODULE_PATH, nullptr, &err);
    INFO((err ? err : ""));
    sqlite3_free(err);
    REQUIRE(rc == SQLITE_OK);
    check_basics(d);
}

TEST_CASE("the static library registers with sqlite3_auto_extension") {
    REQUIRE(sqlite3_auto_extension(reinterpret_cast<void (*)()>(sqlite3_penalty_init)) == SQLITE_OK);
    {
        Db d;
        check_basics(d);
    }
    sqlite3_reset_auto_extension();
    Db plain;
    CHECK(plain.one("SELECT penalty_version()") == "ERROR: no such function: penalty_version");
}

TEST_CASE("a connection's functions outlive a second load and close cleanly") {
    Db d;
    REQUIRE(sqlite3_penalty_init(d.db, nullptr, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_penalty_init(d.db, nullptr, nullptr) == SQLITE_OK);
    CHECK(d.one("SELECT penalty_version()") == PENALTY_VERSION);
}

TEST_CASE("the module refuses an SQLite older than 3.34.0, saying so") {
    // The module only reads the version through the API table it is given:
    // a table whose libversion_number answers 3.33.0 stands for an old SQLite.
    void* handle = dlopen(PENALTY_MODULE_PATH, RTLD_NOW | RTLD_LOCAL);
    REQUIRE(handle != nullptr);
    using Init = int (*)(sqlite3*, char**, const sqlite3_api_routines*);
    auto init = reinterpret_cast<Init>(dlsym(handle, "sqlite3_penalty_init"));
    REQUIRE(reinterpret_cast<void*>(init) != nullptr);
    static sqlite3_api_routines old_api{};
    old_api.libversion_number = [] { return 3033000; };
    old_api.libversion = [] { return "3.33.0"; };
    old_api.mprintf = sqlite3_mprintf;
    Db d;
    char* err = nullptr;
    CHECK(init(d.db, &err, &old_api) == SQLITE_ERROR);
    REQUIRE(err != nullptr);
    CHECK(std::string(err) == "penalty: SQLite 3.33.0 is too old; penalty needs SQLite 3.34.0 or newer");
    sqlite3_free(err);
    CHECK(d.one("SELECT penalty_version()") == "ERROR: no such function: penalty_version");
    dlclose(handle);
}

TEST_CASE("penalty_install on a read-only database says why it failed") {
    const char* path = "capi_loading_readonly.db";
    std::remove(path);
    { Db create(path); create.exec("CREATE TABLE t(x)"); }
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_penalty_init(db, nullptr, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT penalty_install()", -1, &st, nullptr) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_READONLY);
    CHECK(std::string(sqlite3_errmsg(db)) ==
          "penalty_install: creating the rule tables: attempt to write a readonly database; the database is open "
          "read-only (or its file or directory is not writable): open a writable database, or a writable copy of it");
    sqlite3_finalize(st);
    sqlite3_close(db);
    std::remove(path);
}
