// install.hpp — creating and upgrading the rule tables
// (penalty_install()).
//
// The DDL is sql/schema.sql, embedded at build time: one
// CREATE TABLE IF NOT EXISTS statement per rule table. install_rule_tables()
// runs each statement whose table "main" lacks, and rebuilds each rule
// table whose stored definition differs from the current one (a table made
// by an older release, whose CHECK constraints or column types would
// refuse v2 values): its rows are saved in a temp table, the table dropped
// and created anew, and the rows copied back column by column (columns the
// old table lacks take their defaults); on an error the old table is put
// back. A rebuilt table keeps its rows, and the indexes and triggers a user
// made on it are made again. A table another one references by a foreign
// key is not rebuilt while foreign keys are on (that would delete rows).
// All of it runs in one savepoint: any failure leaves the rule tables as
// they were.
#pragma once

#include "sqlite/base/sqlite_api.hpp"

namespace penalty::glue {

// Returns how many rule tables it created (rebuilt ones do not count).
// Throws SqliteError.
int install_rule_tables(sqlite3* db);

}  // namespace penalty::glue
