// loader.cpp — SELECTs of the rule tables into RawRules.
#include "sqlite/rules/loader.hpp"

#include <cstring>

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
        const char* msg = sqlite3_errmsg(db);
        if (std::strstr(msg, "no such table") || std::strstr(msg, "no such column"))
            throw SqliteError(rc, fmt::format("cannot read rule table {} ({}); run SELECT penalty_install() to "
                                              "create the rule tables",
                                              Row::table, msg));
        check_rc(db, rc, fmt::format("reading {}", Row::table));
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
    read_rows(db, ruleset, raw.levels);
    return raw;
}

}  // namespace penalty::glue
