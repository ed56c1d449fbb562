// table_functions.hpp — the modules of the table-valued functions, one
// file each (built on table_function.hpp), registered by catalog.cpp.
#pragma once

#include "sqlite_api.hpp"

namespace penalty::glue {

extern const sqlite3_module kCheckModule;      // penalty_check(ruleset)            table_check.cpp
extern const sqlite3_module kLedgerModule;     // penalty_ledger(ruleset, source [, as_of [, links]])  table_ledger.cpp
extern const sqlite3_module kClustersModule;   // penalty_clusters(links)            table_clusters.cpp
extern const sqlite3_module kStandingsModule;  // penalty_standings(ruleset, source, as_of [, links])  table_standings.cpp

}  // namespace penalty::glue
