// scalar_functions.cpp — penalty_version(), penalty_install(),
// penalty_points(ruleset, code, at), penalty_level(ruleset, credit).
//
// Names, argument counts and flags are declared in catalog.cpp; error
// messages start with the name registered there.
#include <cmath>

#include <fmt/format.h>

#include "scalar_functions.hpp"

#include "../core/engine.hpp"
#include "../core/rule_tables.hpp"
#include "catalog.hpp"
#include "errors.hpp"
#include "statement.hpp"
#include "values.hpp"

#include "penalty.h"  // PENALTY_VERSION, generated from project(VERSION)

namespace penalty::glue {

extern const char* const kSchemaSql;  // generated from sql/schema.sql

namespace {

// The ruleset named by argument 0. While that argument is a constant, the
// compiled ruleset is kept as SQLite auxdata for the rest of the statement,
// so a scan calls the rules cache once, not once per row.
std::shared_ptr<const Ruleset> ruleset_of(sqlite3_context* ctx, std::string_view name) {
    using Held = std::shared_ptr<const Ruleset>;
    if (auto* held = static_cast<Held*>(sqlite3_get_auxdata(ctx, 0))) return *held;
    Held rules = registered(ctx).conn->ruleset(name);
    // On failure SQLite calls the destructor at once; the copy stays valid.
    sqlite3_set_auxdata(ctx, 0, new Held(rules), [](void* p) { delete static_cast<Held*>(p); });
    return rules;
}

// How many of the rule tables are missing from "main".
int missing_tables(sqlite3* db) {
    Statement st;
    check_rc(db,
             sqlite3_prepare_v3(db, "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?1", -1, 0,
                                st.out(), nullptr),
             "reading the schema");
    int missing = 0;
    for (const char* table : kRuleTableNames) {
        check_rc(db, sqlite3_bind_text(st.get(), 1, table, -1, SQLITE_STATIC), "reading the schema");
        const int rc = sqlite3_step(st.get());
        check_rc(db, rc, "reading the schema");
        if (rc == SQLITE_DONE) ++missing;
        check_rc(db, sqlite3_reset(st.get()), "reading the schema");
    }
    return missing;
}

}  // namespace

void fn_version(sqlite3_context* ctx, int, sqlite3_value**) {
    sqlite3_result_text(ctx, PENALTY_VERSION, -1, SQLITE_STATIC);
}

void fn_install(sqlite3_context* ctx, int, sqlite3_value**) {
    guard(ctx, registered(ctx).name, [&] {
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
    guard(ctx, registered(ctx).name, [&] {
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
    guard(ctx, registered(ctx).name, [&] {
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

}  // namespace penalty::glue
