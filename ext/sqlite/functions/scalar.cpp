// scalar.cpp — penalty_version(), penalty_install(),
// penalty_copy_ruleset(from, to),
// penalty_points(ruleset, code, at), penalty_level(ruleset, credit),
// penalty_config(name [, value]) (settings.hpp) and
// penalty_read_plan(source) (read_plan.hpp).
//
// Names, argument counts and flags are declared in entry.cpp; error
// messages start with the name registered there.
#include <cmath>

#include <fmt/format.h>

#include "sqlite/functions/scalar.hpp"

#include "core/engine.hpp"
#include "sqlite/base/registered.hpp"
#include "sqlite/rules/copy.hpp"
#include "sqlite/base/errors.hpp"
#include "sqlite/read/read_plan.hpp"
#include "sqlite/rules/install.hpp"
#include "sqlite/base/values.hpp"

#include "penalty.h"  // PENALTY_VERSION, generated from project(VERSION)

namespace penalty::glue {

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

}  // namespace

void fn_version(sqlite3_context* ctx, int, sqlite3_value**) {
    sqlite3_result_text(ctx, PENALTY_VERSION, -1, SQLITE_STATIC);
}

void fn_install(sqlite3_context* ctx, int, sqlite3_value**) {
    guard(ctx, registered(ctx).name,
          [&] { sqlite3_result_int(ctx, install_rule_tables(sqlite3_context_db_handle(ctx))); });
}

void fn_copy_ruleset(sqlite3_context* ctx, int, sqlite3_value** argv) {
    guard(ctx, registered(ctx).name, [&] {
        const std::string_view from = text_arg(argv[0], "from");
        const std::string_view to = text_arg(argv[1], "to");
        sqlite3_result_int64(ctx, copy_ruleset(sqlite3_context_db_handle(ctx), from, to));
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

void fn_config(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    guard(ctx, registered(ctx).name, [&] {
        const std::string_view name = text_arg(argv[0], "name");
        Settings& settings = registered(ctx).conn->settings();
        const Cell value = argc == 1 ? config_get(settings, name) : config_set(settings, name, view_of(argv[1]));
        result_view(ctx, value.view());
    });
}

void fn_read_plan(sqlite3_context* ctx, int, sqlite3_value** argv) {
    guard(ctx, registered(ctx).name, [&] {
        const std::string_view source = text_arg(argv[0], "source");
        Connection& conn = *registered(ctx).conn;
        result_text(ctx, choose_read_plan(conn.db(), source, conn.settings()).text);
    });
}

}  // namespace penalty::glue
