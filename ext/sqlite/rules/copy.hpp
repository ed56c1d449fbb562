// copy.hpp — penalty_copy_ruleset(from, to): a ruleset copied
// under a new name, in every rule table.
//
// Every row of every rule table (core/rule_tables.hpp, kRuleTableNames)
// whose ruleset is `from` is inserted again with ruleset = `to`, every other
// column as it is (the columns are the table's own, as SQLite reports them,
// so `description` and any column added later travel too). The rule tables
// are named unqualified, as the rules loader reads them (a temp rule table
// shadows main's). All or nothing: the copy runs inside a SAVEPOINT, which
// nests in the caller's transaction (BEGIN ...) or is one of its own; on any
// failure it is rolled back. Only rows of the rule tables are written.
#pragma once

#include <string_view>

#include "sqlite/base/sqlite_api.hpp"

namespace penalty::glue {

// Copies ruleset `from` to `to`; returns the number of rows inserted.
// Throws Error when `from` = `to`, a rule table is missing, `from` has no
// row in any rule table or `to` has a row in one; SqliteError when SQLite
// fails (the copy is then undone).
sqlite3_int64 copy_ruleset(sqlite3* db, std::string_view from, std::string_view to);

}  // namespace penalty::glue
