// db.hpp — a connection for the C API tests, and a small Taobao ruleset.
#pragma once

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <string>

namespace capi {

struct Db {
    sqlite3* db = nullptr;
    explicit Db(const char* path = ":memory:") { REQUIRE(sqlite3_open(path, &db) == SQLITE_OK); }
    ~Db() { sqlite3_close(db); }
    // The first column of the first row as text, or "ERROR: message".
    std::string one(const std::string& sql) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
            return std::string("ERROR: ") + sqlite3_errmsg(db);
        std::string out;
        const int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            const unsigned char* t = sqlite3_column_text(st, 0);
            out = t ? reinterpret_cast<const char*>(t) : "NULL";
        } else if (rc != SQLITE_DONE) {
            out = std::string("ERROR: ") + sqlite3_errmsg(db);
        }
        sqlite3_finalize(st);
        return out;
    }
    void exec(const std::string& sql) {
        char* err = nullptr;
        const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
        INFO(sql << " -> " << (err ? err : ""));
        sqlite3_free(err);
        REQUIRE(rc == SQLITE_OK);
    }
};

// The rule tables and one ruleset: harassment 12 points, 48 closes.
inline const char* const kRules =
    "SELECT penalty_install();"
    "INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days, description) VALUES('taobao','+08:00',365,NULL);"
    "INSERT INTO penalty_track(ruleset, track, period, period_days) VALUES('taobao','serious','year',NULL);"
    "INSERT INTO penalty_violation(ruleset,code,track,points) VALUES('taobao','harassment','serious',12);"
    "INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, closes) VALUES('taobao','serious',48,'seal_account',NULL,1);";

}  // namespace capi
