// registered.hpp — the user data of every registered SQL object.
//
// Each function and table-valued function gets its own Registered (pAux for
// modules): the connection's state and the object's SQL name, which every
// error message starts with, so no callback spells its own name. entry.cpp
// makes them; SQLite's destructor callback frees them.
#pragma once

#include "sqlite/base/connection.hpp"
#include "sqlite/base/sqlite_api.hpp"

namespace penalty::glue {

struct Registered {
    Connection* conn;  // one reference, released with the registration
    const char* name;  // the SQL name, e.g. "penalty_points"
};

inline Registered& registered(sqlite3_context* ctx) { return *static_cast<Registered*>(sqlite3_user_data(ctx)); }

}  // namespace penalty::glue
