// catalog.hpp — registering every SQL object of the extension.
//
// catalog.cpp declares each SQL function (name, argument count, flags,
// callbacks) and each table-valued function (name, module) exactly once;
// register_all() registers them all. Each registered object gets its own
// Registered as user data (pAux for modules): the connection's state and
// the object's SQL name, which every error message starts with. So no
// callback spells its own name.
#pragma once

#include "connection.hpp"
#include "sqlite_api.hpp"

namespace penalty::glue {

// The user data of one registered function or module.
struct Registered {
    Connection* conn;  // one reference, released with the registration
    const char* name;  // the SQL name, e.g. "penalty_points"
};

inline Registered& registered(sqlite3_context* ctx) { return *static_cast<Registered*>(sqlite3_user_data(ctx)); }

// Registers every function and table-valued function of catalog.cpp on db.
// Returns SQLITE_OK, or the first failure's code with *failed set to the
// SQL name of the object that failed.
int register_all(sqlite3* db, Connection* conn, const char** failed);

}  // namespace penalty::glue
