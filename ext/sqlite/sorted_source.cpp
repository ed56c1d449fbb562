// sorted_source.cpp — the 'sort' read strategy (sorted_source.hpp).
#include "sorted_source.hpp"

#include <algorithm>
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
                return id;
            }
        }
        return hashed(k);
    }
    const ValueKey& key(std::uint32_t id) const { return keys_[id]; }
    std::size_t size() const { return keys_.size(); }
    void clear() {
        keys_.clear();
        std::vector<std::uint32_t>().swap(slots_);
        std::vector<std::uint32_t>().swap(dense_);
    }
    // rank[id]: the seller's position in SQLite's BINARY order.
    std::vector<std::uint32_t> ranks() const {
        std::vector<std::uint32_t> order(keys_.size());
        std::iota(order.begin(), order.end(), 0u);
        std::sort(order.begin(), order.end(),
                  [&](std::uint32_t a, std::uint32_t b) { return compare(keys_[a], keys_[b]) < 0; });
        std::vector<std::uint32_t> rank(order.size());
        for (std::size_t k = 0; k < order.size(); ++k) rank[order[k]] = static_cast<std::uint32_t>(k);
        return rank;
    }

private:
    // slots_ hold id + 1; 0 is empty.
    std::uint32_t hashed(const ValueKey& k) {
        if ((keys_.size() + 1) * 2 > slots_.size()) grow();
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t at = hash(k) & mask;; at = (at + 1) & mask) {
            const std::uint32_t slot = slots_[at];
            if (slot == 0) {
                if (keys_.size() >= UINT32_MAX - 1) throw Error("more than 4294967294 sellers");
                keys_.push_back(k);
                slots_[at] = static_cast<std::uint32_t>(keys_.size());
                return slots_[at] - 1;
            }
            if (keys_[slot - 1] == k) return slot - 1;
        }
    }
    static std::size_t hash(const ValueKey& k) {
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
            std::size_t at = hash(keys_[id]) & mask;
            while (slots[at] != 0) at = (at + 1) & mask;
            slots[at] = static_cast<std::uint32_t>(id + 1);
        }
        slots_.swap(slots);
    }

    std::vector<ValueKey> keys_;
    std::vector<std::uint32_t> slots_;
    std::vector<std::uint32_t> dense_;  // by INTEGER value: id + 1, or 0
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

    // Sorts what is in memory, or spills it and starts the merge.
    void finish(std::vector<std::uint32_t> rank) {
        if (runs_.empty()) {
            sort_by(rank);
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
    // already are (a source stored in time order).
    void sort_by(const std::vector<std::uint32_t>& rank) {
        for (R& r : recs_) base(r).seller = rank[base(r).seller];
        flag_sort(recs_.data(), recs_.data() + recs_.size(), 0, rank.size());
        auto by_time = [](const R& a, const R& b) {
            const Rec &x = base(a), &y = base(b);
            return x.at != y.at ? x.at < y.at : x.tie < y.tie;
        };
        for (auto first = recs_.begin(); first != recs_.end();) {
            auto last = first + 1;
            while (last != recs_.end() && base(*last).seller == base(*first).seller) ++last;
            if (!std::is_sorted(first, last, by_time)) std::sort(first, last, by_time);
            first = last;
        }
        std::vector<std::uint32_t> id_of(rank.size());
        for (std::size_t id = 0; id < rank.size(); ++id) id_of[rank[id]] = static_cast<std::uint32_t>(id);
        for (R& r : recs_) base(r).seller = id_of[base(r).seller];
    }

    // Sorts [first, last) by seller, all of which are in [lo, hi).
    static void flag_sort(R* first, R* last, std::uint64_t lo, std::uint64_t hi) {
        const auto n = static_cast<std::size_t>(last - first);
        if (n < 2 || hi - lo < 2) return;
        if (n <= 32) {
            std::sort(first, last, [](const R& a, const R& b) { return base(a).seller < base(b).seller; });
            return;
        }
        constexpr std::size_t kFan = 1024;
        unsigned shift = 0;
        while (((hi - lo - 1) >> shift) >= kFan) ++shift;
        const std::size_t buckets = static_cast<std::size_t>((hi - lo - 1) >> shift) + 1;
        std::size_t start[kFan + 1] = {}, next[kFan];
        for (const R* p = first; p != last; ++p) ++start[((base(*p).seller - lo) >> shift) + 1];
        for (std::size_t b = 1; b <= buckets; ++b) start[b] += start[b - 1];
        for (std::size_t b = 0; b < buckets; ++b) next[b] = start[b];
        for (std::size_t b = 0; b < buckets; ++b) {
            while (next[b] < start[b + 1]) {
                R v = first[next[b]];
                std::size_t d = (base(v).seller - lo) >> shift;
                while (d != b) {
                    std::swap(v, first[next[d]++]);
                    d = (base(v).seller - lo) >> shift;
                }
                first[next[b]++] = v;
            }
        }
        if (shift == 0) return;
        for (std::size_t b = 0; b < buckets; ++b)
            flag_sort(first + start[b], first + start[b + 1], lo + (std::uint64_t{b} << shift),
                      std::min(hi, lo + (std::uint64_t{b + 1} << shift)));
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

}  // namespace

struct SortedSource::Impl {
    SourceReader reader;  // its statement is kept for the next start
    SellerTable sellers;
    Store<Rec> plain;     // without points and revoked_at
    Store<RecX> wide;     // with either
    bool extras = false, has_rowid = false, has_points = false, has_revoked = false, has_cycle = false;
    std::vector<std::optional<Time>> anchors;  // by seller id, with a cycle track
    std::vector<std::string> revoked_codes;    // the code texts of revoked rows
    std::unordered_map<std::string, std::int32_t> revoked_ids;
    const void* pending = nullptr;             // the first record of the next seller

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
        out.key = sellers.key(id);
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
                         std::optional<Time> revocations_until, std::int64_t memory_budget) {
    if (!impl_) impl_ = std::make_unique<Impl>();
    Impl& m = *impl_;
    m.release();
    m.reader.start(db, source, nullptr, SourceReader::Order::Storage);
    m.has_points = m.reader.has_points();
    m.has_revoked = m.reader.has_revoked_at();
    m.extras = m.has_points || m.has_revoked;
    m.has_cycle = rules.has_cycle;
    m.plain.reset(memory_budget);
    m.wide.reset(memory_budget);
    ValueKey key;
    SourceRow row;
    std::optional<Time> no_anchor;  // stays empty without a cycle track: check() reads anchor_at only with one
    std::int64_t seq = 0;
    while (m.reader.step()) {
        sqlite3_value* s = m.reader.seller();
        key.assign(view_of(s));
        const std::uint32_t id = m.sellers.intern(key);
        if (m.has_cycle && id >= m.anchors.size()) m.anchors.resize(id + 1);
        m.reader.check(rules, revocations_until, m.has_cycle ? m.anchors[id] : no_anchor, row);
        Rec r;
        r.seller = id;
        r.real = sqlite3_value_type(s) == SQLITE_FLOAT && key.kind == Kind::Integer;
        r.code = row.revoked ? m.revoked_code(view_of(m.reader.code())) : row.event.code;
        r.at = row.event.at;
        sqlite3_int64 rowid;
        r.tie = m.reader.rowid(rowid) ? rowid : seq;
        ++seq;
        if (!m.extras) {
            m.plain.add(r, m.sellers);
            continue;
        }
        RecX x{r, row.points.value_or(0), row.revoked_at.value_or(0),
               (row.points ? kHasPoints : 0u) | (row.revoked_at ? kHasRevoked : 0u)};
        m.wide.add(x, m.sellers);
    }
    m.has_rowid = m.reader.has_rowid();
    if (m.extras) m.wide.finish(m.sellers.ranks());
    else m.plain.finish(m.sellers.ranks());
}

bool SortedSource::next(SellerBatch& out) {
    out.clear();
    if (!impl_) return false;
    return impl_->extras ? impl_->fill(impl_->wide, out) : impl_->fill(impl_->plain, out);
}

}  // namespace penalty::glue
