// source_table.hpp — a user's table or view named by an argument: the
// events `source` of penalty_ledger / penalty_standings, or a `links`
// source (docs/model.md §6).
//
// The name is quoted as one identifier ("..." with quotes doubled), so it
// can never carry SQL; a missing table or a missing column is an error that
// names it and the columns expected.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "sqlite_api.hpp"

namespace penalty::glue {

struct SourceTable {
    std::string name;                  // as given
    std::string quoted;                // as one SQL identifier
    std::string literal;               // as an SQL literal, for messages: 'violations'
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
