// scalar.hpp — the callbacks of the scalar SQL functions
// (scalar.cpp), registered by entry.cpp.
#pragma once

#include "sqlite/base/sqlite_api.hpp"

namespace penalty::glue {

using ScalarCallback = void (*)(sqlite3_context*, int, sqlite3_value**);

void fn_version(sqlite3_context* ctx, int argc, sqlite3_value** argv);  // penalty_version()
void fn_install(sqlite3_context* ctx, int argc, sqlite3_value** argv);  // penalty_install()
void fn_copy_ruleset(sqlite3_context* ctx, int argc, sqlite3_value** argv);  // penalty_copy_ruleset(from, to)
void fn_points(sqlite3_context* ctx, int argc, sqlite3_value** argv);   // penalty_points(ruleset, code, at)
void fn_level(sqlite3_context* ctx, int argc, sqlite3_value** argv);    // penalty_level(ruleset, credit)
void fn_config(sqlite3_context* ctx, int argc, sqlite3_value** argv);   // penalty_config(name [, value])
void fn_read_plan(sqlite3_context* ctx, int argc, sqlite3_value** argv);  // penalty_read_plan(source)

}  // namespace penalty::glue
