// source_table.hpp — a user's table or view named by an argument: the
// events `source` of penalty_ledger / penalty_standings, or a `links`
// source (docs/model.md §6).
//
// The name is `table` or `schema.table`, each part bare or quoted as an SQL
// identifier ("my table", with "" for a quote inside):
//   'violations'             unqualified: temp, main, then attached databases,
//                            as SQLite resolves a table name
//   'other.violations'       the table violations of the database other
//   '"my db"."my table"'     both parts quoted
//   '"a.b"'                  quoted as a whole: the table named a.b
// A bare name with a dot is split at its first dot: the part before it must
// be a database of the connection (main, temp or an attached one), else
// the name is an error that says how to quote a table named with a dot. A
// bare part is taken as it is (spaces and quotes inside included).
//
// The parts are quoted again by the extension, so a name can never carry
// SQL; every query of the source uses `quoted`, so the rowid probe, the
// optional columns and the reads all see the same table. A missing table
// or a missing column is an error that quotes the name as given and names
// the columns expected.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "sqlite/base/sqlite_api.hpp"

namespace penalty::glue {

struct SourceTable {
    std::string schema;                // the database named, "" when unqualified
    std::string home;                  // the database that holds it: `schema`, or the one an unqualified name finds
    std::string table;                 // the table part, unquoted
    std::string quoted;                // "schema"."table" or "table", for queries
    std::string literal;               // the name as given, as an SQL literal, for messages: 'violations'
    std::vector<std::string> columns;  // as SELECT * names them

    // The index of the column named `want` (any case), or -1.
    int column(const char* want) const;
};

// Opens `name` and checks it has every column of `required`. `what` names
// the argument in messages ("source", "links"). Throws Error.
SourceTable open_source_table(sqlite3* db, std::string_view name, const char* what,
                              std::initializer_list<const char*> required);

// `name` quoted as an SQL identifier.
std::string quote_identifier(std::string_view name);

}  // namespace penalty::glue
