// key_table.cpp — SQL values interned as 32-bit ids (key_table.hpp).
#include "core/key_table.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "core/error.hpp"

namespace penalty {

static_assert(sizeof(std::uint64_t) == sizeof(double));

namespace {

// splitmix64's finaliser.
std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// A byte hash, 8 bytes a step (seeded by the kind: TEXT and BLOB differ).
std::uint64_t hash_bytes(std::string_view s, std::uint64_t seed) {
    std::uint64_t h = seed ^ (s.size() * 0x9e3779b97f4a7c15ULL);
    const char* p = s.data();
    std::size_t n = s.size();
    for (; n >= 8; p += 8, n -= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        h = std::rotl((h ^ w) * 0x87c37b91114253d5ULL, 31) * 0x4cf5ad432745937fULL;
    }
    if (n > 0) {
        std::uint64_t w = 0;
        std::memcpy(&w, p, n);
        h = std::rotl((h ^ w) * 0x87c37b91114253d5ULL, 31) * 0x4cf5ad432745937fULL;
    }
    return mix(h);
}

std::uint64_t hash_number(Kind kind, std::uint64_t bits) {
    return mix(bits ^ (kind == Kind::Real ? 0x9e3779b97f4a7c15ULL : 0));
}

// As value_key.cpp: whether the REAL `r` has an exact int64 value (then in
// *out). 2^63 itself is not an int64; everything below it that is whole is.
bool whole(double r, std::int64_t* out) {
    if (!(std::isfinite(r) && r == std::floor(r) && r >= -9223372036854775808.0 && r < 9223372036854775808.0))
        return false;
    *out = static_cast<std::int64_t>(r);
    return true;
}

}  // namespace

// A value in the records' form: its kind (a whole REAL is an INTEGER), bits
// and bytes, and its hash.
struct KeyTable::Probe {
    Kind kind = Kind::Null;
    std::uint64_t bits = 0;
    std::string_view s;
    std::uint64_t hash = 0;
};

KeyTable::Probe KeyTable::probe_of(const ValueView& v, bool hashed) {
    Probe p;
    p.kind = v.kind;
    switch (v.kind) {
        case Kind::Integer: p.bits = static_cast<std::uint64_t>(v.i); break;
        case Kind::Real: {
            std::int64_t n = 0;
            if (whole(v.r, &n)) {  // -0.0 too: it is 0
                p.kind = Kind::Integer;
                p.bits = static_cast<std::uint64_t>(n);
            } else {
                p.bits = std::bit_cast<std::uint64_t>(v.r);
            }
            break;
        }
        case Kind::Text:
        case Kind::Blob: p.s = v.s; break;
        case Kind::Null: break;
    }
    if (!hashed) return p;
    switch (p.kind) {
        case Kind::Text: p.hash = hash_bytes(p.s, 1); break;
        case Kind::Blob: p.hash = hash_bytes(p.s, 2); break;
        case Kind::Null: p.hash = 0x5bd1e995; break;
        default: p.hash = hash_number(p.kind, p.bits); break;
    }
    return p;
}

bool KeyTable::equal(const Rec& r, const Probe& p) const {
    if (r.kind != p.kind) return false;
    if (r.kind != Kind::Text && r.kind != Kind::Blob) return r.bits == p.bits;
    return r.len == p.s.size() && (r.len == 0 || std::memcmp(arena_.data() + r.bits, p.s.data(), r.len) == 0);
}

std::uint64_t KeyTable::hash(const Rec& r) const {
    switch (r.kind) {
        case Kind::Text: return hash_bytes({arena_.data() + r.bits, r.len}, 1);
        case Kind::Blob: return hash_bytes({arena_.data() + r.bits, r.len}, 2);
        case Kind::Null: return 0x5bd1e995;
        default: return hash_number(r.kind, r.bits);
    }
}

void KeyTable::grow(std::size_t capacity) {
    // Rehashed from the records, in id order.
    slots_.assign(capacity, 0);
    const std::size_t mask = capacity - 1;
    for (std::uint32_t id = 0; id < recs_.size(); ++id) {
        std::size_t at = hash(recs_[id]) & mask;
        while (slots_[at] != 0) at = (at + 1) & mask;
        slots_[at] = id + 1;
    }
}

void KeyTable::reserve(std::size_t keys) {
    recs_.reserve(keys);
    const std::size_t capacity = std::bit_ceil(std::max<std::size_t>(16, 2 * keys));
    if (capacity > slots_.size()) grow(capacity);
}

std::uint32_t KeyTable::find(const ValueView& v) const {
    if (slots_.empty()) return npos;
    const Probe p = probe_of(v);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = p.hash & mask;; at = (at + 1) & mask) {
        const std::uint32_t slot = slots_[at];
        if (slot == 0) return npos;
        if (equal(recs_[slot - 1], p)) return slot - 1;
    }
}

bool KeyTable::is(std::uint32_t id, const ValueView& v) const { return equal(recs_[id], probe_of(v, false)); }

std::uint32_t KeyTable::intern(const ValueView& v) {
    if (2 * (recs_.size() + 1) > slots_.size()) grow(std::max<std::size_t>(16, 2 * slots_.size()));
    const Probe p = probe_of(v);
    const std::size_t mask = slots_.size() - 1;
    std::size_t at = p.hash & mask;
    for (;; at = (at + 1) & mask) {
        const std::uint32_t slot = slots_[at];
        if (slot == 0) break;
        if (equal(recs_[slot - 1], p)) return slot - 1;
    }
    if (recs_.size() >= UINT32_MAX / 2) throw Error("more than 2147483647 distinct sellers or entities in links");
    Rec r;
    r.kind = p.kind;
    r.bits = p.bits;
    if (p.kind == Kind::Text || p.kind == Kind::Blob) {
        r.bits = arena_.size();
        r.len = static_cast<std::uint32_t>(p.s.size());
        arena_.insert(arena_.end(), p.s.begin(), p.s.end());
    }
    if (p.kind != Kind::Integer) all_integers_ = false;
    const auto id = static_cast<std::uint32_t>(recs_.size());
    recs_.push_back(r);
    slots_[at] = id + 1;
    return id;
}

ValueView KeyTable::view(std::uint32_t id) const {
    const Rec& r = recs_[id];
    switch (r.kind) {
        case Kind::Integer: return ValueView::integer(static_cast<std::int64_t>(r.bits));
        case Kind::Real: return ValueView::real(std::bit_cast<double>(r.bits));
        case Kind::Text: return ValueView::text({arena_.data() + r.bits, r.len});
        case Kind::Blob: return ValueView::blob({arena_.data() + r.bits, r.len});
        case Kind::Null: break;
    }
    return ValueView::null();
}

int KeyTable::compare(std::uint32_t a, std::uint32_t b) const {
    const Rec &x = recs_[a], &y = recs_[b];
    if (x.kind == Kind::Integer && y.kind == Kind::Integer) {
        const auto i = static_cast<std::int64_t>(x.bits), j = static_cast<std::int64_t>(y.bits);
        return i < j ? -1 : i > j ? 1 : 0;
    }
    return penalty::compare(view(a), view(b));
}

void KeyTable::shrink() {
    recs_.shrink_to_fit();
    arena_.shrink_to_fit();
}

void KeyTable::seal() {
    slots_ = {};
    shrink();
}

std::size_t KeyTable::memory() const {
    return recs_.capacity() * sizeof(Rec) + arena_.capacity() + slots_.capacity() * sizeof(std::uint32_t);
}

}  // namespace penalty
