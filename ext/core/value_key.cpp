// value_key.cpp — SQL values as keys (value_key.hpp).
#include "core/value_key.hpp"

#include <cmath>
#include <cstring>

namespace penalty {

ValueKey ValueKey::of(const ValueView& v) {
    ValueKey k;
    k.assign(v);
    return k;
}

namespace {

// Whether the REAL `r` has an exact int64 value (then in *out). 2^63 itself
// is not an int64; everything below it that is whole is.
bool whole(double r, std::int64_t* out) {
    if (!(std::isfinite(r) && r == std::floor(r) && r >= -9223372036854775808.0 && r < 9223372036854775808.0))
        return false;
    *out = static_cast<std::int64_t>(r);
    return true;
}

}  // namespace

void ValueKey::assign(const ValueView& v) {
    kind = v.kind;
    i = 0;
    r = 0.0;
    s.clear();
    switch (v.kind) {
        case Kind::Integer: i = v.i; break;
        case Kind::Real:
            if (whole(v.r, &i)) kind = Kind::Integer;
            else r = v.r;
            break;
        case Kind::Text:
        case Kind::Blob: s.assign(v.s); break;
        case Kind::Null: break;
    }
}

bool ValueKey::matches(const ValueView& v) const {
    switch (v.kind) {
        case Kind::Integer: return kind == Kind::Integer && i == v.i;
        case Kind::Real: {
            std::int64_t n = 0;
            if (whole(v.r, &n)) return kind == Kind::Integer && i == n;
            return kind == Kind::Real && r == v.r;
        }
        case Kind::Text:
        case Kind::Blob: return kind == v.kind && s == v.s;
        case Kind::Null: return kind == Kind::Null;
    }
    return false;
}

namespace {

int rank(Kind k) {
    switch (k) {
        case Kind::Null: return 0;
        case Kind::Integer:
        case Kind::Real: return 1;
        case Kind::Text: return 2;
        case Kind::Blob: return 3;
    }
    return 4;
}

// The INTEGER i against the REAL r, exactly (as SQLite compares them; as
// doubles, INTEGERs near 2^63 would equal REAL 2^63).
int compare_int_real(std::int64_t i, double r) {
    if (std::isnan(r) || r >= 9223372036854775808.0) return -1;  // NaN (never stored: SQLite makes it NULL) last
    if (r < -9223372036854775808.0) return 1;
    const auto whole = static_cast<std::int64_t>(r);  // toward zero, in range
    if (i != whole) return i < whole ? -1 : 1;
    const double frac = r - static_cast<double>(whole);  // exact
    return frac > 0 ? -1 : frac < 0 ? 1 : 0;
}

}  // namespace

int compare(const ValueKey& a, const ValueKey& b) { return compare(a.view(), b.view()); }

int compare(const ValueView& a, const ValueView& b) {
    const int ra = rank(a.kind), rb = rank(b.kind);
    if (ra != rb) return ra < rb ? -1 : 1;
    switch (ra) {
        case 0: return 0;
        case 1:
            if (a.kind == Kind::Integer && b.kind == Kind::Integer) return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
            if (a.kind == Kind::Real && b.kind == Kind::Real) return a.r < b.r ? -1 : a.r > b.r ? 1 : 0;
            return a.kind == Kind::Integer ? compare_int_real(a.i, b.r) : -compare_int_real(b.i, a.r);
        default: {
            const int c = std::memcmp(a.s.data(), b.s.data(), std::min(a.s.size(), b.s.size()));
            if (c != 0) return c < 0 ? -1 : 1;
            return a.s.size() < b.s.size() ? -1 : a.s.size() > b.s.size() ? 1 : 0;
        }
    }
}

}  // namespace penalty
