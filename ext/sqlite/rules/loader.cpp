// loader.cpp — SELECTs of the rule tables into RawRules.
#include "sqlite/rules/loader.hpp"

#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sqlite/base/errors.hpp"
#include "sqlite/base/values.hpp"
#include "sqlite/base/statement.hpp"

namespace penalty::glue {

namespace {

// Appends the rows of `Row`'s rule table that belong to `ruleset` to `out`,
// each cell read into its member (Row::columns, Row::cells()).
template <class Row>
void read_rows(sqlite3* db, std::string_view ruleset, std::vector<Row>& out) {
    constexpr std::size_t n = Row::columns.size();
    static_assert(std::tuple_size_v<decltype(Row().cells())> == n);
    const std::string sql =
        fmt::format("SELECT {} FROM {} WHERE ruleset = ?1", fmt::join(Row::columns, ", "), Row::table);
    Statement st;
    const int rc = sqlite3_prepare_v3(db, sql.c_str(), -1, 0, st.out(), nullptr);
    if (rc != SQLITE_OK) {
        if (missing_rule_table(db))
            throw SqliteError(rc, fmt::format("cannot read rule table {} ({}); run SELECT penalty_install() to "
                                              "create the rule tables",
                                              Row::table, sqlite3_errmsg(db)));
        check_rc(db, rc, fmt::format("reading {}", Row::table));  // busy, locked: says so
    }
    check_rc(db, sqlite3_bind_text64(st.get(), 1, ruleset.data(), ruleset.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
             "binding ruleset");
    int step;
    while ((step = sqlite3_step(st.get())) == SQLITE_ROW) {
        std::array<Cell, n> cells;
        for (std::size_t c = 0; c < n; ++c) cells[c] = Cell::from(column_view(st.get(), static_cast<int>(c)));
        out.push_back(std::apply([](auto&... c) { return Row{std::move(c)...}; }, cells));
    }
    check_rc(db, step, fmt::format("reading {}", Row::table));
}

}  // namespace

bool missing_rule_table(sqlite3* db) {
    const char* msg = sqlite3_errmsg(db);
    return std::strstr(msg, "no such table") || std::strstr(msg, "no such column");
}

std::string unknown_ruleset(sqlite3* db, std::string_view ruleset) {
    constexpr int kListed = 20;
    Statement st;
    check_rc(db, sqlite3_prepare_v3(db, "SELECT DISTINCT ruleset FROM penalty_ruleset ORDER BY ruleset", -1, 0,
                                    st.out(), nullptr),
             "reading penalty_ruleset");
    std::vector<std::string> names;
    int total = 0, step;
    while ((step = sqlite3_step(st.get())) == SQLITE_ROW)
        if (total++ < kListed) names.push_back(sql_literal(column_view(st.get(), 0)));
    check_rc(db, step, "reading penalty_ruleset");
    std::string text = fmt::format("unknown ruleset {}", sql_literal(ValueView::text(ruleset)));
    if (total == 0)
        return text + "; there are no rulesets yet: a preset creates one (.read sql/presets/taobao.sql, "
                      "after SELECT penalty_install()), or INSERT your own into the rule tables";
    text += total == 1 ? fmt::format("; the only ruleset is {}", names.front())
                       : fmt::format("; the rulesets are {}", fmt::join(names, ", "));
    if (total > kListed)
        text += fmt::format(" and {} more (SELECT ruleset FROM penalty_ruleset)", total - kListed);
    return text;
}

RawRules load_rules(sqlite3* db, std::string_view ruleset) {
    RawRules raw;
    raw.ruleset = std::string(ruleset);
    std::vector<RulesetRow> rs;
    read_rows(db, ruleset, rs);
    if (!rs.empty()) raw.ruleset_row = std::move(rs.front());
    read_rows(db, ruleset, raw.tracks);
    read_rows(db, ruleset, raw.carries);
    read_rows(db, ruleset, raw.violations);
    read_rows(db, ruleset, raw.repeats);
    read_rows(db, ruleset, raw.thresholds);
    read_rows(db, ruleset, raw.sanction_repeats);
    read_rows(db, ruleset, raw.levels);
    return raw;
}

}  // namespace penalty::glue
