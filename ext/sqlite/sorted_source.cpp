// sorted_source.cpp — the 'sort' read strategy (sorted_source.hpp).
#include "sorted_source.hpp"

#include <algorithm>
#include <exception>
#include <utility>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>
#include <numeric>
#include <unordered_map>

#include <fmt/format.h>

#ifdef __linux__
#include <sys/mman.h>
#endif

#include "../core/error.hpp"
#include "../core/value_key.hpp"
#include "../core/worker_pool.hpp"
#include "row_check.hpp"
#include "run_file.hpp"
#include "values.hpp"

namespace penalty::glue {

namespace {

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

std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

// Every distinct seller_id, as a 32-bit id in order of first appearance:
// small non-negative INTEGER ids (the usual case) through a direct array,
// one cache-friendly look-up (the array stays within 8 entries per seller,
// plus 64Ki); any other value through an open-addressing hash table of ids
// over the keys.
class SellerTable {
public:
    std::uint32_t intern(const ValueKey& k) {
        if (k.kind == Kind::Integer && k.i >= 0) {
            const auto i = static_cast<std::uint64_t>(k.i);
            if (i < dense_.size() && dense_[i] != 0) return dense_[i] - 1;
            if (i < (keys_.size() + 65536) * 8 && i < UINT32_MAX) {
                if (i >= dense_.size()) dense_.resize(std::max<std::size_t>(i + 1, dense_.size() * 2), 0);
                const std::uint32_t id = hashed(k);
                dense_[i] = id + 1;
                ++dense_count_;
                return id;
            }
        }
        return hashed(k);
    }
    // Starts loading the direct-array slot of `v` (a seller_id a few rows
    // ahead): the array is far larger than the caches and read in random
    // order, so without this each row waits for memory.
    void prefetch(const ValueView& v) const {
        if (v.kind == Kind::Integer && v.i >= 0 && static_cast<std::uint64_t>(v.i) < dense_.size())
            __builtin_prefetch(&dense_[static_cast<std::size_t>(v.i)]);
    }

    // The seller's key, as ValueKey::view() gives it.
    ValueView key(std::uint32_t id) const {
        const Key& k = keys_[id];
        ValueView v;
        v.kind = k.kind;
        if (k.kind == Kind::Integer) v.i = k.i;
        else if (k.kind == Kind::Real) v.r = k.r;
        else if (k.kind != Kind::Null) v.s = std::string_view(bytes_).substr(k.offset, k.length);
        return v;
    }
    std::size_t size() const { return keys_.size(); }
    void clear() {
        keys_.clear();
        std::string().swap(bytes_);
        dense_count_ = 0;
        std::vector<std::uint32_t>().swap(slots_);
        std::vector<std::uint32_t>().swap(dense_);
    }
    // rank[id]: the seller's position in SQLite's BINARY order. When every
    // seller_id is a small non-negative INTEGER (all in the direct array)
    // that order is the array's; when all are INTEGER, by value; else by
    // compare().
    std::vector<std::uint32_t> ranks() const {
        std::vector<std::uint32_t> rank(keys_.size());
        if (dense_count_ == keys_.size()) {
            std::uint32_t next = 0;
            for (std::uint32_t slot : dense_)
                if (slot != 0) rank[slot - 1] = next++;
            return rank;
        }
        if (std::all_of(keys_.begin(), keys_.end(), [](const Key& k) { return k.kind == Kind::Integer; })) {
            std::vector<std::pair<std::int64_t, std::uint32_t>> by_value(keys_.size());
            for (std::size_t id = 0; id < keys_.size(); ++id) by_value[id] = {keys_[id].i, static_cast<std::uint32_t>(id)};
            std::sort(by_value.begin(), by_value.end());
            for (std::size_t k = 0; k < by_value.size(); ++k) rank[by_value[k].second] = static_cast<std::uint32_t>(k);
            return rank;
        }
        std::vector<std::uint32_t> order(keys_.size());
        std::iota(order.begin(), order.end(), 0u);
        std::sort(order.begin(), order.end(),
                  [&](std::uint32_t a, std::uint32_t b) { return compare(key(a), key(b)) < 0; });
        for (std::size_t k = 0; k < order.size(); ++k) rank[order[k]] = static_cast<std::uint32_t>(k);
        return rank;
    }

private:
    // slots_ hold id + 1; 0 is empty.
    std::uint32_t hashed(const ValueKey& k) {
        if ((keys_.size() + 1) * 2 > slots_.size()) grow();
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t at = hash(k.view()) & mask;; at = (at + 1) & mask) {
            const std::uint32_t slot = slots_[at];
            if (slot == 0) {
                if (keys_.size() >= UINT32_MAX - 1) throw Error("more than 4294967294 sellers");
                keys_.push_back(compact(k));
                slots_[at] = static_cast<std::uint32_t>(keys_.size());
                return slots_[at] - 1;
            }
            if (same(keys_[slot - 1], k)) return slot - 1;
        }
    }
    static std::size_t hash(const ValueView& k) {
        switch (k.kind) {
            case Kind::Integer: return mix(static_cast<std::uint64_t>(k.i));
            case Kind::Real: return mix(std::bit_cast<std::uint64_t>(k.r) ^ 1);
            case Kind::Text: return std::hash<std::string_view>()(k.s);
            case Kind::Blob: return mix(std::hash<std::string_view>()(k.s));
            case Kind::Null: break;
        }
        return 0x9e3779b97f4a7c15ULL;
    }
    void grow() {
        std::vector<std::uint32_t> slots(std::max<std::size_t>(64, slots_.size() * 2), 0);
        const std::size_t mask = slots.size() - 1;
        for (std::size_t id = 0; id < keys_.size(); ++id) {
            std::size_t at = hash(key(id)) & mask;
            while (slots[at] != 0) at = (at + 1) & mask;
            slots[at] = static_cast<std::uint32_t>(id + 1);
        }
        slots_.swap(slots);
    }

    // A key in 24 bytes (a ValueKey is 56): the number, or where its text
    // or blob bytes are in bytes_.
    struct Key {
        union {
            std::int64_t i;
            double r;
        };
        std::uint32_t offset = 0, length = 0;
        Kind kind = Kind::Null;
    };
    Key compact(const ValueKey& k) {
        Key c;
        c.kind = k.kind;
        c.i = 0;
        if (k.kind == Kind::Integer) c.i = k.i;
        else if (k.kind == Kind::Real) c.r = k.r;
        else if (k.kind != Kind::Null) {
            if (bytes_.size() + k.s.size() > UINT32_MAX) throw Error("more than 4 GiB of distinct seller_id text");
            c.offset = static_cast<std::uint32_t>(bytes_.size());
            c.length = static_cast<std::uint32_t>(k.s.size());
            bytes_ += k.s;
        }
        return c;
    }
    bool same(const Key& a, const ValueKey& b) const {
        if (a.kind != b.kind) return false;
        switch (a.kind) {
            case Kind::Integer: return a.i == b.i;
            case Kind::Real: return a.r == b.r;
            case Kind::Null: return true;
            default: return std::string_view(bytes_).substr(a.offset, a.length) == b.s;
        }
    }

    std::vector<Key> keys_;
    std::string bytes_;  // the text and blob bytes of the keys
    std::vector<std::uint32_t> slots_;
    std::vector<std::uint32_t> dense_;  // by INTEGER value: id + 1, or 0
    std::size_t dense_count_ = 0;       // sellers in dense_
};

// A growable array of trivially copyable records in its own memory
// mapping, grown by mremap: the kernel moves the pages, so growing never
// holds an old and a new copy at once (std::vector's growth does, and so
// does realloc for a block in the heap), and pages not yet written cost no
// memory. Elsewhere than Linux, realloc.
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
#ifdef __linux__
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
#ifdef __linux__
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
    // now), or spills it and starts the merge.
    void finish(std::vector<std::uint32_t> rank, WorkerPool* pool) {
        if (runs_.empty()) {
            sort_by(rank, pool);
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
    static void by_time(R* first, R* last) {
        auto earlier = [](const R& a, const R& b) {
            const Rec &x = base(a), &y = base(b);
            return x.at != y.at ? x.at < y.at : x.tie < y.tie;
        };
        for (R* a = first; a != last;) {
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
    static Pass flag_pass(R* first, R* last, std::uint64_t lo, std::uint64_t hi) {
        Pass p;
        while (((hi - lo - 1) >> p.shift) >= kFan) ++p.shift;
        p.buckets = static_cast<std::size_t>((hi - lo - 1) >> p.shift) + 1;
        std::size_t next[kFan];
        for (const R* r = first; r != last; ++r) ++p.start[((base(*r).seller - lo) >> p.shift) + 1];
        for (std::size_t b = 1; b <= p.buckets; ++b) p.start[b] += p.start[b - 1];
        for (std::size_t b = 0; b < p.buckets; ++b) next[b] = p.start[b];
        for (std::size_t b = 0; b < p.buckets; ++b) {
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
    static void flag_sort(R* first, R* last, std::uint64_t lo, std::uint64_t hi) {
        const auto n = static_cast<std::size_t>(last - first);
        if (n < 2 || hi - lo < 2) return;
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

// Rows copied out of SQLite's current row (SourceReader::row_values), so
// that they are checked and made records off the connection's thread: the
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
    bool add(const SourceReader& reader) {
        ValueView* cols = &values_[rows_ * columns_];
        reader.row_values(cols);
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

struct SortedSource::Impl {
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

    SourceReader reader;  // its statement is kept for the next start
    RowChecker checker;
    const Ruleset* rules = nullptr;
    std::optional<Time> revocations_until;
    std::int64_t seq = 0;  // rows read
    ValueKey key;          // the row's seller_id (keeps its capacity between rows)
    SellerTable sellers;
    Store<Rec> plain;     // without points and revoked_at
    Store<RecX> wide;     // with either
    bool extras = false, has_rowid = false, has_points = false, has_revoked = false, has_cycle = false;
    std::vector<std::optional<Time>> anchors;  // by seller id, with a cycle track
    std::vector<std::string> revoked_codes;    // the code texts of revoked rows
    std::unordered_map<std::string, std::int32_t> revoked_ids;
    const void* pending = nullptr;             // the first record of the next seller
    Convert jobs[2];                           // one fills while the other converts
    std::unique_ptr<WorkerPool> pool;          // destroyed first: no job outlives the members

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
        const int rowid_col = reader.query().rowid_col;
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

    // Reads every row: the connection's thread copies blocks of rows while
    // a worker converts the block before, one block at a time, in order;
    // the first error in read order is thrown. Without a worker each row is
    // converted where SQLite holds it, and the pool of an earlier start of
    // this cursor (a join filters it again) is ended: finish() must not
    // split the sort onto its worker under threads = 1.
    void read_all(unsigned workers) {
        if (workers == 0) {
            pool.reset();
            ValueView cols[SourceQuery::kMaxColumns];
            while (reader.step()) {
                reader.row_values(cols);
                convert(cols);
            }
            return;
        }
        if (!pool || pool->requested() != workers) {
            pool.reset();
            pool = std::make_unique<WorkerPool>(workers);
        }
        for (Convert& j : jobs) {
            j.m = this;
            j.error = nullptr;
        }
        int cur = 0;
        bool held = false;  // the statement holds a row not yet copied
        try {
            for (;;) {
                Convert& job = jobs[cur];
                Convert& before = jobs[1 - cur];
                job.block.clear(reader.query().columns);
                bool more = true;
                try {
                    while (!job.block.full()) {
                        if (!held && !reader.step()) {
                            more = false;
                            break;
                        }
                        held = !job.block.add(reader);
                        if (held) break;
                    }
                } catch (...) {
                    finish(before);  // a bad row before SQLite's error comes first
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

SortedSource::SortedSource() = default;  // no allocation: a cursor is made in xOpen, which must not throw
SortedSource::~SortedSource() = default;

std::size_t SortedSource::runs() const {
    if (!impl_) return 0;
    return impl_->extras ? impl_->wide.runs() : impl_->plain.runs();
}

void SortedSource::start(sqlite3* db, std::string_view source, const Ruleset& rules,
                         std::optional<Time> revocations_until, std::int64_t memory_budget, unsigned workers,
                         const SourceQuery* known) {
    if (!impl_) impl_ = std::make_unique<Impl>();
    Impl& m = *impl_;
    m.release();
    m.reader.start(db, source, nullptr, SourceReader::Order::Storage, known);
    m.checker.reset(m.reader.query());
    m.rules = &rules;
    m.revocations_until = revocations_until;
    m.seq = 0;
    m.has_rowid = m.reader.has_rowid();
    m.has_points = m.reader.has_points();
    m.has_revoked = m.reader.has_revoked_at();
    m.extras = m.has_points || m.has_revoked;
    m.has_cycle = rules.has_cycle;
    m.plain.reset(memory_budget);
    m.wide.reset(memory_budget);
    m.read_all(std::min(workers, 1u));
    if (m.extras) m.wide.finish(m.sellers.ranks(), m.pool.get());
    else m.plain.finish(m.sellers.ranks(), m.pool.get());
}

bool SortedSource::next(SellerBatch& out) {
    out.clear();
    if (!impl_) return false;
    return impl_->extras ? impl_->fill(impl_->wide, out) : impl_->fill(impl_->plain, out);
}

}  // namespace penalty::glue
