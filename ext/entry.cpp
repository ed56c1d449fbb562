// entry.cpp — the extension's entry point, sqlite3_penalty_init.
//
// Thin on purpose: it checks the SQLite version, creates the per-connection
// state (sqlite/connection.hpp) and registers every SQL object declared in
// sqlite/catalog.cpp. It is the only symbol the loadable module exports.
//
// Loadable build: SQLITE_EXTENSION_INIT1/2 set up the API table pointer.
// Static build (SQLITE_CORE): those macros are empty and calls are direct.
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include <new>

#include "penalty.h"  // generated: build/include/penalty.h
#include "sqlite/catalog.hpp"
#include "sqlite/connection.hpp"

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
    auto* conn = new (std::nothrow) penalty::glue::Connection(db);
    if (!conn) {
        if (pzErrMsg) *pzErrMsg = sqlite3_mprintf("penalty: out of memory");
        return SQLITE_NOMEM;
    }
    // Each registration takes a reference; hold one ourselves meanwhile so
    // that a failing registration cannot free the state under us.
    conn->retain();
    const char* failed = nullptr;
    const int rc = penalty::glue::register_all(db, conn, &failed);
    penalty::glue::Connection::release(conn);
    if (rc != SQLITE_OK) {
        if (pzErrMsg)
            *pzErrMsg = sqlite3_mprintf("penalty: registering %s failed: %s", failed ? failed : "?", sqlite3_errstr(rc));
        return rc;
    }
    return SQLITE_OK;
}
