// source_rows.hpp — source rows for the unit tests of the read path
// (core/row_check.hpp, core/event_sort.hpp): owning rows of SQL values, a
// RowSource over a vector of them, and the error text of a call.
#pragma once

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/event_sort.hpp"
#include "helpers.hpp"

namespace test {

inline Cell R(double v) { return Cell::from(ValueView::real(v)); }
inline Cell B(std::string_view s) { return Cell::from(ValueView::blob(s)); }

// One source row: its values in RowShape column order.
using SourceValues = std::vector<Cell>;

// The values of `row` as the views RowChecker::check reads.
inline std::vector<ValueView> views(const SourceValues& row) {
    std::vector<ValueView> out;
    for (const Cell& c : row) out.push_back(c.view());
    return out;
}

// A RowSource over a vector of rows, in vector order; with `fail_at`, its
// step() throws std::runtime_error("step failed") instead of moving to row
// `fail_at` (as SQLite's step can fail mid-read).
class VectorSource final : public RowSource {
public:
    explicit VectorSource(const std::vector<SourceValues>& rows, std::size_t fail_at = SIZE_MAX)
        : rows_(rows), fail_at_(fail_at) {}
    bool step() override {
        const std::size_t next = started_ ? at_ + 1 : 0;
        if (next == fail_at_) throw std::runtime_error("step failed");
        started_ = true;
        at_ = next;
        ++steps_;
        return at_ < rows_.size();
    }
    void row(ValueView* cols) const override {
        const SourceValues& r = rows_[at_];
        for (std::size_t c = 0; c < r.size(); ++c) cols[c] = r[c].view();
    }
    std::size_t steps() const { return steps_; }

private:
    const std::vector<SourceValues>& rows_;
    std::size_t fail_at_;
    std::size_t at_ = 0, steps_ = 0;
    bool started_ = false;
};

// The message of what `f` throws; "no error" when it returns.
template <class F>
std::string error_of(F&& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace test
