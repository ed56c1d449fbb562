// sqlite_api.hpp — the one include of SQLite for the glue.
//
// The same sources build two ways: the loadable module (sqlite3ext.h routes
// every sqlite3_* call through the API table handed to the entry point) and
// the static library (compiled with SQLITE_CORE, direct calls). Only
// entry.cpp defines the API pointer (SQLITE_EXTENSION_INIT1).
#pragma once

#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3
