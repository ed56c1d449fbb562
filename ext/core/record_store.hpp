// record_store.hpp — the sort strategy's event records (core/event_sort.hpp):
// 24 bytes each (48 with points or revoked_at), kept in memory up to a
// budget, else sorted into runs spilled to a RunFile and merged; sorted by
// (seller rank, occurred_at, tie) with a flag sort, split over two threads
// when a WorkerPool has a worker.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <vector>

// ThreadSanitizer does not see mremap: pages a worker wrote, moved away by
// its buffer's growth, would look like a race when another buffer is later
// mapped there (the parallel read grows several at once). Under it, realloc.
#if defined(__linux__) && !defined(__SANITIZE_THREAD__)
#define PENALTY_MREMAP 1
#include <sys/mman.h>
#endif

#include "core/engine.hpp"
#include "core/run_file.hpp"
#include "core/seller_table.hpp"
#include "core/stop_check.hpp"
#include "core/worker_pool.hpp"

namespace penalty::records {

// One event of a source with seller_id, code, occurred_at.
struct Rec {
    std::uint32_t seller;    // SellerTable id (while sorting: the seller's rank)
    std::int32_t code : 31;  // the ruleset's code id; negative: a revoked row, -1 - its revoked_codes index
    std::uint32_t real : 1;  // the row's seller_id is a REAL with a whole value (listed as REAL)
    Time at;
    std::int64_t tie;        // rowid, or the read sequence of a view
};
static_assert(sizeof(Rec) == 24, "a record is 24 bytes");

// The same with the optional columns points and revoked_at.
struct RecX {
    Rec base;
    std::int64_t points;
    Time revoked_at;
    std::uint32_t flags;  // kHasPoints | kHasRevoked: which of the two are not NULL
};
constexpr std::uint32_t kHasPoints = 1, kHasRevoked = 2;

inline Rec& base(Rec& r) { return r; }
inline const Rec& base(const Rec& r) { return r; }
inline Rec& base(RecX& r) { return r.base; }
inline const Rec& base(const RecX& r) { return r.base; }

// (seller, occurred_at, tie): with `seller` a rank, the seller order.
template <class R>
bool before(const R& a, const R& b) {
    const Rec &x = base(a), &y = base(b);
    if (x.seller != y.seller) return x.seller < y.seller;
    if (x.at != y.at) return x.at < y.at;
    return x.tie < y.tie;
}


// A growable array of trivially copyable records in its own memory
// mapping, grown by mremap: the kernel moves the pages, so growing never
// holds an old and a new copy at once (std::vector's growth does, and so
// does realloc for a block in the heap), and pages not yet written cost no
// memory. Elsewhere than Linux, and under ThreadSanitizer, realloc.
template <class R>
class RecordBuffer {
    static_assert(std::is_trivially_copyable_v<R>);

public:
    RecordBuffer() = default;
    RecordBuffer(const RecordBuffer&) = delete;
    RecordBuffer& operator=(const RecordBuffer&) = delete;
    ~RecordBuffer() { release(); }

    std::size_t size() const { return size_; }
    std::size_t capacity() const { return capacity_; }
    bool empty() const { return size_ == 0; }
    R* data() { return data_; }
    R* begin() { return data_; }
    R* end() { return data_ + size_; }
    R& operator[](std::size_t k) { return data_[k]; }
    const R& operator[](std::size_t k) const { return data_[k]; }

    void reserve(std::size_t n) {
        if (n <= capacity_) return;
#ifdef PENALTY_MREMAP
        void* grown = data_ ? mremap(data_, capacity_ * sizeof(R), n * sizeof(R), MREMAP_MAYMOVE)
                            : mmap(nullptr, n * sizeof(R), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (grown == MAP_FAILED) throw std::bad_alloc();
#else
        void* grown = std::realloc(data_, n * sizeof(R));
        if (!grown) throw std::bad_alloc();
#endif
        data_ = static_cast<R*>(grown);
        capacity_ = n;
    }
    void push_back(const R& r) {  // after reserve: size() < capacity()
        data_[size_++] = r;
    }
    void clear() { size_ = 0; }
    void release() {
#ifdef PENALTY_MREMAP
        if (data_) munmap(data_, capacity_ * sizeof(R));
#else
        std::free(data_);
#endif
        data_ = nullptr;
        size_ = capacity_ = 0;
    }

private:
    R* data_ = nullptr;
    std::size_t size_ = 0, capacity_ = 0;
};

// The records of one read: in memory up to the budget, else sorted runs
// in a RunFile merged at the end. next() hands them out in order, with
// `seller` an id again.
template <class R>
class Store {
public:
    void reset(std::int64_t budget) {
        limit_ = std::max<std::size_t>(1, static_cast<std::size_t>(budget) / sizeof(R));
        recs_.release();
        runs_.clear();
        cursors_.clear();
        heap_.clear();
        file_.close();
        pos_ = 0;
        top_ = -1;
    }

    void add(const R& r, const SellerTable& sellers) {
        if (recs_.size() == recs_.capacity()) {
            if (recs_.size() >= limit_) spill(sellers.ranks());
            else recs_.reserve(std::min(limit_, std::max<std::size_t>(4096, recs_.capacity() + recs_.capacity() / 2)));
        }
        recs_.push_back(r);
    }

    // Sorts what is in memory (with the help of `pool`'s worker, idle
    // now), or spills it and starts the merge. The in-memory sort asks
    // `stop` as it goes (core/stop_check.hpp) and throws what it throws.
    void finish(std::vector<std::uint32_t> rank, WorkerPool* pool, StopCheck* stop = nullptr) {
        if (runs_.empty()) {
            stop_ = stop;
            try {
                sort_by(rank, pool);
            } catch (...) {
                stop_ = nullptr;
                throw;
            }
            stop_ = nullptr;
            return;
        }
        if (!recs_.empty()) spill(rank);
        recs_.release();
        rank_ = std::move(rank);
        chunk_ = std::max<std::size_t>(256, limit_ / runs_.size());
        cursors_.resize(runs_.size());
        for (std::size_t k = 0; k < runs_.size(); ++k) {
            cursors_[k].offset = runs_[k].offset;
            cursors_[k].left = runs_[k].count;
            if (refill(cursors_[k])) push(static_cast<int>(k));
        }
    }

    // The next record in order, valid until the next call; nullptr at the end.
    const R* next() {
        if (runs_.empty()) return pos_ < recs_.size() ? &recs_[pos_++] : nullptr;
        if (top_ >= 0) {  // the record handed out last is consumed now
            Cursor& c = cursors_[static_cast<std::size_t>(top_)];
            if (++c.pos < c.buf.size() || refill(c)) push(top_);
            top_ = -1;
        }
        if (heap_.empty()) return nullptr;
        std::pop_heap(heap_.begin(), heap_.end(), after_);
        top_ = heap_.back();
        heap_.pop_back();
        const Cursor& c = cursors_[static_cast<std::size_t>(top_)];
        return &c.buf[c.pos];
    }

    std::size_t runs() const { return runs_.size(); }
    void release() { reset(1); }

private:
    struct Run {
        std::uint64_t offset;
        std::size_t count;
    };
    struct Cursor {
        std::uint64_t offset = 0;  // of the next record still in the file
        std::size_t left = 0;      // records still in the file
        std::vector<R> buf;
        std::size_t pos = 0;
    };

    // Sorts recs_ by (rank of seller, at, tie); `seller` stays an id.
    // In place, by rank: an MSD radix sort (American flag sort, at most
    // 1024 buckets a pass, so each pass writes to few places at once and
    // stays in cache), then each seller's records by (at, tie) unless they
    // already are (a source stored in time order). With a worker in `pool`
    // the records are split after the first pass at a bucket boundary near
    // the middle, and the worker sorts the first part while this thread
    // sorts the second (a seller's records are never split).
    void sort_by(const std::vector<std::uint32_t>& rank, WorkerPool* pool = nullptr) {
        R* const first = recs_.data();
        R* const last = first + recs_.size();
        std::vector<std::uint32_t> id_of(rank.size());
        for (std::size_t id = 0; id < rank.size(); ++id) id_of[rank[id]] = static_cast<std::uint32_t>(id);
        auto to_rank = [&](R* a, R* b) {
            for (R* r = a; r != b; ++r) base(*r).seller = rank[base(*r).seller];
        };
        auto sort_part = [&](R* a, R* b, std::uint64_t lo, std::uint64_t hi) {
            flag_sort(a, b, lo, hi);
            by_time(a, b);
            for (R* r = a; r != b; ++r) base(*r).seller = id_of[base(*r).seller];
        };
        const std::size_t n = recs_.size();
        if (!pool || pool->workers() == 0 || n < (std::size_t{1} << 16) || rank.size() < 2) {
            to_rank(first, last);
            sort_part(first, last, 0, rank.size());
            return;
        }
        R* const mid = first + n / 2;
        pool->both([&] { to_rank(first, mid); }, [&] { to_rank(mid, last); });
        Pass pass = flag_pass(first, last, 0, rank.size());
        std::size_t m = 0;  // the first bucket of the second part
        while (m < pass.buckets && pass.start[m] < n / 2) ++m;
        auto finish_buckets = [&, shift = pass.shift](std::size_t from, std::size_t to, const std::size_t* start) {
            if (shift > 0)
                for (std::size_t b = from; b < to; ++b)
                    flag_sort(first + start[b], first + start[b + 1], std::uint64_t{b} << shift,
                              std::min<std::uint64_t>(rank.size(), std::uint64_t{b + 1} << shift));
            R* const a = first + start[from];
            R* const z = first + start[to];
            by_time(a, z);
            for (R* r = a; r != z; ++r) base(*r).seller = id_of[base(*r).seller];
        };
        pool->both([&] { finish_buckets(0, m, pass.start); }, [&] { finish_buckets(m, pass.buckets, pass.start); });
    }

    // Each seller's records of [first, last) (sorted by seller) by (at, tie).
    void by_time(R* first, R* last) {
        auto earlier = [](const R& a, const R& b) {
            const Rec &x = base(a), &y = base(b);
            return x.at != y.at ? x.at < y.at : x.tie < y.tie;
        };
        for (R* a = first; a != last;) {
            if (stopping()) return;
            R* b = a + 1;
            while (b != last && base(*b).seller == base(*a).seller) ++b;
            if (!std::is_sorted(a, b, earlier)) std::sort(a, b, earlier);
            a = b;
        }
    }

    // One pass of the flag sort over [first, last), all sellers in [lo, hi):
    // bucket b holds [start[b], start[b + 1]) and the sellers
    // [lo + (b << shift), lo + ((b + 1) << shift)).
    static constexpr std::size_t kFan = 1024;
    struct Pass {
        unsigned shift = 0;
        std::size_t buckets = 0;
        std::size_t start[kFan + 1] = {};
    };
    Pass flag_pass(R* first, R* last, std::uint64_t lo, std::uint64_t hi) {
        Pass p;
        while (((hi - lo - 1) >> p.shift) >= kFan) ++p.shift;
        p.buckets = static_cast<std::size_t>((hi - lo - 1) >> p.shift) + 1;
        std::size_t next[kFan];
        for (const R* r = first; r != last; ++r) ++p.start[((base(*r).seller - lo) >> p.shift) + 1];
        for (std::size_t b = 1; b <= p.buckets; ++b) p.start[b] += p.start[b - 1];
        for (std::size_t b = 0; b < p.buckets; ++b) next[b] = p.start[b];
        for (std::size_t b = 0; b < p.buckets; ++b) {
            if (stopping()) return p;  // the records are left permuted, not sorted
            while (next[b] < p.start[b + 1]) {
                R v = first[next[b]];
                std::size_t d = (base(v).seller - lo) >> p.shift;
                while (d != b) {
                    std::swap(v, first[next[d]++]);
                    d = (base(v).seller - lo) >> p.shift;
                }
                first[next[b]++] = v;
            }
        }
        return p;
    }

    // Sorts [first, last) by seller, all of which are in [lo, hi).
    void flag_sort(R* first, R* last, std::uint64_t lo, std::uint64_t hi) {
        const auto n = static_cast<std::size_t>(last - first);
        if (n < 2 || hi - lo < 2 || stopping()) return;
        if (n <= 32) {
            std::sort(first, last, [](const R& a, const R& b) { return base(a).seller < base(b).seller; });
            return;
        }
        const Pass p = flag_pass(first, last, lo, hi);
        if (p.shift == 0) return;
        for (std::size_t b = 0; b < p.buckets; ++b)
            flag_sort(first + p.start[b], first + p.start[b + 1], lo + (std::uint64_t{b} << p.shift),
                      std::min(hi, lo + (std::uint64_t{b + 1} << p.shift)));
    }

    // A run sorted by the ranks of the sellers seen so far: their relative
    // order never changes, so runs merge by the final ranks.
    void spill(const std::vector<std::uint32_t>& rank) {
        sort_by(rank);
        const std::uint64_t at = file_.append(recs_.data(), recs_.size() * sizeof(R));
        runs_.push_back({at, recs_.size()});
        recs_.clear();
    }

    bool refill(Cursor& c) {
        if (c.left == 0) return false;
        const std::size_t n = std::min(c.left, chunk_);
        c.buf.resize(n);
        file_.read(c.offset, c.buf.data(), n * sizeof(R));
        c.offset += n * sizeof(R);
        c.left -= n;
        c.pos = 0;
        return true;
    }

    void push(int k) {
        heap_.push_back(k);
        std::push_heap(heap_.begin(), heap_.end(), after_);
    }

    // Heap order: a min-heap on (final rank, at, tie) of each cursor's record.
    struct After {
        const Store* s;
        bool operator()(int a, int b) const {
            R x = s->cursors_[static_cast<std::size_t>(a)].buf[s->cursors_[static_cast<std::size_t>(a)].pos];
            R y = s->cursors_[static_cast<std::size_t>(b)].buf[s->cursors_[static_cast<std::size_t>(b)].pos];
            base(x).seller = s->rank_[base(x).seller];
            base(y).seller = s->rank_[base(y).seller];
            return before(y, x);
        }
    };

    // Whether the sort is to stop (finish's `stop`; never while spilling).
    bool stopping() { return stop_ && (*stop_)(); }

    StopCheck* stop_ = nullptr;
    std::size_t limit_ = 1;  // records in memory at most
    RecordBuffer<R> recs_;
    std::size_t pos_ = 0;
    RunFile file_;
    std::vector<Run> runs_;
    std::vector<std::uint32_t> rank_;
    std::size_t chunk_ = 256;
    std::vector<Cursor> cursors_;
    std::vector<int> heap_;
    int top_ = -1;
    After after_{this};
};


}  // namespace penalty::records
