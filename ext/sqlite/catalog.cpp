// catalog.cpp — every SQL object of the extension, declared once.
//
// To add a scalar or aggregate function: write its callbacks (in
// scalar_functions.cpp / aggregate_functions.cpp) and add one row to
// kFunctions. To add a table-valued function: write table_<name>.cpp
// (see table_function.hpp), declare its module in table_functions.hpp and
// add one row to kTables. The API surface test (tests/sql/api_surface)
// lists what SQLite then sees.
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
#include "catalog.hpp"

#include <new>

#include "aggregate_functions.hpp"
#include "scalar_functions.hpp"
#include "table_functions.hpp"

namespace penalty::glue {

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

const TableDef kTables[] = {
    {"penalty_check", &kCheckModule},          // table_check.cpp
    {"penalty_ledger", &kLedgerModule},        // table_ledger.cpp
    {"penalty_standings", &kStandingsModule},  // table_standings.cpp
    {"penalty_clusters", &kClustersModule},    // table_clusters.cpp
};

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

}  // namespace

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

}  // namespace penalty::glue
