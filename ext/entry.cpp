// entry.cpp — the extension's entry point, sqlite3_penalty_init, and the one
// list of every SQL object it registers.
//
// To add a scalar or aggregate function: write its callbacks in
// sqlite/functions/ and add one row to kFunctions. To add a table-valued
// function: write sqlite/tables/<name>.cpp (see sqlite/tables/vtab.hpp) and
// add one line to PENALTY_TABLES. The API surface test
// (tests/sql/api_surface.test) lists what SQLite then sees.
//
// sqlite3_penalty_init checks the SQLite version, creates the per-connection
// state (sqlite/base/connection.hpp) and registers everything below. It is
// the only symbol the loadable module exports. Loadable build:
// SQLITE_EXTENSION_INIT1/2 set up the API table pointer; static build
// (SQLITE_CORE): those macros are empty and calls are direct.
//
// Flags. Every function but the three that write (penalty_install,
// penalty_copy_ruleset and the two-argument penalty_config) is
// SQLITE_INNOCUOUS: it reads only the rule tables and sources of this
// connection, which a view's author could select directly, and has no side effect; so reporting views keep
// working with trusted_schema=OFF. None is SQLITE_DETERMINISTIC but
// penalty_version: answers change when the rules are edited, so they must
// not be used in indexes or generated columns. penalty_install (the schema)
// and penalty_copy_ruleset (rule rows) write, and penalty_config(name, value)
// changes the connection's settings: all three are SQLITE_DIRECTONLY,
// never from a view or trigger, where a read would write.
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include <new>

#include "penalty.h"  // generated: build/include/penalty.h
#include "sqlite/base/connection.hpp"
#include "sqlite/base/registered.hpp"
#include "sqlite/functions/aggregate.hpp"
#include "sqlite/functions/scalar.hpp"

// Every table-valued function: its SQL name and the module its file in
// sqlite/tables/ defines (`extern const sqlite3_module kXModule = table_module<X>();`).
#define PENALTY_TABLES(X)                                                \
    X("penalty_check", kCheckModule)         /* tables/check.cpp */     \
    X("penalty_ledger", kLedgerModule)       /* tables/ledger.cpp */    \
    X("penalty_standings", kStandingsModule) /* tables/standings.cpp */ \
    X("penalty_clusters", kClustersModule)   /* tables/clusters.cpp */

namespace penalty::glue {

#define PENALTY_DECLARE_MODULE(name, module) extern const sqlite3_module module;
PENALTY_TABLES(PENALTY_DECLARE_MODULE)
#undef PENALTY_DECLARE_MODULE

namespace {

constexpr int kReads = SQLITE_UTF8 | SQLITE_INNOCUOUS;
constexpr int kConstant = SQLITE_UTF8 | SQLITE_INNOCUOUS | SQLITE_DETERMINISTIC;
constexpr int kWrites = SQLITE_UTF8 | SQLITE_DIRECTONLY;

struct FunctionDef {
    const char* name;
    int nargs;
    int flags;
    ScalarCallback scalar;           // a scalar function, or
    const WindowCallbacks* window;   // an aggregate that is also a window function
};

const FunctionDef kFunctions[] = {
    {"penalty_version", 0, kConstant, fn_version, nullptr},
    {"penalty_install", 0, kWrites, fn_install, nullptr},
    {"penalty_copy_ruleset", 2, kWrites, fn_copy_ruleset, nullptr},
    {"penalty_points", 3, kReads, fn_points, nullptr},
    {"penalty_level", 2, kReads, fn_level, nullptr},
    {"penalty_total", 4, kReads, nullptr, &kTotalCallbacks},
    {"penalty_total", 5, kReads, nullptr, &kTotalCallbacks},  // 5th argument: a track
    {"penalty_repeats", 4, kReads, nullptr, &kRepeatsCallbacks},
    {"penalty_closure", 4, kReads, nullptr, &kClosureCallbacks},
    {"penalty_standing", 4, kReads, nullptr, &kStandingCallbacks},
    {"penalty_config", 1, kReads, fn_config, nullptr},    // a setting's value (settings.hpp)
    {"penalty_config", 2, kWrites, fn_config, nullptr},   // sets it: not from views or triggers
    {"penalty_read_plan", 1, kReads, fn_read_plan, nullptr},
};

struct TableDef {
    const char* name;
    const sqlite3_module* module;
};

#define PENALTY_TABLE_ROW(name, module) {name, &module},
const TableDef kTables[] = {PENALTY_TABLES(PENALTY_TABLE_ROW)};
#undef PENALTY_TABLE_ROW

// The destructor of a Registered: SQLite calls it when the function or
// module is dropped or the connection closes, and also when registering
// fails.
void unregister(void* p) {
    auto* r = static_cast<Registered*>(p);
    Connection::release(r->conn);
    delete r;
}

// A new Registered holding one reference to conn, or nullptr.
Registered* make_registered(Connection* conn, const char* name) {
    auto* r = new (std::nothrow) Registered{conn, name};
    if (r) conn->retain();
    return r;
}

// Registers every function and table-valued function on db. Returns
// SQLITE_OK, or the first failure's code with *failed set to the SQL name of
// the object that failed.
int register_all(sqlite3* db, Connection* conn, const char** failed) {
    for (const FunctionDef& f : kFunctions) {
        *failed = f.name;
        Registered* r = make_registered(conn, f.name);
        if (!r) return SQLITE_NOMEM;
        const int rc = f.window ? sqlite3_create_window_function(db, f.name, f.nargs, f.flags, r, f.window->step,
                                                                 f.window->final, f.window->value,
                                                                 f.window->inverse, unregister)
                                : sqlite3_create_function_v2(db, f.name, f.nargs, f.flags, r, f.scalar, nullptr,
                                                             nullptr, unregister);
        if (rc != SQLITE_OK) return rc;
    }
    for (const TableDef& t : kTables) {
        *failed = t.name;
        Registered* r = make_registered(conn, t.name);
        if (!r) return SQLITE_NOMEM;
        const int rc = sqlite3_create_module_v2(db, t.name, t.module, r, unregister);
        if (rc != SQLITE_OK) return rc;
    }
    *failed = nullptr;
    return SQLITE_OK;
}

}  // namespace

}  // namespace penalty::glue

using penalty::glue::Connection;
using penalty::glue::register_all;

extern "C" __attribute__((visibility("default"))) int sqlite3_penalty_init(sqlite3* db, char** pzErrMsg,
                                                                           const sqlite3_api_routines* pApi) {
    SQLITE_EXTENSION_INIT2(pApi);
    (void)pApi;
    if (sqlite3_libversion_number() < PENALTY_MIN_SQLITE_VERSION_NUMBER) {
        if (pzErrMsg)
            *pzErrMsg = sqlite3_mprintf("penalty: SQLite %s is too old; penalty needs SQLite %s or newer",
                                        sqlite3_libversion(), PENALTY_MIN_SQLITE_VERSION);
        return SQLITE_ERROR;
    }
    auto* conn = new (std::nothrow) Connection(db);
    if (!conn) {
        if (pzErrMsg) *pzErrMsg = sqlite3_mprintf("penalty: out of memory");
        return SQLITE_NOMEM;
    }
    // Each registration takes a reference; hold one ourselves meanwhile so
    // that a failing registration cannot free the state under us.
    conn->retain();
    const char* failed = nullptr;
    const int rc = register_all(db, conn, &failed);
    Connection::release(conn);
    if (rc != SQLITE_OK) {
        if (pzErrMsg)
            *pzErrMsg = sqlite3_mprintf("penalty: registering %s failed: %s", failed ? failed : "?", sqlite3_errstr(rc));
        return rc;
    }
    return SQLITE_OK;
}
