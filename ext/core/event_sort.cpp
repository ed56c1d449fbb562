// event_sort.cpp — the sort strategy's read, sort and hand-out (event_sort.hpp).
#include "core/event_sort.hpp"

#include <algorithm>
#include <cstring>
#include <exception>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/record_store.hpp"
#include "core/row_check.hpp"
#include "core/seller_table.hpp"

namespace penalty {

using records::base;
using records::kHasPoints;
using records::kHasRevoked;
using records::Rec;
using records::RecX;
using records::Store;

namespace {

// Rows copied out of a RowSource's current row, so that they are checked and made records off the connection's thread: the
// values of each row in the query's column order, their text and blob
// bytes in `bytes`, which never moves while the block holds rows.
class RowBlock {
public:
    static constexpr std::size_t kRows = 2048, kBytes = std::size_t{96} << 10;

    void clear(int columns) {
        columns_ = static_cast<std::size_t>(columns);
        rows_ = used_ = 0;
        if (values_.size() < kRows * columns_) values_.resize(kRows * columns_);
        if (bytes_.size() < kBytes) bytes_.resize(kBytes);
    }
    std::size_t rows() const { return rows_; }
    bool full() const { return rows_ == kRows; }
    const ValueView* row(std::size_t k) const { return &values_[k * columns_]; }

    // Copies the reader's current row; false when its bytes do not fit
    // (then nothing is copied and the block has rows: send it first).
    bool add(const RowSource& rows) {
        ValueView* cols = &values_[rows_ * columns_];
        rows.row(cols);
        std::size_t need = 0;
        for (std::size_t c = 0; c < columns_; ++c) need += cols[c].s.size();
        if (used_ + need > bytes_.size()) {
            if (rows_ > 0) return false;
            bytes_.resize(need);  // one row larger than a block: no view into bytes_ yet
        }
        for (std::size_t c = 0; c < columns_; ++c) {
            std::string_view& v = cols[c].s;
            if (v.empty()) continue;
            std::memcpy(&bytes_[used_], v.data(), v.size());
            v = std::string_view(&bytes_[used_], v.size());
            used_ += v.size();
        }
        ++rows_;
        return true;
    }

private:
    std::size_t columns_ = 3, rows_ = 0, used_ = 0;
    std::vector<ValueView> values_;
    std::vector<char> bytes_;
};


}  // namespace

struct EventSorter::Impl {
    // A block of rows made records by a job: on a worker thread, or at
    // once without one (WorkerPool).
    struct Convert final : WorkerPool::Job {
        Impl* m = nullptr;
        RowBlock block;
        std::exception_ptr error;  // the first bad row's (the rows after it are not read)
        void run() noexcept override {
            try {
                constexpr std::size_t kAhead = 16;
                const std::size_t n = block.rows();
                for (std::size_t k = 0; k < std::min(kAhead, n); ++k) m->sellers.prefetch(block.row(k)[0]);
                for (std::size_t k = 0; k < n; ++k) {
                    if (k + kAhead < n) m->sellers.prefetch(block.row(k + kAhead)[0]);
                    m->convert(block.row(k));
                }
            } catch (...) {
                error = std::current_exception();
            }
        }
    };

    RowSource* source = nullptr;  // during read()
    RowChecker checker;
    const RowShape* shape = nullptr;
    const Ruleset* rules = nullptr;
    std::optional<Time> revocations_until;
    std::int64_t seq = 0;  // rows read
    ValueKey key;          // the row's seller_id (keeps its capacity between rows)
    SellerTable sellers;
    records::Store<records::Rec> plain;     // without points and revoked_at
    records::Store<records::RecX> wide;     // with either
    bool extras = false, has_rowid = false, has_points = false, has_revoked = false, has_cycle = false;
    std::vector<std::optional<Time>> anchors;  // by seller id, with a cycle track
    std::vector<std::string> revoked_codes;    // the code texts of revoked rows
    std::unordered_map<std::string, std::int32_t> revoked_ids;
    const void* pending = nullptr;             // the first record of the next seller
    Convert jobs[2];                           // one fills while the other converts
    WorkerPool* pool = nullptr;                // the query's (no job outlives a read)

    // Checks one row and adds its record (a job's work, in read order).
    void convert(const ValueView* cols) {
        key.assign(cols[0]);
        const std::uint32_t id = sellers.intern(key);
        if (has_cycle && id >= anchors.size()) anchors.resize(id + 1);
        std::optional<Time> no_anchor;  // stays empty without a cycle track: RowChecker::check reads anchor_at only with one
        SourceRow row;
        checker.check(cols, *rules, revocations_until, has_cycle ? anchors[id] : no_anchor, row);
        Rec r;
        r.seller = id;
        r.real = cols[0].kind == Kind::Real && key.kind == Kind::Integer;
        r.code = row.revoked ? revoked_code(cols[1]) : row.event.code;
        r.at = row.event.at;
        const int rowid_col = shape->rowid_col;
        if (rowid_col >= 0 && cols[rowid_col].kind == Kind::Integer) {
            r.tie = cols[rowid_col].i;
        } else {
            r.tie = seq;
            has_rowid = false;  // a view answers rowid with NULL: it has none
        }
        ++seq;
        if (!extras) {
            plain.add(r, sellers);
            return;
        }
        RecX x{r, row.points.value_or(0), row.revoked_at.value_or(0),
               (row.points ? kHasPoints : 0u) | (row.revoked_at ? kHasRevoked : 0u)};
        wide.add(x, sellers);
    }

    // Waits for `job` and throws its error.
    void finish(Convert& job) {
        pool->wait(job);
        if (job.error) std::rethrow_exception(std::exchange(job.error, nullptr));
    }

    // Reads every row: this thread copies blocks of rows while a worker
    // converts the block before, one block at a time, in order; the first
    // error in read order is thrown. Without a worker each row is converted
    // where the source holds it.
    void read_all() {
        if (!pool || pool->workers() == 0) {
            ValueView cols[RowShape::kMaxColumns];
            while (source->step()) {
                source->row(cols);
                convert(cols);
            }
            return;
        }
        for (Convert& j : jobs) {
            j.m = this;
            j.error = nullptr;
        }
        int cur = 0;
        bool held = false;  // the source holds a row not yet copied
        try {
            for (;;) {
                Convert& job = jobs[cur];
                Convert& before = jobs[1 - cur];
                job.block.clear(shape->columns);
                bool more = true;
                try {
                    while (!job.block.full()) {
                        if (!held && !source->step()) {
                            more = false;
                            break;
                        }
                        held = !job.block.add(*source);
                        if (held) break;
                    }
                } catch (...) {
                    // A bad row read before the source's error comes first: in
                    // the block before, then in this block's rows (checked
                    // here: no worker holds a job now).
                    finish(before);
                    job.run();
                    if (job.error) std::rethrow_exception(std::exchange(job.error, nullptr));
                    throw;
                }
                finish(before);
                pool->submit(job);
                if (!more) break;
                cur = 1 - cur;
            }
        } catch (...) {
            for (Convert& j : jobs) pool->wait(j);  // no job outlives the read
            throw;
        }
        finish(jobs[cur]);
    }

    std::int32_t revoked_code(const ValueView& code) {
        std::string text = revoked_code_text(code);
        auto it = revoked_ids.find(text);
        if (it != revoked_ids.end()) return it->second;
        if (revoked_codes.size() >= (std::size_t{1} << 30) - 1) throw Error("more than 2^30 distinct revoked codes");
        const auto id = -1 - static_cast<std::int32_t>(revoked_codes.size());
        revoked_codes.push_back(text);
        revoked_ids.emplace(std::move(text), id);
        return id;
    }

    template <class R>
    bool fill(Store<R>& store, SellerBatch& out) {
        const R* r = pending ? static_cast<const R*>(pending) : store.next();
        pending = nullptr;
        if (!r) {
            release();
            return false;
        }
        const std::uint32_t id = base(*r).seller;
        out.key.assign(sellers.key(id));
        out.key_real = base(*r).real;
        if (has_cycle) out.anchor = anchors[id];
        do {
            const Rec& b = base(*r);
            if (out.events.size() >= UINT32_MAX)
                throw Error(fmt::format("seller_id = {}: more than 4294967295 events", sql_literal(out.key.view())));
            Event e;
            e.at = b.at;
            e.seq = static_cast<std::uint32_t>(out.events.size());
            e.code = b.code;
            if (b.code < 0) {
                e.code = -1 - static_cast<std::int32_t>(out.unknown.size());
                out.unknown.push_back(revoked_codes[static_cast<std::size_t>(-1 - b.code)]);
            }
            if (has_rowid) out.rowids.push_back(b.tie);
            if constexpr (std::is_same_v<R, RecX>) {
                if (has_points)
                    out.points.push_back(r->flags & kHasPoints ? std::optional<std::int64_t>(r->points) : std::nullopt);
                if (has_revoked)
                    out.revoked_at.push_back(r->flags & kHasRevoked ? std::optional<Time>(r->revoked_at) : std::nullopt);
            }
            out.events.push_back(e);
            r = store.next();
        } while (r && base(*r).seller == id);
        pending = r;
        return true;
    }

    void release() {
        plain.release();
        wide.release();
        sellers.clear();
        std::vector<std::optional<Time>>().swap(anchors);
        revoked_codes.clear();
        revoked_ids.clear();
        pending = nullptr;
    }
};

EventSorter::EventSorter() = default;  // no allocation: a cursor is made in xOpen, which must not throw
EventSorter::~EventSorter() = default;

std::size_t EventSorter::runs() const {
    if (!impl_) return 0;
    return impl_->extras ? impl_->wide.runs() : impl_->plain.runs();
}

void EventSorter::read(RowSource& rows, const RowShape& shape, const Ruleset& rules,
                       std::optional<Time> revocations_until, std::int64_t memory_budget, WorkerPool* pool) {
    if (!impl_) impl_ = std::make_unique<Impl>();
    Impl& m = *impl_;
    m.release();
    m.source = &rows;
    m.shape = &shape;
    m.pool = pool && pool->workers() > 0 ? pool : nullptr;
    m.checker.reset(shape);
    m.rules = &rules;
    m.revocations_until = revocations_until;
    m.seq = 0;
    m.has_rowid = shape.rowid_col >= 0;
    m.has_points = shape.points_col >= 0;
    m.has_revoked = shape.revoked_col >= 0;
    m.extras = m.has_points || m.has_revoked;
    m.has_cycle = rules.has_cycle;
    m.plain.reset(memory_budget);
    m.wide.reset(memory_budget);
    m.read_all();
    m.source = nullptr;
    if (m.extras) m.wide.finish(m.sellers.ranks(), m.pool);
    else m.plain.finish(m.sellers.ranks(), m.pool);
}

bool EventSorter::next(SellerBatch& out) {
    out.clear();
    if (!impl_) return false;
    return impl_->extras ? impl_->fill(impl_->wide, out) : impl_->fill(impl_->plain, out);
}

}  // namespace penalty
