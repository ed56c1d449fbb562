// seller_table.hpp — every distinct seller_id of a read as a 32-bit id, and
// the sellers' ranks in SQLite's BINARY order (NULL, numbers by value, text
// by bytes, blobs): the sort strategy's interning (core/event_sort.hpp).
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <functional>
#include <numeric>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/value_key.hpp"

namespace penalty {

inline std::uint64_t mix(std::uint64_t x) {
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


}  // namespace penalty
