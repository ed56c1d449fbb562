// rule_tables.hpp — the rule tables of docs/model.md §2, named once.
//
// One struct per rule table holds a row's cells as the rules loader reads
// them (ext/sqlite/rules/loader.cpp), by name: `row.period_days`, never
// `row[2]`. The struct also names its table and columns; the loader builds
// its SELECT from these, rules_compile.cpp validates the members, and
// penalty_install() counts the tables of kRuleTableNames. The DDL itself is sql/schema.sql (embedded at build
// time); a column in one and not the other fails every test that loads a ruleset.
//
// Adding a rule column: a member here (in `columns` and `cells()` too),
// the column in sql/schema.sql, and its validation in rules_compile.cpp.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "core/value.hpp"

namespace penalty {

// Each row struct: `table` and `columns`, its SQL table and column names,
// the columns in the order of the members; `cells()`, the members in that
// order. The loader builds a row from the cells of one SELECT of `columns`.
// Consecutive structs differ in column count, which keeps them apart.
struct RulesetRow {
    static constexpr const char* table = "penalty_ruleset"; static constexpr std::array columns = {"tz_offset", "repeat_days", "prior_scope", "link_closes"};
    Cell tz_offset, repeat_days, prior_scope, link_closes;
    auto cells() const { return std::tie(tz_offset, repeat_days, prior_scope, link_closes); }
};
struct TrackRow {
    static constexpr const char* table = "penalty_track"; static constexpr std::array columns = {"track", "period", "period_days", "daily_cap", "merge_days"};
    Cell track, period, period_days, daily_cap, merge_days;
    auto cells() const { return std::tie(track, period, period_days, daily_cap, merge_days); }
};
struct CarryRow {
    static constexpr const char* table = "penalty_carry"; static constexpr std::array columns = {"track", "min_points", "carry"};
    Cell track, min_points, carry;
    auto cells() const { return std::tie(track, min_points, carry); }
};
struct ViolationRow {
    static constexpr const char* table = "penalty_violation"; static constexpr std::array columns = {"code", "valid_from", "track", "points", "closes", "min_prior", "expires_days", "merge_days", "clean_days", "restore_days"};
    Cell code, valid_from, track, points, closes, min_prior, expires_days, merge_days, clean_days, restore_days;
    auto cells() const { return std::tie(code, valid_from, track, points, closes, min_prior, expires_days, merge_days, clean_days, restore_days); }
};
struct RepeatRow {
    static constexpr const char* table = "penalty_repeat"; static constexpr std::array columns = {"code", "nth", "points"};
    Cell code, nth, points;
    auto cells() const { return std::tie(code, nth, points); }
};
struct ThresholdRow {
    static constexpr const char* table = "penalty_threshold"; static constexpr std::array columns = {"track", "points", "sanction", "days", "closes", "every", "reset_to", "reset_on"};
    Cell track, points, sanction, days, closes, every, reset_to, reset_on;
    auto cells() const { return std::tie(track, points, sanction, days, closes, every, reset_to, reset_on); }
};
struct SanctionRepeatRow {  // v3 (docs/model.md §3b.b)
    static constexpr const char* table = "penalty_sanction_repeat"; static constexpr std::array columns = {"track", "points", "nth", "sanction", "days", "closes"};
    Cell track, points, nth, sanction, days, closes;
    auto cells() const { return std::tie(track, points, nth, sanction, days, closes); }
};
struct LevelRow {
    static constexpr const char* table = "penalty_level"; static constexpr std::array columns = {"min_credit", "label"};
    Cell min_credit, label;
    auto cells() const { return std::tie(min_credit, label); }
};

// Rows are equal when their cells are.
template <class Row>
    requires requires(const Row& r) { r.cells(); }
bool operator==(const Row& a, const Row& b) {
    return a.cells() == b.cells();
}

// Every rule table, in the order of sql/schema.sql.
inline constexpr std::array kRuleTableNames = {RulesetRow::table, TrackRow::table,     CarryRow::table,
                                               ViolationRow::table, RepeatRow::table, ThresholdRow::table,
                                               SanctionRepeatRow::table, LevelRow::table};

// One ruleset's rows, exactly as they sit in the rule tables.
struct RawRules {
    std::string ruleset;
    std::optional<RulesetRow> ruleset_row;  // nullopt: penalty_ruleset has no row for it
    std::vector<TrackRow> tracks;
    std::vector<CarryRow> carries;
    std::vector<ViolationRow> violations;
    std::vector<RepeatRow> repeats;
    std::vector<ThresholdRow> thresholds;
    std::vector<SanctionRepeatRow> sanction_repeats;
    std::vector<LevelRow> levels;

    bool operator==(const RawRules&) const = default;
};

}  // namespace penalty
