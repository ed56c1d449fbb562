// vtab_args.hpp — planning the arguments of a table-valued function.
//
// The arguments of penalty_check / penalty_ledger / penalty_standings are
// HIDDEN columns; SQLite hands them to xBestIndex as equality constraints.
#pragma once

#include "sqlite_api.hpp"

namespace penalty::glue {

// Gives the usable equality constraints on the hidden columns [first,
// first + count) the argv slots 1..count (omitted from SQLite's checks).
// Returns SQLITE_OK; SQLITE_CONSTRAINT when an argument's constraint exists
// but is unusable (so the planner tries another join order); or an error,
// with "<fn>: missing argument: expected <usage>" in vtab->zErrMsg, when an
// argument was not given at all.
int plan_arguments(sqlite3_vtab* vtab, sqlite3_index_info* info, int first, int count, const char* fn,
                   const char* usage);

}  // namespace penalty::glue
