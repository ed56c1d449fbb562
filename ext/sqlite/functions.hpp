// functions.hpp — registration of the SQL functions and virtual tables.
// Each register_* call registers its objects on `db` with `conn` as user
// data (one reference each); it returns an SQLite result code.
#pragma once

#include "connection.hpp"

namespace penalty::glue {

int register_scalar_functions(sqlite3* db, Connection* conn);     // scalar_functions.cpp
int register_aggregate_functions(sqlite3* db, Connection* conn);  // aggregate_functions.cpp
int register_check_table(sqlite3* db, Connection* conn);          // vtab_check.cpp
int register_report_tables(sqlite3* db, Connection* conn);        // vtab_reports.cpp

}  // namespace penalty::glue
