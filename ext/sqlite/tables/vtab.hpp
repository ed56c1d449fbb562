// vtab.hpp — the plumbing every table-valued function shares.
//
// A table-valued function here is an eponymous-only virtual table
// (CREATE VIRTUAL TABLE is refused) whose arguments are HIDDEN columns
// after its data columns: SQLite hands `penalty_x('a', 'b')` to xBestIndex
// as equality constraints on those columns. table_module<Spec>() builds the
// whole sqlite3_module from a Spec that says only what is particular to one
// table; each table is one file, tables/<name>.cpp:
//
//   struct Spec {
//       static constexpr ColumnDef columns[] = {{"seller_id", ""}, {"points", "INTEGER"}};
//       static constexpr const char* arguments[] = {"ruleset", "source", "as_of"};
//       static constexpr TableShape shape{.required = 3, .seller_pushdown = true, .rows = 1e6, .cost = 1e8,
//                                         .seller_rows = 1};
//       class Cursor {
//       public:
//           // Starts a scan. args[k] is the k-th argument, nullptr when an
//           // optional one was not given; seller non-null: only that seller.
//           void filter(Connection& conn, const char* fn, sqlite3_value* const* args, sqlite3_value* seller);
//           void next();
//           bool eof() const;
//           void column(sqlite3_context* ctx, int col);  // a data column
//       };
//   };
//   extern const sqlite3_module kXModule = table_module<Spec>();
//
// Cursor methods may throw: penalty::Error becomes "<fn>: message" (fn is
// the SQL name registered in entry.cpp), std::bad_alloc SQLITE_NOMEM.
// The hidden columns echo the arguments; the rowid is the row's position.
//
// Every table is SQLITE_VTAB_INNOCUOUS, deliberately: reporting scripts put
// them in views, and with trusted_schema=OFF (the safe setting) SQLite
// refuses a non-innocuous table inside a view. They are safe there:
// read-only, no side effects, and they read only tables of this same
// connection that the view's author could have selected directly.
#pragma once

#include <array>
#include <cstddef>
#include <new>
#include <string>

#include "sqlite/base/registered.hpp"
#include "sqlite/base/errors.hpp"

namespace penalty::glue {

struct ColumnDef {
    const char* name;
    const char* type;  // declared type, "" for none
};

// How a table-valued function is called and what a scan costs.
struct TableShape {
    std::size_t required = 0;      // the first `required` arguments must be given; the rest are optional
    bool seller_pushdown = false;  // columns[0] is seller_id: `seller_id = ?` reaches filter() as `seller`
    double rows = 0;               // estimated rows of a whole scan
    double cost = 0;               // and its cost
    double seller_rows = 0;        // estimated rows of one seller's scan (cost 30, an index look-up); 1: unique
};

namespace table_detail {

// idxNum bits (xBestIndex -> xFilter). argv holds the given arguments in
// column order, then seller_id when kBySeller.
constexpr int kBySeller = 1;
constexpr int optional_bit(int k) { return 2 << k; }  // optional argument k given
constexpr int kMissing = 1 << 30;                      // a required argument is missing

// "CREATE TABLE x(<columns>, <arguments> HIDDEN)".
std::string schema_sql(const ColumnDef* columns, std::size_t ncolumns, const char* const* arguments,
                       std::size_t narguments);

// "<fn>(a, b [, c [, d]])": the call with its optional arguments.
std::string usage(const char* fn, const char* const* arguments, std::size_t narguments, std::size_t required);

// The argument part of xBestIndex: every required argument needs a usable
// equality constraint, optional ones are taken when usable; sets argv slots
// 1.. in argument order and returns the idxNum bits of the optional ones
// given in *bits. Returns SQLITE_CONSTRAINT when a constraint exists but is
// unusable (the planner then tries another join order). When a required
// argument has no constraint at all, *bits is kMissing: the plan costs
// "infinitely" much, and xFilter reports "missing argument" should SQLite
// have no other plan.
int plan_arguments(sqlite3_index_info* info, int first, std::size_t narguments, std::size_t required, int* bits,
                   int* next_argv);

// The seller_id part: uses a usable `seller_id = ?` (column 0) when there is
// one, as argv slot `argv_slot`. Returns whether it did.
bool plan_seller(sqlite3_index_info* info, int argv_slot);

struct Table {
    sqlite3_vtab base;  // must be first: SQLite sees a sqlite3_vtab*
    Registered* reg;    // pAux: the connection and the SQL name
};

int connect(sqlite3* db, void* aux, const std::string& schema, sqlite3_vtab** out) noexcept;
int disconnect(sqlite3_vtab* vtab) noexcept;

}  // namespace table_detail

template <class Spec>
class TableFunction {
public:
    static constexpr std::size_t kColumns = std::size(Spec::columns);
    static constexpr std::size_t kArguments = std::size(Spec::arguments);
    using Arguments = std::array<sqlite3_value*, kArguments>;

    static constexpr sqlite3_module module() {
        sqlite3_module m{};
        m.iVersion = 0;
        m.xCreate = nullptr;                      // eponymous-only: CREATE VIRTUAL TABLE is refused
        m.xConnect = connect;                     // declares the schema, marks the table innocuous
        m.xBestIndex = best_index;                // required arguments, optional ones, seller_id = ?
        m.xDisconnect = table_detail::disconnect;
        m.xDestroy = table_detail::disconnect;
        m.xOpen = open;                           // a cursor: Spec::Cursor and the echoed arguments
        m.xClose = close;
        m.xFilter = filter;                       // Spec::Cursor::filter
        m.xNext = next;                           // Spec::Cursor::next
        m.xEof = eof;
        m.xColumn = column;                       // data columns: Spec::Cursor::column; hidden: the arguments
        m.xRowid = rowid;                         // the row's position, from 1
        // xUpdate, xBegin, xSync, xCommit, xRollback, xFindFunction, xRename,
        // xSavepoint, xRelease, xRollbackTo, xShadowName: NULL (read-only, no transactions)
        return m;
    }

private:
    struct Cursor {
        sqlite3_vtab_cursor base{};  // must be first
        typename Spec::Cursor spec;
        Arguments args{};            // copies of the arguments, for the hidden columns
        sqlite3_int64 row = 0;

        ~Cursor() { free_args(); }
        void free_args() {
            for (sqlite3_value*& v : args) {
                sqlite3_value_free(v);
                v = nullptr;
            }
        }
    };

    static const char* name_of(sqlite3_vtab* vtab) { return reinterpret_cast<table_detail::Table*>(vtab)->reg->name; }
    static Cursor& cursor_of(sqlite3_vtab_cursor* cur) { return *reinterpret_cast<Cursor*>(cur); }

    static int connect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out, char**) {
        try {
            return table_detail::connect(
                db, aux, table_detail::schema_sql(Spec::columns, kColumns, Spec::arguments, kArguments), out);
        } catch (...) {
            return SQLITE_NOMEM;
        }
    }

    static int best_index(sqlite3_vtab*, sqlite3_index_info* info) {
        int bits = 0, next_argv = 1;
        constexpr TableShape shape = Spec::shape;
        const int rc = table_detail::plan_arguments(info, static_cast<int>(kColumns), kArguments, shape.required,
                                                    &bits, &next_argv);
        if (rc != SQLITE_OK) return rc;
        if (bits == table_detail::kMissing) {
            info->idxNum = bits;
            info->estimatedCost = 1e300;
            info->estimatedRows = INT64_MAX;
            return SQLITE_OK;
        }
        const bool by_seller = shape.seller_pushdown && table_detail::plan_seller(info, next_argv);
        if (by_seller) bits |= table_detail::kBySeller;
        info->idxNum = bits;
        info->estimatedRows = static_cast<sqlite3_int64>(by_seller ? shape.seller_rows : shape.rows);
        info->estimatedCost = by_seller ? 30 : shape.cost;
        if (by_seller && shape.seller_rows == 1) info->idxFlags |= SQLITE_INDEX_SCAN_UNIQUE;
        return SQLITE_OK;
    }

    static int open(sqlite3_vtab*, sqlite3_vtab_cursor** out) {
        auto* c = new (std::nothrow) Cursor();
        if (!c) return SQLITE_NOMEM;
        *out = &c->base;
        return SQLITE_OK;
    }

    static int close(sqlite3_vtab_cursor* cur) {
        delete &cursor_of(cur);
        return SQLITE_OK;
    }

    static int filter(sqlite3_vtab_cursor* cur, int idx_num, const char*, int argc, sqlite3_value** argv) {
        Cursor& c = cursor_of(cur);
        auto* table = reinterpret_cast<table_detail::Table*>(cur->pVtab);
        return vtab_guard(cur->pVtab, table->reg->name, [&] {
            if (idx_num & table_detail::kMissing)
                throw Error("missing argument: expected " +
                            table_detail::usage(table->reg->name, Spec::arguments, kArguments, Spec::shape.required));
            c.free_args();
            Arguments given{};
            int a = 0;
            for (std::size_t k = 0; k < kArguments; ++k) {
                const bool present =
                    k < Spec::shape.required || (idx_num & table_detail::optional_bit(static_cast<int>(k)));
                if (!present) continue;
                if (a >= argc) throw Error("missing argument");
                given[k] = argv[a++];
                if (!(c.args[k] = sqlite3_value_dup(given[k]))) throw std::bad_alloc();
            }
            sqlite3_value* seller = nullptr;
            if (idx_num & table_detail::kBySeller) {
                if (a >= argc) throw Error("missing seller_id");
                seller = argv[a];
            }
            c.row = 1;
            c.spec.filter(*table->reg->conn, table->reg->name, given.data(), seller);
            return SQLITE_OK;
        });
    }

    static int next(sqlite3_vtab_cursor* cur) {
        Cursor& c = cursor_of(cur);
        return vtab_guard(cur->pVtab, name_of(cur->pVtab), [&] {
            c.spec.next();
            ++c.row;
            return SQLITE_OK;
        });
    }

    static int eof(sqlite3_vtab_cursor* cur) { return cursor_of(cur).spec.eof() ? 1 : 0; }

    static int column(sqlite3_vtab_cursor* cur, sqlite3_context* ctx, int col) {
        Cursor& c = cursor_of(cur);
        if (col >= static_cast<int>(kColumns)) {  // a hidden argument, echoed (NULL when not given)
            sqlite3_value* v = c.args[static_cast<std::size_t>(col) - kColumns];
            if (v) sqlite3_result_value(ctx, v);
            else sqlite3_result_null(ctx);
            return SQLITE_OK;
        }
        guard(ctx, name_of(cur->pVtab), [&] { c.spec.column(ctx, col); });
        return SQLITE_OK;
    }

    static int rowid(sqlite3_vtab_cursor* cur, sqlite3_int64* out) {
        *out = cursor_of(cur).row;
        return SQLITE_OK;
    }
};

template <class Spec>
constexpr sqlite3_module table_module() {
    return TableFunction<Spec>::module();
}

}  // namespace penalty::glue
