// value_key.hpp — an owned SQL value used as a key, with SQLite's equality
// and order (docs/model.md §6): NULL, then numbers by value (INTEGER 1 and
// REAL 1.0 are equal), then TEXT by bytes (BINARY), then BLOBs by bytes.
// TEXT '1' and INTEGER 1 differ (no type affinity).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/value.hpp"

namespace penalty {

struct ValueKey {
    Kind kind = Kind::Null;  // Integer also stands for a REAL with an exact int64 value
    std::int64_t i = 0;
    double r = 0.0;          // Kind::Real: a REAL that is not an exact int64
    std::string s;           // Kind::Text / Kind::Blob

    static ValueKey of(const ValueView& v);
    // Makes this the key of `v`, reusing this key's text buffer.
    void assign(const ValueView& v);
    // Whether `v` equals this key in SQL (INTEGER 5 and REAL 5.0 are equal):
    // ValueKey::of(v) == *this, without making the key.
    bool matches(const ValueView& v) const;
    ValueView view() const { return {kind, i, r, s}; }
    bool operator==(const ValueKey& o) const { return kind == o.kind && i == o.i && r == o.r && s == o.s; }
};

// <0, 0, >0 as a is before, equal to or after b in SQLite's ORDER BY (BINARY).
int compare(const ValueKey& a, const ValueKey& b);
// The same for the views of keys (ValueKey::view(): a whole REAL is INTEGER).
int compare(const ValueView& a, const ValueView& b);

struct ValueKeyHash {
    std::size_t operator()(const ValueKey& k) const {
        const std::size_t h = std::hash<std::string>()(k.s) ^ (std::hash<std::int64_t>()(k.i) * 31) ^
                              (std::hash<double>()(k.r) * 17);
        return h ^ static_cast<std::size_t>(k.kind);
    }
};

}  // namespace penalty
