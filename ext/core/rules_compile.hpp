// rules_compile.hpp — validate the rows of the rule tables and compile them.
//
// Input: RawRules (rule_tables.hpp), the rows of one ruleset exactly as they
// sit in the rule tables (the glue reads them; see
// ext/sqlite/rules/loader.cpp). Output: the list of problems (what
// penalty_check() shows) and, when there is no error, a compiled Ruleset.
// Every validation rule of docs/model.md §2 is checked here and only here; a
// problem names the table and the row.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/rule_tables.hpp"
#include "core/ruleset.hpp"

namespace penalty {

struct Problem {
    bool error = true;   // false: a warning, the ruleset stays usable
    std::string table;   // e.g. "penalty_violation"
    std::string message; // names the row and says what was expected
};

struct Compiled {
    std::vector<Problem> problems;
    std::shared_ptr<const Ruleset> ruleset;  // null when any problem is an error

    // "invalid ruleset 'R': <table> <message>" for the first error, with a
    // hint at penalty_check() when there are more.
    std::string error_text() const;
};

Compiled compile_ruleset(const RawRules& raw);

// The largest day count accepted for repeat_days, period_days and days
// (10,000 years), so that no time arithmetic can overflow.
constexpr std::int64_t kMaxDays = 3652500;

}  // namespace penalty
