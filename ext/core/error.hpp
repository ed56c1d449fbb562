// error.hpp — the one exception type of the pure C++ core.
//
// The core (ext/core/) never sees SQLite. It reports every user-facing
// problem by throwing penalty::Error with a message written for the user;
// the SQL glue (ext/sqlite/) catches it at the C boundary, prefixes the SQL
// function's name and hands the text to sqlite3_result_error(). No other
// exception type is thrown on purpose (std::bad_alloc can still happen and
// is mapped to SQLITE_NOMEM by the glue).
#pragma once

#include <stdexcept>
#include <string>

namespace penalty {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace penalty
