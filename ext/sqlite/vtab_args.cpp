// vtab_args.cpp — the hidden-argument part of xBestIndex, shared by the
// three table-valued functions.
#include "vtab_args.hpp"

namespace penalty::glue {

int plan_arguments(sqlite3_vtab* vtab, sqlite3_index_info* info, int first, int count, const char* fn,
                   const char* usage) {
    constexpr int kMax = 8;  // the tables have at most 3 arguments
    if (count > kMax) return SQLITE_INTERNAL;
    int found[kMax];
    bool unusable[kMax];
    for (int j = 0; j < count; ++j) found[j] = -1, unusable[j] = false;
    for (int k = 0; k < info->nConstraint; ++k) {
        const auto& c = info->aConstraint[k];
        if (c.op != SQLITE_INDEX_CONSTRAINT_EQ || c.iColumn < first || c.iColumn >= first + count) continue;
        if (c.usable) found[c.iColumn - first] = k;
        else unusable[c.iColumn - first] = true;
    }
    for (int j = 0; j < count; ++j) {
        if (found[j] >= 0) continue;
        if (unusable[j]) return SQLITE_CONSTRAINT;
        sqlite3_free(vtab->zErrMsg);
        vtab->zErrMsg = sqlite3_mprintf("%s: missing argument: expected %s", fn, usage);
        return vtab->zErrMsg ? SQLITE_ERROR : SQLITE_NOMEM;
    }
    for (int j = 0; j < count; ++j) {
        info->aConstraintUsage[found[j]].argvIndex = j + 1;
        info->aConstraintUsage[found[j]].omit = 1;
    }
    return SQLITE_OK;
}

}  // namespace penalty::glue
