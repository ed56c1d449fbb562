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

#include <cstring>
#include <new>
#include <string>

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

// Which penalty, if any, is already registered on db: its version (the
// answer of its penalty_version()), or "" when there is none.
//
// Loading twice must be harmless, and SQLite refuses to redefine a
// function while a statement runs (SELECT load_extension(...) is one), so
// the entry point first looks. There is no public "does this function
// exist" call in SQLite 3.34..3.40 (sqlite3_get_clientdata, which could mark
// the connection, is 3.44), and the state must not be a global keyed by the
// sqlite3* (a closed connection's address is reused). So it asks SQL:
// PRAGMA function_list lists the functions of this connection, whatever
// registered them; when penalty_version is among them, calling it says which
// version answers. Neither statement reads the schema (the table form
// pragma_function_list would: on a file that is not a database yet, or is
// locked, it fails, and at sqlite3_open with sqlite3_auto_extension it would
// fix the text encoding before a PRAGMA encoding could set it), takes a lock
// or fails in the normal case. A probe that fails anyway (an SQLite built
// without the pragma lists nothing) means "not loaded": the entry point
// registers as before. Its error is then cleared: sqlite3_open reports an
// error left on the connection by an automatic extension as its own.
int loaded_version(sqlite3* db, std::string& version) {
    version.clear();
    bool listed = false, failed = false;
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v2(db, "PRAGMA function_list", -1, &st, nullptr);
    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const unsigned char* name = sqlite3_column_text(st, 0);
            if (name && std::strcmp(reinterpret_cast<const char*>(name), "penalty_version") == 0) listed = true;
        }
        sqlite3_finalize(st);
    }
    if (rc == SQLITE_NOMEM) return rc;
    failed = rc != SQLITE_DONE;
    if (listed) {
        rc = sqlite3_prepare_v2(db, "SELECT penalty_version()", -1, &st, nullptr);
        if (rc == SQLITE_OK) {
            rc = sqlite3_step(st);
            if (rc == SQLITE_ROW) {
                const unsigned char* text = sqlite3_column_text(st, 0);
                version = text ? reinterpret_cast<const char*>(text) : "";
                if (!text && sqlite3_errcode(db) == SQLITE_NOMEM) rc = SQLITE_NOMEM;
                if (version.empty()) version = "?";  // some other penalty_version
            }
            sqlite3_finalize(st);
        }
        if (rc == SQLITE_NOMEM) return rc;
        failed = failed || rc != SQLITE_ROW;
    }
    if (failed) {  // a successful prepare resets the connection's error
        if (sqlite3_prepare_v2(db, "SELECT 1", -1, &st, nullptr) == SQLITE_NOMEM) return SQLITE_NOMEM;
        sqlite3_finalize(st);
    }
    return SQLITE_OK;
}

}  // namespace

}  // namespace penalty::glue

using penalty::glue::Connection;
using penalty::glue::loaded_version;
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
    // Already loaded on this connection (a second .load or SELECT
    // load_extension(), the module after sqlite3_auto_extension): nothing to
    // do; the functions, the settings and the rules cache stay as they are.
    // Another version is replaced, which SQLite allows only while no
    // statement runs; if it refuses, say so.
    std::string loaded;
    try {
        if (loaded_version(db, loaded) == SQLITE_NOMEM) return SQLITE_NOMEM;
    } catch (...) {  // std::string's allocation
        return SQLITE_NOMEM;
    }
    if (loaded == PENALTY_VERSION) return SQLITE_OK;
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
        if (pzErrMsg) {
            if (!loaded.empty())
                *pzErrMsg = sqlite3_mprintf("penalty: penalty %s is already loaded on this connection and "
                                            "%s cannot replace it (registering %s failed: %s); load it on a new "
                                            "connection, or with .load / sqlite3_load_extension() while no "
                                            "statement runs",
                                            loaded.c_str(), PENALTY_VERSION, failed ? failed : "?",
                                            sqlite3_errstr(rc));
            else
                *pzErrMsg = sqlite3_mprintf("penalty: registering %s failed: %s", failed ? failed : "?",
                                            sqlite3_errstr(rc));
        }
        return rc;
    }
    return SQLITE_OK;
}
