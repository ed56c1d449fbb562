// check.cpp — penalty_check(ruleset): one row per problem of a ruleset.
//
//   SELECT severity, tbl, message FROM penalty_check('taobao');
//
// Columns: severity ('error' | 'warning'), tbl (the rule table), message
// (the row and what was expected). No rows: the ruleset is valid. Errors
// come first, in table order; a ruleset that does not exist is one error
// row (penalty_ruleset). The rule tables themselves missing is an SQL error.
// The checks are docs/model.md §2's, all in ext/core/rules_compile.cpp.
#include <algorithm>
#include <vector>

#include "sqlite/tables/vtab.hpp"
#include "sqlite/base/values.hpp"

namespace penalty::glue {

namespace {

struct Check {
    enum Column { kSeverity, kTbl, kMessage };  // the order of `columns`
    static constexpr ColumnDef columns[] = {{"severity", "TEXT"}, {"tbl", "TEXT"}, {"message", "TEXT"}};
    static constexpr const char* arguments[] = {"ruleset"};
    static constexpr TableShape shape{.required = 1, .seller_pushdown = false, .rows = 10, .cost = 100,
                                      .seller_rows = 0};

    class Cursor {
    public:
        void filter(Connection& conn, const char*, sqlite3_value* const* args, sqlite3_value*) {
            rows_ = conn.compiled(text_arg(args[0], "ruleset")).problems;
            std::stable_partition(rows_.begin(), rows_.end(), [](const Problem& p) { return p.error; });
            at_ = 0;
        }
        void next() { ++at_; }
        bool eof() const { return at_ >= rows_.size(); }
        void column(sqlite3_context* ctx, int col) const {
            const Problem& p = rows_[at_];
            switch (col) {
                case kSeverity: sqlite3_result_text(ctx, p.error ? "error" : "warning", -1, SQLITE_STATIC); break;
                case kTbl: result_text(ctx, p.table); break;
                case kMessage: result_text(ctx, p.message); break;
            }
        }

    private:
        std::vector<Problem> rows_;
        std::size_t at_ = 0;
    };
};

}  // namespace

extern const sqlite3_module kCheckModule = table_module<Check>();

}  // namespace penalty::glue
