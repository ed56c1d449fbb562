// scalar_functions.cpp — penalty_version(), penalty_install(),
// penalty_points(ruleset, code, at), penalty_level(ruleset, credit).
//
// Flags: all but penalty_install are SQLITE_INNOCUOUS (they only read the
// rule tables of this connection, which any view could read anyway) and not
// SQLITE_DETERMINISTIC (the answer changes when the rules are edited, so
// they must not be used in indexes or generated columns). penalty_install
// writes the schema and is SQLITE_DIRECTONLY: never from a view or trigger.
#include <cmath>

#include <fmt/format.h>

#include "../core/engine.hpp"
#include "functions.hpp"
#include "glue.hpp"
#include "statement.hpp"

#include "penalty.h"  // PENALTY_VERSION, generated from project(VERSION)

namespace penalty::glue {

extern const char* const kSchemaSql;  // generated from sql/schema.sql

namespace {

Connection* conn_of(sqlite3_context* ctx) { return static_cast<Connection*>(sqlite3_user_data(ctx)); }

// The ruleset named by argument 0. While that argument is a constant, the
// compiled ruleset is kept as SQLite auxdata for the rest of the statement,
// so a scan calls the rules cache once, not once per row.
std::shared_ptr<const Ruleset> ruleset_of(sqlite3_context* ctx, std::string_view name) {
    using Held = std::shared_ptr<const Ruleset>;
    if (auto* held = static_cast<Held*>(sqlite3_get_auxdata(ctx, 0))) return *held;
    Held rules = conn_of(ctx)->ruleset(name);
    // On failure SQLite calls the destructor at once; the copy stays valid.
    sqlite3_set_auxdata(ctx, 0, new Held(rules), [](void* p) { delete static_cast<Held*>(p); });
    return rules;
}

void fn_version(sqlite3_context* ctx, int, sqlite3_value**) {
    sqlite3_result_text(ctx, PENALTY_VERSION, -1, SQLITE_STATIC);
}

// How many of the six rule tables are missing from "main".
int missing_tables(sqlite3* db) {
    Statement st;
    check_rc(db,
             sqlite3_prepare_v3(db,
                                "SELECT 6 - count(*) FROM main.sqlite_master WHERE type = 'table' AND name IN "
                                "('penalty_ruleset','penalty_track','penalty_violation','penalty_repeat',"
                                "'penalty_threshold','penalty_level')",
                                -1, 0, st.out(), nullptr),
             "reading the schema");
    check_rc(db, sqlite3_step(st.get()), "reading the schema");
    return sqlite3_column_int(st.get(), 0);
}

void fn_install(sqlite3_context* ctx, int, sqlite3_value**) {
    guard(ctx, "penalty_install", [&] {
        sqlite3* db = sqlite3_context_db_handle(ctx);
        const int before = missing_tables(db);
        char* err = nullptr;
        const int rc = sqlite3_exec(db, kSchemaSql, nullptr, nullptr, &err);
        if (rc != SQLITE_OK) {
            const std::string msg = err ? err : sqlite3_errstr(rc);
            sqlite3_free(err);
            throw SqliteError(rc, fmt::format("creating the rule tables: {}", msg));
        }
        sqlite3_result_int(ctx, before - missing_tables(db));
    });
}

void fn_points(sqlite3_context* ctx, int, sqlite3_value** argv) {
    guard(ctx, "penalty_points", [&] {
        const std::string_view name = text_arg(argv[0], "ruleset");
        const std::string_view code = text_arg(argv[1], "code");
        const Time at = time_arg(argv[2], "at");
        const auto rules = ruleset_of(ctx, name);
        const std::int32_t id = rules->code_id(code);
        if (id < 0) unknown_code_error(*rules, code, at);
        const ViolationVersion* v = rules->codes[static_cast<std::size_t>(id)].version_at(at);
        if (!v) unknown_code_error(*rules, code, at);
        sqlite3_result_int64(ctx, v->points);
    });
}

void fn_level(sqlite3_context* ctx, int, sqlite3_value** argv) {
    guard(ctx, "penalty_level", [&] {
        const std::string_view name = text_arg(argv[0], "ruleset");
        const ValueView credit = view_of(argv[1]);
        std::int64_t c;
        if (credit.kind == Kind::Null) {
            sqlite3_result_null(ctx);
            return;
        } else if (credit.kind == Kind::Integer) {
            c = credit.i;
        } else if (credit.kind == Kind::Real && std::isfinite(credit.r) && credit.r >= -9.2e18 && credit.r <= 9.2e18) {
            c = static_cast<std::int64_t>(std::floor(credit.r));
        } else {
            throw Error(fmt::format("argument 'credit' is {}; expected a number (INTEGER or REAL) or NULL",
                                    sql_literal(credit)));
        }
        const auto rules = ruleset_of(ctx, name);
        if (const Level* l = rules->level_for(c)) result_text(ctx, l->label);
        else sqlite3_result_null(ctx);
    });
}

struct ScalarDef {
    const char* name;
    int nargs;
    int flags;
    void (*fn)(sqlite3_context*, int, sqlite3_value**);
};

const ScalarDef kScalars[] = {
    {"penalty_version", 0, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, fn_version},
    {"penalty_install", 0, SQLITE_UTF8 | SQLITE_DIRECTONLY, fn_install},
    {"penalty_points", 3, SQLITE_UTF8 | SQLITE_INNOCUOUS, fn_points},
    {"penalty_level", 2, SQLITE_UTF8 | SQLITE_INNOCUOUS, fn_level},
};

}  // namespace

int register_scalar_functions(sqlite3* db, Connection* conn) {
    for (const ScalarDef& d : kScalars) {
        conn->retain();  // released by SQLite through Connection::release, also on failure
        const int rc = sqlite3_create_function_v2(db, d.name, d.nargs, d.flags, conn, d.fn, nullptr, nullptr,
                                                  &Connection::release);
        if (rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
}

}  // namespace penalty::glue
