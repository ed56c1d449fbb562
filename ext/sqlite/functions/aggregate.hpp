// aggregate.hpp — the callbacks of the aggregate (and window)
// functions (aggregate.cpp), registered by entry.cpp.
#pragma once

#include "sqlite/base/sqlite_api.hpp"

namespace penalty::glue {

struct WindowCallbacks {
    void (*step)(sqlite3_context*, int, sqlite3_value**);
    void (*final)(sqlite3_context*);
    void (*value)(sqlite3_context*);
    void (*inverse)(sqlite3_context*, int, sqlite3_value**);
};

extern const WindowCallbacks kTotalCallbacks;     // penalty_total(ruleset, code, at, as_of [, track])
extern const WindowCallbacks kRepeatsCallbacks;   // penalty_repeats(ruleset, code, at, as_of)
extern const WindowCallbacks kClosureCallbacks;   // penalty_closure(ruleset, code, at, as_of)
extern const WindowCallbacks kStandingCallbacks;  // penalty_standing(ruleset, code, at, as_of)

}  // namespace penalty::glue
