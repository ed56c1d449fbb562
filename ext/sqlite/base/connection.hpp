// connection.hpp — the per-connection state: the rules cache and the
// settings of penalty_config (settings.hpp).
//
// One Connection is created per sqlite3* by the entry point and passed as
// the user-data pointer of every function and module it registers (never a
// global). It is reference-counted: each registration holds one reference
// and SQLite's destructor callbacks release them, so it lives exactly as
// long as the last function or module of the connection.
//
// Cache validity. Outside an explicit transaction a compiled ruleset is
// reused while the key
//   (data version of "main", data version of "temp", sqlite3_total_changes,
//    autocommit)
// is unchanged: SQLITE_FCNTL_DATA_VERSION changes on every commit, by this
// connection or any other; total_changes on every statement of this
// connection that writes rows. Inside an explicit transaction (BEGIN ...)
// uncommitted edits can be undone by ROLLBACK or ROLLBACK TO, which move
// neither counter, so there the rule rows are read again at each use and
// compared with the cached rows (compilation is still skipped when they are
// equal). Rules kept in an ATTACHED database and changed by another
// connection are not seen: keep rules in main (or temp).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>

#include "core/rules_compile.hpp"
#include "core/settings.hpp"
#include "sqlite/base/sqlite_api.hpp"

namespace penalty::glue {

class Connection {
public:
    explicit Connection(sqlite3* db) : db_(db) {}

    sqlite3* db() const { return db_; }

    // The compiled ruleset; throws Error("ruleset 'R': <table> row (...): ...")
    // when it is invalid, Error("unknown ruleset 'R'; the rulesets are ...")
    // when penalty_ruleset has no row R, SqliteError when the rule tables
    // cannot be read.
    std::shared_ptr<const Ruleset> ruleset(std::string_view name);

    // The compile result with every problem (for penalty_check).
    const Compiled& compiled(std::string_view name);

    // penalty_config's settings of this connection.
    Settings& settings() { return settings_; }

    void retain() { refs_.fetch_add(1); }
    static void release(void* self);  // an xDestroy callback

private:
    struct Key {
        unsigned main_version = 0, temp_version = 0;
        sqlite3_int64 changes = -1;
        int autocommit = -1;
        bool operator==(const Key&) const = default;
    };
    struct Entry {
        RawRules raw;
        Compiled compiled;
    };
    Key current_key() const;  // throws SqliteError
    Entry& entry(std::string_view name);  // the cached or freshly read rules

    sqlite3* db_;
    std::atomic<int> refs_{0};
    Key key_;
    std::map<std::string, Entry, std::less<>> cache_;
    Settings settings_;
};

}  // namespace penalty::glue
