// statement.hpp — an owning handle for sqlite3_stmt (finalized on scope exit).
#pragma once

#include "sqlite/base/sqlite_api.hpp"

namespace penalty::glue {

class Statement {
public:
    Statement() = default;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement() { reset(); }

    sqlite3_stmt* get() const { return st_; }
    sqlite3_stmt** out() {
        reset();
        return &st_;
    }
    void reset() {
        if (st_) sqlite3_finalize(st_);
        st_ = nullptr;
    }

private:
    sqlite3_stmt* st_ = nullptr;
};

}  // namespace penalty::glue
