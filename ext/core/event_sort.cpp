// event_sort.cpp — the sort strategy's read, sort and hand-out (event_sort.hpp).
#include "core/event_sort.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <exception>
#include <mutex>
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
using records::RecordBuffer;
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

// The code texts of revoked rows: a revoked row's record keeps -1 - the
// index of its code's text here (its code is never looked up).
class RevokedCodes {
public:
    std::int32_t id(std::string text) {
        auto it = ids_.find(text);
        if (it != ids_.end()) return it->second;
        if (texts_.size() >= (std::size_t{1} << 30) - 1) throw Error("more than 2^30 distinct revoked codes");
        const auto id = -1 - static_cast<std::int32_t>(texts_.size());
        texts_.push_back(text);
        ids_.emplace(std::move(text), id);
        return id;
    }
    const std::string& text(std::int32_t code) const { return texts_[static_cast<std::size_t>(-1 - code)]; }
    std::size_t size() const { return texts_.size(); }
    void clear() {
        texts_.clear();
        ids_.clear();
    }

private:
    std::vector<std::string> texts_;
    std::unordered_map<std::string, std::int32_t> ids_;
};

// One reader's making of records: the row checks, the seller ids, the
// anchors of a cycle track and the revoked codes. A read has one; the
// parallel read one per connection, merged at the end.
struct Converter {
    const RowShape* shape = nullptr;
    const Ruleset* rules = nullptr;
    std::optional<Time> revocations_until;
    bool extras = false, has_cycle = false, has_rowid = false, has_points = false, has_revoked = false;
    RowChecker checker;
    ValueKey key;  // the row's seller_id (keeps its capacity between rows)
    SellerTable sellers;
    std::vector<std::optional<Time>> anchors;  // by seller id, with a cycle track
    RevokedCodes revoked;
    std::int64_t seq = 0;  // rows read

    void reset(const RowShape& s, const Ruleset& r, std::optional<Time> until) {
        release();
        shape = &s;
        rules = &r;
        revocations_until = until;
        checker.reset(s);
        seq = 0;
        has_rowid = s.rowid_col >= 0;
        has_points = s.points_col >= 0;
        has_revoked = s.revoked_col >= 0;
        extras = has_points || has_revoked;
        has_cycle = r.has_cycle;
    }
    void release() {
        sellers.clear();
        std::vector<std::optional<Time>>().swap(anchors);
        revoked.clear();
    }

    // Checks one row and hands its record (Rec, or RecX with extras) to `sink`.
    template <class Sink>
    void convert(const ValueView* cols, Sink&& sink) {
        key.assign(cols[0]);
        const std::uint32_t id = sellers.intern(key);
        if (has_cycle && id >= anchors.size()) anchors.resize(id + 1);
        std::optional<Time> no_anchor;  // stays empty without a cycle track: RowChecker::check reads anchor_at only with one
        SourceRow row;
        checker.check(cols, *rules, revocations_until, has_cycle ? anchors[id] : no_anchor, row);
        Rec r;
        r.seller = id;
        r.real = cols[0].kind == Kind::Real && key.kind == Kind::Integer;
        r.code = row.revoked ? revoked.id(revoked_code_text(cols[1])) : row.event.code;
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
            sink(r);
            return;
        }
        sink(RecX{r, row.points.value_or(0), row.revoked_at.value_or(0),
                  (row.points ? kHasPoints : 0u) | (row.revoked_at ? kHasRevoked : 0u)});
    }
};

// Appends to a RecordBuffer, growing it by half.
template <class R>
void append(RecordBuffer<R>& buf, const R& r) {
    if (buf.size() == buf.capacity()) buf.reserve(std::max<std::size_t>(4096, buf.capacity() + buf.capacity() / 2));
    buf.push_back(r);
}

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
                for (std::size_t k = 0; k < std::min(kAhead, n); ++k) m->conv.sellers.prefetch(block.row(k)[0]);
                for (std::size_t k = 0; k < n; ++k) {
                    if (k + kAhead < n) m->conv.sellers.prefetch(block.row(k + kAhead)[0]);
                    m->convert(block.row(k));
                }
            } catch (...) {
                error = std::current_exception();
            }
        }
    };

    // A reader of the parallel read other than the caller's: its own
    // records, made on a worker from the parts it takes.
    struct Side final : WorkerPool::Job {
        Impl* m = nullptr;
        unsigned reader = 0;
        Converter conv;
        RecordBuffer<Rec> plain;
        RecordBuffer<RecX> wide;
        std::exception_ptr error;  // what stopped it (the read is then made again on one connection)
        void run() noexcept override {
            try {
                bool bad_row = false;
                m->read_parts(reader, conv, [this](const auto& r) {
                    if constexpr (std::is_same_v<std::decay_t<decltype(r)>, Rec>) append(plain, r);
                    else append(wide, r);
                }, bad_row);
            } catch (...) {
                error = std::current_exception();
                m->stop = true;
            }
        }
    };

    RowSource* source = nullptr;  // during read()
    Converter conv;               // the caller's (the only one without the parallel read)
    records::Store<records::Rec> plain;     // without points and revoked_at
    records::Store<records::RecX> wide;     // with either
    const void* pending = nullptr;          // the first record of the next seller
    Convert jobs[2];                        // one fills while the other converts
    WorkerPool* pool = nullptr;             // the query's (no job outlives a read)

    // The parallel read's state (read_parallel).
    PartedSource* parts = nullptr;
    std::atomic<std::size_t> next_part{0};
    std::atomic<bool> stop{false};
    std::mutex orphans_mutex;
    std::vector<std::size_t> orphans;  // parts a reader could not open: the caller's reads them
    std::vector<std::unique_ptr<Side>> sides;

    void start(const RowShape& shape, const Ruleset& rules, std::optional<Time> until, std::int64_t budget) {
        release();
        conv.reset(shape, rules, until);
        plain.reset(budget);
        wide.reset(budget);
    }

    // Checks one row and adds its record to the stores (a job's work, in read order).
    void convert(const ValueView* cols) {
        conv.convert(cols, [this](const auto& r) {
            if constexpr (std::is_same_v<std::decay_t<decltype(r)>, Rec>) plain.add(r, conv.sellers);
            else wide.add(r, conv.sellers);
        });
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
                job.block.clear(conv.shape->columns);
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

    // The parallel read of reader `reader`: takes parts until none is left
    // (or the read stops) and makes their rows records into `sink`.
    // `bad_row` is true when what it throws is a row's (RowChecker).
    template <class Sink>
    void read_parts(unsigned reader, Converter& c, Sink&& sink, bool& bad_row) {
        while (!stop.load(std::memory_order_relaxed)) {
            const std::size_t p = next_part.fetch_add(1);
            if (p >= parts->parts()) return;
            RowSource* rows = parts->part(reader, p);
            if (!rows) {  // this reader's connection cannot read: the caller's reads its part
                const std::lock_guard<std::mutex> lock(orphans_mutex);
                orphans.push_back(p);
                return;
            }
            read_rows(*rows, c, sink, bad_row);
        }
    }

    template <class Sink>
    static void read_rows(RowSource& rows, Converter& c, Sink&& sink, bool& bad_row) {
        ValueView cols[RowShape::kMaxColumns];
        while (rows.step()) {
            rows.row(cols);
            bad_row = true;
            c.convert(cols, sink);
            bad_row = false;
        }
    }

    // The parallel read (EventSorter::read_parallel): false when it must be
    // made again on the caller's connection alone.
    bool read_parallel() {
        stop = false;
        next_part = 0;
        orphans.clear();
        sides.clear();
        const unsigned readers = pool ? pool->workers() + 1 : 1;
        for (unsigned r = 1; r < readers; ++r) {
            auto side = std::make_unique<Side>();
            side->m = this;
            side->reader = r;
            side->conv.reset(*conv.shape, *conv.rules, conv.revocations_until);
            sides.push_back(std::move(side));
        }
        for (auto& side : sides) pool->submit(*side);
        auto sink = [this](const auto& r) {
            if constexpr (std::is_same_v<std::decay_t<decltype(r)>, Rec>) plain.add(r, conv.sellers);
            else wide.add(r, conv.sellers);
        };
        bool bad_row = false;
        try {
            read_parts(0, conv, sink, bad_row);
            for (auto& side : sides) pool->wait(*side);
            for (std::size_t p : orphans) read_rows(*parts->part(0, p), conv, sink, bad_row);
        } catch (...) {
            // Stop the others: at once when the caller's connection failed
            // (interrupted, an I/O error) or memory ran out, else after their part.
            stop = true;
            const bool fatal = !bad_row || is_bad_alloc(std::current_exception());
            if (fatal) parts->cancel();
            for (auto& side : sides) pool->wait(*side);
            if (fatal) throw;
            return false;  // a bad row: the read alone names the first in storage order
        }
        for (auto& side : sides) pool->wait(*side);
        bool redo = false;
        for (auto& side : sides) {
            if (!side->error) continue;
            if (is_bad_alloc(side->error)) std::rethrow_exception(side->error);
            redo = true;  // its row or its connection failed: the read alone says which
        }
        if (redo) return false;
        for (auto& side : sides)
            if (!merge(*side)) return false;
        sides.clear();
        return true;
    }

    static bool is_bad_alloc(const std::exception_ptr& e) {
        try {
            std::rethrow_exception(e);
        } catch (const std::bad_alloc&) {
            return true;
        } catch (...) {
            return false;
        }
    }

    // Adds a side's records to the stores with the caller's seller ids;
    // false when a seller's anchor_at differs between the two (a bad row:
    // the read alone names it).
    bool merge(Side& side) {
        Converter& c = side.conv;
        std::vector<std::uint32_t> to(c.sellers.size());
        ValueKey k;
        for (std::uint32_t id = 0; id < to.size(); ++id) {
            k.assign(c.sellers.key(id));
            to[id] = conv.sellers.intern(k);
            if (!conv.has_cycle) continue;
            if (to[id] >= conv.anchors.size()) conv.anchors.resize(to[id] + 1);
            std::optional<Time>& mine = conv.anchors[to[id]];
            const std::optional<Time>& theirs = id < c.anchors.size() ? c.anchors[id] : std::nullopt;
            if (mine && theirs && *mine != *theirs) return false;
            if (!mine) mine = theirs;
        }
        std::vector<std::int32_t> codes(c.revoked.size());
        for (std::size_t k2 = 0; k2 < codes.size(); ++k2)
            codes[k2] = conv.revoked.id(c.revoked.text(-1 - static_cast<std::int32_t>(k2)));
        auto move_all = [&](auto& from, auto& into) {
            for (auto r : from) {
                Rec& b = base(r);
                b.seller = to[b.seller];
                if (b.code < 0) b.code = codes[static_cast<std::size_t>(-1 - b.code)];
                into.add(r, conv.sellers);
            }
            from.release();
        };
        move_all(side.plain, plain);
        move_all(side.wide, wide);
        c.release();
        return true;
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
        out.key.assign(conv.sellers.key(id));
        out.key_real = base(*r).real;
        if (conv.has_cycle) out.anchor = conv.anchors[id];
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
                out.unknown.push_back(conv.revoked.text(b.code));
            }
            if (conv.has_rowid) out.rowids.push_back(b.tie);
            if constexpr (std::is_same_v<R, RecX>) {
                if (conv.has_points)
                    out.points.push_back(r->flags & kHasPoints ? std::optional<std::int64_t>(r->points) : std::nullopt);
                if (conv.has_revoked)
                    out.revoked_at.push_back(r->flags & kHasRevoked ? std::optional<Time>(r->revoked_at) : std::nullopt);
            }
            out.events.push_back(e);
            r = store.next();
        } while (r && base(*r).seller == id);
        pending = r;
        return true;
    }

    // Sorts the records, asking `poll` now and then whether to stop (it
    // throws to stop: core/stop_check.hpp).
    void finish_stores(const std::function<void()>& poll) {
        StopCheck stop(poll);
        if (conv.extras) wide.finish(conv.sellers.ranks(), pool, poll ? &stop : nullptr);
        else plain.finish(conv.sellers.ranks(), pool, poll ? &stop : nullptr);
    }

    void release() {
        plain.release();
        wide.release();
        conv.release();
        sides.clear();
        pending = nullptr;
    }
};

EventSorter::EventSorter() = default;  // no allocation: a cursor is made in xOpen, which must not throw
EventSorter::~EventSorter() = default;

std::size_t EventSorter::runs() const {
    if (!impl_) return 0;
    return impl_->conv.extras ? impl_->wide.runs() : impl_->plain.runs();
}

void EventSorter::read(RowSource& rows, const RowShape& shape, const Ruleset& rules,
                       std::optional<Time> revocations_until, std::int64_t memory_budget, WorkerPool* pool,
                       const std::function<void()>& poll) {
    if (!impl_) impl_ = std::make_unique<Impl>();
    Impl& m = *impl_;
    m.start(shape, rules, revocations_until, memory_budget);
    m.source = &rows;
    m.pool = pool && pool->workers() > 0 ? pool : nullptr;
    m.read_all();
    m.source = nullptr;
    m.finish_stores(poll);
}

bool EventSorter::read_parallel(PartedSource& parts, const RowShape& shape, const Ruleset& rules,
                                std::optional<Time> revocations_until, std::int64_t memory_budget, WorkerPool& pool,
                                const std::function<void()>& poll) {
    if (!impl_) impl_ = std::make_unique<Impl>();
    Impl& m = *impl_;
    m.start(shape, rules, revocations_until, memory_budget);
    m.parts = &parts;
    m.pool = pool.workers() > 0 ? &pool : nullptr;
    bool done = false;
    try {
        done = m.read_parallel();
    } catch (...) {
        m.parts = nullptr;
        m.release();
        throw;
    }
    m.parts = nullptr;
    if (!done) {
        m.release();
        return false;
    }
    m.finish_stores(poll);
    return true;
}

bool EventSorter::next(SellerBatch& out) {
    out.clear();
    if (!impl_) return false;
    return impl_->conv.extras ? impl_->fill(impl_->wide, out) : impl_->fill(impl_->plain, out);
}

}  // namespace penalty
