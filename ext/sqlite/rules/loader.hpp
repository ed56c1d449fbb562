// loader.hpp — reads one ruleset's rows from the rule tables.
//
// The SQL half of rule loading: one plain SELECT per rule table, built from
// the table and column names of ext/core/rule_tables.hpp (unqualified names,
// so temp, main, then attached databases, as SQLite resolves them).
// Validation is not done here: the rows go to compile_ruleset()
// (ext/core/rules_compile.cpp) as they are.
#pragma once

#include <string_view>

#include "core/rules_compile.hpp"
#include "sqlite/base/sqlite_api.hpp"

namespace penalty::glue {

// Throws SqliteError (a missing rule table says to run penalty_install()).
RawRules load_rules(sqlite3* db, std::string_view ruleset);

// Whether the last error of db is a missing table or column (the rule
// tables not installed, or of an older version), as opposed to a busy or
// locked database.
bool missing_rule_table(sqlite3* db);

// "unknown ruleset 'R'; the rulesets are 'a', 'b'" (the names in
// penalty_ruleset, in order; the first 20 and how many more), or, with none,
// that a preset or an INSERT creates one. Every function, table and
// penalty_copy_ruleset reports an unknown ruleset with it. Throws SqliteError.
std::string unknown_ruleset(sqlite3* db, std::string_view ruleset);

}  // namespace penalty::glue
