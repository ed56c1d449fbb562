// copy.cpp — penalty_copy_ruleset(from, to) (copy.hpp).
#include "sqlite/rules/copy.hpp"

#include <exception>
#include <new>
#include <string>
#include <vector>

#include <strings.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/rule_tables.hpp"
#include "core/value.hpp"
#include "sqlite/base/errors.hpp"
#include "sqlite/base/savepoint.hpp"
#include "sqlite/read/source_table.hpp"
#include "sqlite/rules/loader.hpp"
#include "sqlite/base/statement.hpp"

namespace penalty::glue {

namespace {

constexpr const char* kSavepoint = "penalty_copy_ruleset";

std::string literal(std::string_view text) { return sql_literal(ValueView::text(text)); }

void prepare(sqlite3* db, const std::string& sql, Statement& st, std::string_view doing) {
    const int rc = sqlite3_prepare_v3(db, sql.c_str(), -1, 0, st.out(), nullptr);
    if (rc == SQLITE_NOMEM) throw std::bad_alloc();
    check_rc(db, rc, doing);
}

void bind(sqlite3* db, Statement& st, int i, std::string_view text) {
    check_rc(db, sqlite3_bind_text64(st.get(), i, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
             "binding a ruleset name");
}

// The INSERT ... SELECT that copies one rule table's rows of ?1 as ?2: every
// column of the table as it stands, ruleset replaced.
std::string copy_statement(sqlite3* db, const char* table) {
    Statement probe;
    const std::string quoted = quote_identifier(table);
    const int rc = sqlite3_prepare_v3(db, ("SELECT * FROM " + quoted).c_str(), -1, 0, probe.out(), nullptr);
    if (rc == SQLITE_NOMEM) throw std::bad_alloc();
    // Only a missing table or column means the rule tables are not
    // installed; a busy or locked database (another connection writing)
    // fails here too, and says so (check_rc, lock_hint).
    if (rc != SQLITE_OK && missing_rule_table(db))
        throw SqliteError(rc, fmt::format("cannot read rule table {} ({}); run SELECT penalty_install() to create "
                                          "the rule tables",
                                          table, sqlite3_errmsg(db)));
    check_rc(db, rc, fmt::format("reading rule table {}", table));
    std::vector<std::string> columns, values;
    bool has_ruleset = false;
    for (int c = 0; c < sqlite3_column_count(probe.get()); ++c) {
        const char* name = sqlite3_column_name(probe.get(), c);
        if (!name) throw std::bad_alloc();
        const bool is_ruleset = strcasecmp(name, "ruleset") == 0;
        has_ruleset = has_ruleset || is_ruleset;
        columns.push_back(quote_identifier(name));
        values.push_back(is_ruleset ? "?2" : quote_identifier(name));
    }
    if (!has_ruleset)
        throw Error(fmt::format("rule table {} has no column ruleset; run SELECT penalty_install() to upgrade the "
                                "rule tables",
                                table));
    return fmt::format("INSERT INTO {0}({1}) SELECT {2} FROM {0} WHERE ruleset = ?1", quoted,
                       fmt::join(columns, ", "), fmt::join(values, ", "));
}

// The rule tables that have a row of `ruleset`.
std::vector<std::string> tables_with(sqlite3* db, std::string_view ruleset) {
    std::vector<std::string> out;
    for (const char* table : kRuleTableNames) {
        Statement st;
        prepare(db, fmt::format("SELECT 1 FROM {} WHERE ruleset = ?1 LIMIT 1", quote_identifier(table)), st,
                fmt::format("reading {}", table));
        bind(db, st, 1, ruleset);
        const int rc = sqlite3_step(st.get());
        check_rc(db, rc, fmt::format("reading {}", table));
        if (rc == SQLITE_ROW) out.emplace_back(table);
    }
    return out;
}

sqlite3_int64 copy(sqlite3* db, std::string_view from, std::string_view to) {
    std::vector<std::string> statements;  // first: every rule table is there
    for (const char* table : kRuleTableNames) statements.push_back(copy_statement(db, table));
    if (tables_with(db, from).empty()) throw Error(unknown_ruleset(db, from));  // no row in any rule table
    if (const auto taken = tables_with(db, to); !taken.empty())
        throw Error(fmt::format("ruleset {} already exists (rows in {}); expected a new name for the copy",
                                literal(to), fmt::join(taken, ", ")));
    sqlite3_int64 copied = 0;
    for (std::size_t k = 0; k < statements.size(); ++k) {
        const std::string doing = fmt::format("copying {}", kRuleTableNames[k]);
        Statement st;
        prepare(db, statements[k], st, doing);
        bind(db, st, 1, from);
        bind(db, st, 2, to);
        const int rc = sqlite3_step(st.get());
        if ((rc & 0xff) == SQLITE_READONLY)  // say what could not be written, and why (lock_hint)
            check_rc(db, rc, fmt::format("cannot write ruleset {} (the copy of {}) into {}", literal(to), literal(from),
                                         kRuleTableNames[k]));
        check_rc(db, rc, doing);
        copied += sqlite3_changes(db);  // not changes64: SQLite 3.34 lacks it
    }
    return copied;
}

}  // namespace

sqlite3_int64 copy_ruleset(sqlite3* db, std::string_view from, std::string_view to) {
    if (from == to)
        throw Error(fmt::format("arguments 'from' and 'to' are both {}; expected two different ruleset names",
                                literal(from)));
    Savepoint tx(db, kSavepoint, "preparing the copy");
    if (const int rc = Savepoint::run(tx.open); rc != SQLITE_OK) {
        if (rc == SQLITE_NOMEM) throw std::bad_alloc();
        // SQLite refuses a savepoint while a statement that writes runs
        // (INSERT ... SELECT penalty_copy_ruleset(...), a trigger).
        throw Error(fmt::format("cannot open a savepoint ({}); call it in a SELECT of its own: "
                                "SELECT penalty_copy_ruleset({}, {})",
                                sqlite3_errmsg(db), literal(from), literal(to)));
    }
    return tx.commit(db, "copy", "committing the copy", [&] { return copy(db, from, to); });
}

}  // namespace penalty::glue
