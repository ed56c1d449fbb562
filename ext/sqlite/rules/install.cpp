// install.cpp — penalty_install(): create and upgrade the rule tables
// (install.hpp).
#include "sqlite/rules/install.hpp"

#include <new>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "sqlite/base/errors.hpp"
#include "sqlite/base/savepoint.hpp"
#include "sqlite/base/statement.hpp"

namespace penalty::glue {

extern const char* const kSchemaSql;  // generated from sql/schema.sql

namespace {

// One statement of sql/schema.sql.
struct TableDdl {
    std::string name;     // the table
    std::string create;   // the statement as written (CREATE TABLE IF NOT EXISTS ...)
    std::string stored;   // as SQLite stores it in sqlite_master.sql (CREATE TABLE name(...))
};

// Splits the schema into its CREATE TABLE statements.
std::vector<TableDdl> schema_tables() {
    constexpr std::string_view kHead = "CREATE TABLE IF NOT EXISTS ";
    std::vector<TableDdl> out;
    const std::string_view text = kSchemaSql;
    std::size_t at = 0;
    while ((at = text.find(kHead, at)) != std::string_view::npos) {
        const std::size_t name = at + kHead.size();
        const std::size_t open = text.find('(', name);
        const std::size_t end = text.find(";\n", name);
        if (open == std::string_view::npos || end == std::string_view::npos)
            throw Error("internal error: sql/schema.sql is not a list of CREATE TABLE statements");
        out.push_back({std::string(text.substr(name, open - name)), std::string(text.substr(at, end - at)),
                       "CREATE TABLE " + std::string(text.substr(name, end - name))});
        at = end;
    }
    return out;
}

void exec(sqlite3* db, const std::string& sql, std::string_view doing) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    if (rc == SQLITE_OK) return;
    const std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw SqliteError(rc, fmt::format("{}: {}{}", doing, msg, lock_hint(rc)));
}

// The first column of every row of a schema query `sql` with ?1 = `name`.
std::vector<std::string> schema_query(sqlite3* db, const char* sql, const std::string& name) {
    Statement st;
    check_rc(db, sqlite3_prepare_v3(db, sql, -1, 0, st.out(), nullptr), "reading the schema");
    check_rc(db, sqlite3_bind_text(st.get(), 1, name.c_str(), -1, SQLITE_TRANSIENT), "reading the schema");
    std::vector<std::string> out;
    int rc;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(st.get(), 0);
        out.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
    check_rc(db, rc, "reading the schema");
    return out;
}

// The stored definition of main.<name>, or "" when there is no such table.
std::string stored_sql(sqlite3* db, const std::string& name) {
    const auto rows = schema_query(db, "SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = ?1", name);
    return rows.empty() ? "" : rows.front();
}

// The column names of main.<table>.
std::vector<std::string> columns_of(sqlite3* db, const std::string& table) {
    return schema_query(db, "SELECT name FROM pragma_table_info(?1, 'main')", table);
}

// The first table with a foreign key to main.<table> while foreign keys are
// enforced, or "".
std::string referencing_table(sqlite3* db, const std::string& table) {
    const auto rows = schema_query(
        db,
        "SELECT m.name FROM main.sqlite_master AS m, pragma_foreign_key_list(m.name, 'main') AS f "
        "WHERE m.type = 'table' AND f.\"table\" = ?1 COLLATE NOCASE AND (SELECT foreign_keys FROM pragma_foreign_keys) "
        "LIMIT 1",
        table);
    return rows.empty() ? "" : rows.front();
}

// The CREATE statements of the indexes and triggers a user made on
// main.<table> (dropped with it, made again after the rebuild).
std::vector<std::string> indexes_and_triggers(sqlite3* db, const std::string& table) {
    return schema_query(db,
                        "SELECT sql FROM main.sqlite_master WHERE tbl_name = ?1 AND type IN ('index', 'trigger') "
                        "AND sql IS NOT NULL ORDER BY type, name",
                        table);
}

// Rebuilds main.<t.name> (defined by `old_sql`) with the current
// definition, keeping its rows: they wait in a temp table while the table is
// dropped and created anew (no rename: views that name the table keep
// working), and are put back if anything fails.
void rebuild(sqlite3* db, const TableDdl& t, const std::string& old_sql) {
    const std::string doing = fmt::format("upgrading rule table {}", t.name);
    const std::string saved = fmt::format("temp.\"{}_penalty_upgrade\"", t.name);
    const std::string table = fmt::format("main.\"{}\"", t.name);
    const std::vector<std::string> old_columns = columns_of(db, t.name);
    // Only columns the current definition has can be copied back: refuse
    // to drop a column a user added, with its data. (In sql/schema.sql each
    // column definition starts a line, indented by two spaces.)
    for (const std::string& o : old_columns)
        if (t.create.find(fmt::format("\n  {} ", o)) == std::string::npos)
            throw Error(fmt::format("rule table {} has a column {} that the current definition lacks; move its data "
                                    "elsewhere and drop the column, then run penalty_install() again",
                                    t.name, o));
    // Dropping a table that another one references, with foreign keys on,
    // deletes (or cascades) its rows first: refuse rather than touch them.
    if (const std::string child = referencing_table(db, t.name); !child.empty())
        throw Error(fmt::format("table {} has a foreign key to rule table {}; run penalty_install() with "
                                "PRAGMA foreign_keys = OFF to upgrade it",
                                child, t.name));
    const std::vector<std::string> extras = indexes_and_triggers(db, t.name);
    exec(db, fmt::format("DROP TABLE IF EXISTS {0}; CREATE TABLE {0} AS SELECT * FROM {1}", saved, table), doing);
    try {
        exec(db, fmt::format("DROP TABLE {}", table), doing);
    } catch (...) {  // the table is still there, untouched
        sqlite3_exec(db, fmt::format("DROP TABLE {}", saved).c_str(), nullptr, nullptr, nullptr);
        throw;
    }
    try {
        exec(db, t.create, doing);
        std::string common;
        for (const std::string& c : columns_of(db, t.name))
            for (const std::string& o : old_columns)
                if (o == c) common += fmt::format("{}\"{}\"", common.empty() ? "" : ", ", c);
        exec(db, fmt::format("INSERT INTO {0}({1}) SELECT {1} FROM {2}", table, common, saved), doing);
        for (const std::string& sql : extras) exec(db, sql, doing);  // the user's indexes and triggers, again
    } catch (...) {
        // The old table's rows go back without its CHECKs: a row it holds
        // may break them (written with ignore_check_constraints), and is
        // most often the very row the new definition refused. Should the
        // restore fail, the rows stay in the temp table.
        int ignoring = 0;
        sqlite3_exec(
            db, "PRAGMA ignore_check_constraints",
            [](void* out, int, char** v, char**) {
                *static_cast<int*>(out) = v[0] && v[0][0] == '1';
                return 0;
            },
            &ignoring, nullptr);
        const std::string restore = fmt::format(
            "PRAGMA ignore_check_constraints = ON; DROP TABLE IF EXISTS {0}; {1}; INSERT INTO {0} SELECT * FROM {2}",
            table, old_sql, saved);
        const bool restored = sqlite3_exec(db, restore.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
        sqlite3_exec(db, ignoring ? "PRAGMA ignore_check_constraints = ON" : "PRAGMA ignore_check_constraints = OFF",
                     nullptr, nullptr, nullptr);
        if (restored) sqlite3_exec(db, fmt::format("DROP TABLE {}", saved).c_str(), nullptr, nullptr, nullptr);
        throw;
    }
    exec(db, fmt::format("DROP TABLE {}", saved), doing);
}

int install(sqlite3* db) {
    int created = 0;
    for (const TableDdl& t : schema_tables()) {
        const std::string have = stored_sql(db, t.name);
        if (have.empty()) {
            exec(db, t.create, "creating the rule tables");
            ++created;
        } else if (have != t.stored) {
            rebuild(db, t, have);
        }
    }
    return created;
}

}  // namespace

int install_rule_tables(sqlite3* db) {
    // All or nothing: a failure (an I/O error, a full disk, a table that
    // cannot be upgraded) undoes every table made or rebuilt. Where SQLite
    // refuses a savepoint (a statement that writes is running: CREATE TABLE
    // t AS SELECT penalty_install()), each rebuild still puts its rows back.
    Savepoint sp(db, "penalty_install", "preparing penalty_install", /*changes_schema=*/true);
    if (const int rc = Savepoint::run(sp.open); rc != SQLITE_OK) {
        if (rc == SQLITE_NOMEM) throw std::bad_alloc();
        return install(db);
    }
    return sp.commit(db, "install", "committing the rule tables", [&] { return install(db); });
}

}  // namespace penalty::glue
