// rules_loader.cpp — SELECTs of the rule tables into RawRules.
#include "rules_loader.hpp"

#include <cstring>

#include <fmt/format.h>

#include "glue.hpp"
#include "statement.hpp"

namespace penalty::glue {

namespace {

// Runs `sql` with ?1 = ruleset; appends each row's `ncol` cells to `out`.
void read_rows(sqlite3* db, const char* table, const char* columns, std::string_view ruleset, int ncol,
               std::vector<Row>& out) {
    const std::string sql = fmt::format("SELECT {} FROM {} WHERE ruleset = ?1", columns, table);
    Statement st;
    const int rc = sqlite3_prepare_v3(db, sql.c_str(), -1, 0, st.out(), nullptr);
    if (rc != SQLITE_OK) {
        const char* msg = sqlite3_errmsg(db);
        if (std::strstr(msg, "no such table") || std::strstr(msg, "no such column"))
            throw SqliteError(rc, fmt::format("cannot read rule table {} ({}); run SELECT penalty_install() to "
                                              "create the rule tables",
                                              table, msg));
        check_rc(db, rc, fmt::format("reading {}", table));
    }
    check_rc(db, sqlite3_bind_text64(st.get(), 1, ruleset.data(), ruleset.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
             "binding ruleset");
    int step;
    while ((step = sqlite3_step(st.get())) == SQLITE_ROW) {
        Row row;
        row.reserve(static_cast<std::size_t>(ncol));
        for (int c = 0; c < ncol; ++c) row.push_back(Cell::from(column_view(st.get(), c)));
        out.push_back(std::move(row));
    }
    check_rc(db, step, fmt::format("reading {}", table));
}

}  // namespace

RawRules load_rules(sqlite3* db, std::string_view ruleset) {
    RawRules raw;
    raw.ruleset = std::string(ruleset);
    std::vector<Row> rs;
    read_rows(db, "penalty_ruleset", "tz_offset, repeat_days", ruleset, 2, rs);
    if (!rs.empty()) raw.ruleset_row = std::move(rs.front());
    read_rows(db, "penalty_track", "track, period, period_days", ruleset, 3, raw.tracks);
    read_rows(db, "penalty_violation", "code, valid_from, track, points, closes, min_prior", ruleset, 6,
              raw.violations);
    read_rows(db, "penalty_repeat", "code, nth, points", ruleset, 3, raw.repeats);
    read_rows(db, "penalty_threshold", "track, points, sanction, days, closes", ruleset, 5, raw.thresholds);
    read_rows(db, "penalty_level", "min_credit, label", ruleset, 2, raw.levels);
    return raw;
}

}  // namespace penalty::glue
