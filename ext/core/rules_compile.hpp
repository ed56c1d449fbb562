// rules_compile.hpp — validate the rows of the rule tables and compile them.
//
// Input: RawRules, the rows of one ruleset exactly as they sit in the rule
// tables (the glue reads them; see ext/sqlite/rules_loader.cpp). Output: the
// list of problems (what penalty_check() shows) and, when there is no error,
// a compiled Ruleset. Every rule of spec section 2 is checked here and only
// here; a problem names the table and the row.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ruleset.hpp"
#include "value.hpp"

namespace penalty {

// One row of a rule table: cells in the column order documented per table.
using Row = std::vector<Cell>;

struct RawRules {
    std::string ruleset;
    std::optional<Row> ruleset_row;   // tz_offset, repeat_days
    std::vector<Row> tracks;          // track, period, period_days
    std::vector<Row> violations;      // code, valid_from, track, points, closes, min_prior
    std::vector<Row> repeats;         // code, nth, points
    std::vector<Row> thresholds;      // track, points, sanction, days, closes
    std::vector<Row> levels;          // min_credit, label

    bool operator==(const RawRules&) const = default;
};

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
