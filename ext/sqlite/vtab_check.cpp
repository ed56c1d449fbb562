// vtab_check.cpp — penalty_check(ruleset): one row per problem of a ruleset.
//
//   SELECT severity, tbl, message FROM penalty_check('taobao');
//
// Columns: severity ('error' | 'warning'), tbl (the rule table), message
// (the row and what was expected). No rows: the ruleset is valid. Errors
// come first, in table order; a ruleset that does not exist is one error
// row (penalty_ruleset). The rule tables themselves missing is an SQL error.
//
// An eponymous-only table-valued function (xCreate is NULL). It is
// SQLITE_VTAB_INNOCUOUS: it reads nothing but this connection's rule tables.

#include <algorithm>
#include <string>

#include "functions.hpp"
#include "glue.hpp"
#include "vtab_args.hpp"

namespace penalty::glue {

namespace {

enum Column { kSeverity, kTbl, kMessage, kRuleset /* HIDDEN */ };

struct CheckTable {
    sqlite3_vtab base;  // must be first: SQLite sees a sqlite3_vtab*
    Connection* conn;
};

struct CheckCursor {
    sqlite3_vtab_cursor base;  // must be first
    std::vector<Problem> rows;
    std::size_t at = 0;
    std::string ruleset;       // the argument, echoed by the hidden column
};

// xConnect: declares the schema; no state beyond the connection.
int check_connect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out, char** err) {
    int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(severity TEXT, tbl TEXT, message TEXT, ruleset HIDDEN)");
    if (rc != SQLITE_OK) return rc;
    rc = sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
    if (rc != SQLITE_OK) return rc;
    auto* t = static_cast<CheckTable*>(sqlite3_malloc(sizeof(CheckTable)));
    if (!t) return SQLITE_NOMEM;
    *t = {};
    t->conn = static_cast<Connection*>(aux);
    *out = &t->base;
    (void)err;
    return SQLITE_OK;
}

int check_disconnect(sqlite3_vtab* vtab) {
    sqlite3_free(vtab);
    return SQLITE_OK;
}

// xBestIndex: the hidden `ruleset` must be given by an equality (argv[0]).
int check_best_index(sqlite3_vtab* vtab, sqlite3_index_info* info) {
    const int rc = plan_arguments(vtab, info, kRuleset, 1, "penalty_check", "penalty_check(ruleset)");
    if (rc != SQLITE_OK) return rc;
    info->idxNum = 1;
    info->estimatedRows = 10;
    info->estimatedCost = 100;
    return SQLITE_OK;
}

int check_open(sqlite3_vtab*, sqlite3_vtab_cursor** out) {
    try {
        auto* c = new CheckCursor();
        *out = &c->base;
        return SQLITE_OK;
    } catch (...) {
        return SQLITE_NOMEM;
    }
}

int check_close(sqlite3_vtab_cursor* cur) {
    delete reinterpret_cast<CheckCursor*>(cur);
    return SQLITE_OK;
}

// xFilter: compiles the ruleset (through the connection's cache) and keeps
// its problems, errors first.
int check_filter(sqlite3_vtab_cursor* cur, int, const char*, int argc, sqlite3_value** argv) {
    auto* c = reinterpret_cast<CheckCursor*>(cur);
    auto* t = reinterpret_cast<CheckTable*>(cur->pVtab);
    return vtab_guard(cur->pVtab, "penalty_check", [&] {
        if (argc != 1) throw Error("missing argument: expected penalty_check(ruleset)");
        const std::string_view name = text_arg(argv[0], "ruleset");
        c->ruleset.assign(name);
        c->rows = t->conn->compiled(name).problems;
        std::stable_partition(c->rows.begin(), c->rows.end(), [](const Problem& p) { return p.error; });
        c->at = 0;
        return SQLITE_OK;
    });
}

int check_next(sqlite3_vtab_cursor* cur) {
    ++reinterpret_cast<CheckCursor*>(cur)->at;
    return SQLITE_OK;
}

int check_eof(sqlite3_vtab_cursor* cur) {
    auto* c = reinterpret_cast<CheckCursor*>(cur);
    return c->at >= c->rows.size();
}

int check_column(sqlite3_vtab_cursor* cur, sqlite3_context* ctx, int col) {
    auto* c = reinterpret_cast<CheckCursor*>(cur);
    const Problem& p = c->rows[c->at];
    switch (col) {
        case kSeverity: sqlite3_result_text(ctx, p.error ? "error" : "warning", -1, SQLITE_STATIC); break;
        case kTbl: result_text(ctx, p.table); break;
        case kMessage: result_text(ctx, p.message); break;
        default: result_text(ctx, c->ruleset); break;  // the argument, echoed
    }
    return SQLITE_OK;
}

int check_rowid(sqlite3_vtab_cursor* cur, sqlite3_int64* rowid) {
    *rowid = static_cast<sqlite3_int64>(reinterpret_cast<CheckCursor*>(cur)->at) + 1;
    return SQLITE_OK;
}

sqlite3_module make_check_module() {
    sqlite3_module m{};
    m.iVersion = 0;
    m.xCreate = nullptr;             // eponymous-only: CREATE VIRTUAL TABLE is refused
    m.xConnect = check_connect;      // declares the schema
    m.xBestIndex = check_best_index; // requires ruleset = ?
    m.xDisconnect = check_disconnect;
    m.xDestroy = check_disconnect;
    m.xOpen = check_open;            // a cursor holds the problem list
    m.xClose = check_close;
    m.xFilter = check_filter;        // compiles the ruleset
    m.xNext = check_next;
    m.xEof = check_eof;
    m.xColumn = check_column;
    m.xRowid = check_rowid;
    // xUpdate, xBegin, xSync, xCommit, xRollback, xFindFunction, xRename: NULL (read-only, no transactions)
    return m;
}

const sqlite3_module kCheckModule = make_check_module();

}  // namespace

int register_check_table(sqlite3* db, Connection* conn) {
    conn->retain();  // released by SQLite through Connection::release, also on failure
    return sqlite3_create_module_v2(db, "penalty_check", &kCheckModule, conn, &Connection::release);
}

}  // namespace penalty::glue
