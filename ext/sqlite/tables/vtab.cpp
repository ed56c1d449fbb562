// vtab.cpp — the parts of vtab.hpp that do not depend
// on the table: its schema text, usage text and argument planning.
#include "sqlite/tables/vtab.hpp"

#include <fmt/format.h>

namespace penalty::glue::table_detail {

std::string schema_sql(const ColumnDef* columns, std::size_t ncolumns, const char* const* arguments,
                       std::size_t narguments) {
    std::string sql = "CREATE TABLE x(";
    for (std::size_t k = 0; k < ncolumns; ++k)
        sql += fmt::format("{}{}{}{}", k ? ", " : "", columns[k].name, *columns[k].type ? " " : "", columns[k].type);
    for (std::size_t k = 0; k < narguments; ++k) sql += fmt::format(", {} HIDDEN", arguments[k]);
    return sql + ")";
}

std::string usage(const char* fn, const char* const* arguments, std::size_t narguments, std::size_t required) {
    std::string out = fmt::format("{}(", fn);
    for (std::size_t k = 0; k < narguments; ++k)
        out += fmt::format("{}{}", k < required ? (k ? ", " : "") : (k ? " [, " : "["), arguments[k]);
    return out + std::string(narguments - required, ']') + ")";
}

int plan_arguments(sqlite3_index_info* info, int first, std::size_t narguments, std::size_t required, int* bits,
                   int* next_argv) {
    constexpr std::size_t kMax = 8;
    if (narguments > kMax) return SQLITE_INTERNAL;
    int found[kMax];
    bool unusable[kMax];
    for (std::size_t j = 0; j < narguments; ++j) found[j] = -1, unusable[j] = false;
    for (int k = 0; k < info->nConstraint; ++k) {
        const auto& c = info->aConstraint[k];
        if (c.op != SQLITE_INDEX_CONSTRAINT_EQ || c.iColumn < first ||
            c.iColumn >= first + static_cast<int>(narguments))
            continue;
        if (c.usable) found[c.iColumn - first] = k;
        else unusable[c.iColumn - first] = true;
    }
    *bits = 0;
    for (std::size_t j = 0; j < narguments; ++j) {
        if (found[j] >= 0) continue;
        if (unusable[j]) return SQLITE_CONSTRAINT;
        // A required argument not given at all: no usable plan. Not an
        // error here: SQLite also plans each branch of an OR on its own,
        // without the arguments, and must be free to reject that plan.
        if (j < required) *bits = kMissing;
    }
    if (*bits == kMissing) return SQLITE_OK;
    for (std::size_t j = 0; j < narguments; ++j) {
        if (found[j] < 0) continue;
        info->aConstraintUsage[found[j]].argvIndex = (*next_argv)++;
        info->aConstraintUsage[found[j]].omit = 1;
        if (j >= required) *bits |= optional_bit(static_cast<int>(j));
    }
    return SQLITE_OK;
}

bool plan_seller(sqlite3_index_info* info, int argv_slot) {
    int seller = -1;
    for (int k = 0; k < info->nConstraint; ++k) {
        const auto& c = info->aConstraint[k];
        if (c.op == SQLITE_INDEX_CONSTRAINT_EQ && c.iColumn == 0 && c.usable) seller = k;
    }
    if (seller < 0) return false;
    // The source compares seller_id with its own affinity and collation,
    // exactly; SQLite need not check again.
    info->aConstraintUsage[seller].argvIndex = argv_slot;
    info->aConstraintUsage[seller].omit = 1;
    info->idxStr = const_cast<char*>("seller_id=?");  // static: needToFreeIdxStr stays 0
    return true;
}

int connect(sqlite3* db, void* aux, const std::string& schema, sqlite3_vtab** out) noexcept {
    int rc = sqlite3_declare_vtab(db, schema.c_str());
    if (rc != SQLITE_OK) return rc;
    rc = sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
    if (rc != SQLITE_OK) return rc;
    auto* t = static_cast<Table*>(sqlite3_malloc(sizeof(Table)));
    if (!t) return SQLITE_NOMEM;
    *t = {};
    t->reg = static_cast<Registered*>(aux);
    *out = &t->base;
    return SQLITE_OK;
}

int disconnect(sqlite3_vtab* vtab) noexcept {
    sqlite3_free(vtab);
    return SQLITE_OK;
}

}  // namespace penalty::glue::table_detail
