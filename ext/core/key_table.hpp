// key_table.hpp — a compact interning table of SQL values as keys: each
// distinct value gets a 32-bit id (0, 1, 2, … in order of first intern()).
//
// Values are equal as in SQL (value_key.hpp): INTEGER 5 and REAL 5.0 are one
// key (a REAL with an exact int64 value is stored as that INTEGER; -0.0 is 0),
// TEXT '5' and BLOB x'35' are two others. A key is a 16-byte record (kind and
// an int64, a double's bits, or the offset of its bytes in one arena);
// integers and reals own no string. The ids live in a flat open-addressing
// table (linear probing, power-of-two capacity, load ≤ 0.5). Each vector is
// one allocation: the table is freed in one piece. Looking up or interning a
// ValueView builds no ValueKey and, once the table is large enough
// (reserve()), allocates nothing.
//
// A ValueView from view() points into the arena: it is valid until the next
// intern() of a new TEXT or BLOB key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/value.hpp"
#include "core/value_key.hpp"

namespace penalty {

class KeyTable {
public:
    static constexpr std::uint32_t npos = UINT32_MAX;

    // Room for `keys` keys without growing the id table.
    void reserve(std::size_t keys);
    // The id of `v`, made the next id when `v` is new. Throws penalty::Error
    // past 2^31 - 1 keys.
    std::uint32_t intern(const ValueView& v);
    // The id of `v`, or npos.
    std::uint32_t find(const ValueView& v) const;
    // Whether key `id` is `v` (in SQL), without a hash or a probe.
    bool is(std::uint32_t id, const ValueView& v) const;

    std::size_t size() const { return recs_.size(); }
    // Key `id` as a view (a whole REAL is an INTEGER) or an owned key.
    ValueView view(std::uint32_t id) const;
    ValueKey key(std::uint32_t id) const { return ValueKey::of(view(id)); }
    // Whether every key is an INTEGER (then integer(id) is its value).
    bool all_integers() const { return all_integers_; }
    std::int64_t integer(std::uint32_t id) const { return static_cast<std::int64_t>(recs_[id].bits); }
    // <0, 0, >0 as key a is before, equal to or after key b in SQLite's order.
    int compare(std::uint32_t a, std::uint32_t b) const;

    // Frees spare capacity (after the last intern()).
    void shrink();
    // shrink() and frees the id table: view(), key() and compare() still
    // work; find() and intern() may not be called after.
    void seal();

    // Bytes held (capacities), for tests and benchmarks.
    std::size_t memory() const;

private:
    struct Rec {
        std::uint64_t bits = 0;  // Integer: the value; Real: the double's bits; Text/Blob: arena offset
        std::uint32_t len = 0;   // Text/Blob: byte count
        Kind kind = Kind::Null;
    };
    struct Probe;
    static Probe probe_of(const ValueView& v, bool hashed = true);
    bool equal(const Rec& r, const Probe& p) const;
    std::uint64_t hash(const Rec& r) const;
    void grow(std::size_t capacity);

    std::vector<Rec> recs_;             // by id
    std::vector<char> arena_;           // TEXT and BLOB bytes, back to back
    std::vector<std::uint32_t> slots_;  // id + 1, or 0 when empty
    bool all_integers_ = true;
};

}  // namespace penalty
