// duration.cpp — parsing, calendar arithmetic and cycles of durations.
#include "core/duration.hpp"

#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "core/error.hpp"

namespace penalty {

namespace {

struct UnitInfo {
    DurationUnit unit;
    const char* singular;
    std::int64_t max_n;
    Time seconds;  // per unit for the exact units; 0 for months and years
};

constexpr UnitInfo kUnits[] = {
    {DurationUnit::Hour, "hour", kMaxDurationHours, 3600},
    {DurationUnit::Day, "day", kMaxDurationDays, kSecondsPerDay},
    {DurationUnit::Week, "week", kMaxDurationWeeks, 7 * kSecondsPerDay},
    {DurationUnit::Month, "month", kMaxDurationMonths, 0},
    {DurationUnit::Year, "year", kMaxDurationYears, 0},
};

const UnitInfo& info(DurationUnit u) {
    for (const auto& i : kUnits)
        if (i.unit == u) return i;
    throw Error("duration of unknown unit");
}

// Each bound is 10,000 years: of 365.25 days for the exact units.
static_assert(kMaxDurationDays == 10000 * 36525 / 100);
static_assert(kMaxDurationHours == kMaxDurationDays * 24);
static_assert(kMaxDurationWeeks == kMaxDurationDays / 7);
static_assert(kMaxDurationMonths == kMaxDurationYears * 12);

constexpr const char* kTooLong = " (more than 10000 years)";
static_assert(kMaxDurationYears == 10000);

[[noreturn]] void refuse(const ValueView& v, std::int64_t min_days, const char* reason = "") {
    throw Error(fmt::format("{} is not a duration{}; {}", sql_literal(v), reason, duration_forms(min_days)));
}

[[noreturn]] void overflow() { throw Error("time arithmetic out of range"); }

std::int64_t mul(std::int64_t a, std::int64_t b) {
    std::int64_t r;
    if (__builtin_mul_overflow(a, b, &r)) overflow();
    return r;
}
std::int64_t add(std::int64_t a, std::int64_t b) {
    std::int64_t r;
    if (__builtin_add_overflow(a, b, &r)) overflow();
    return r;
}

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_lower(std::string_view s, std::string_view lower) {
    if (s.size() != lower.size()) return false;
    for (std::size_t k = 0; k < s.size(); ++k)
        if (ascii_lower(s[k]) != lower[k]) return false;
    return true;
}

// A local instant split into its month count (year * 12 + month - 1), day of
// month and second of the day.
struct LocalParts {
    std::int64_t months;
    unsigned day;
    Time second;
};

LocalParts local_parts(Time local) {
    const std::int64_t days = floor_div(local, kSecondsPerDay);
    std::int64_t y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    return {y * 12 + static_cast<std::int64_t>(m) - 1, d, local - days * kSecondsPerDay};
}

// Adds `months` calendar months to t in local time, in one step; the day
// is clamped to the last day of the month reached, the time of day is kept.
Time add_months(Time t, std::int64_t months, Time tz_offset) {
    const LocalParts p = local_parts(add(t, tz_offset));
    const std::int64_t total = add(p.months, months);
    const std::int64_t y = floor_div(total, 12);
    // Years beyond +-10^11 would overflow the seconds below.
    if (y > 100000000000 || y < -100000000000) overflow();
    const unsigned m = static_cast<unsigned>(total - y * 12 + 1);
    const unsigned d = std::min(p.day, days_in_month(y, m));
    return add(days_from_civil(y, m, d) * kSecondsPerDay + p.second, -tz_offset);
}

}  // namespace

std::int64_t max_duration_n(DurationUnit unit) { return info(unit).max_n; }

std::string duration_forms(std::int64_t min_days) {
    return fmt::format(
        "expected INTEGER days from {} to {}, or TEXT 'n unit' with n a positive integer and unit hour, day, "
        "week, month or year (singular or plural, any case), at most {} years",
        min_days, kMaxDurationDays, kMaxDurationYears);
}

Duration parse_duration(const ValueView& v, std::int64_t min_days) {
    if (v.kind == Kind::Integer) {
        if (v.i > kMaxDurationDays) refuse(v, min_days, kTooLong);
        if (v.i < min_days) refuse(v, min_days);
        return {v.i, DurationUnit::Day, true};
    }
    if (v.kind != Kind::Text) refuse(v, min_days);
    // 'n unit': digits, exactly one space, a unit name, nothing else.
    const std::string_view s = v.s;
    std::size_t k = 0;
    std::int64_t n = 0;
    bool huge = false;
    while (k < s.size() && s[k] >= '0' && s[k] <= '9') {
        if (n > kMaxDurationHours) huge = true;  // saturate: larger than every bound
        else n = n * 10 + (s[k] - '0');
        ++k;
    }
    if (k == 0 || k == s.size() || s[k] != ' ') refuse(v, min_days);
    const std::string_view name = s.substr(k + 1);
    for (const auto& u : kUnits) {
        const std::string_view one = u.singular;
        if (!equals_lower(name, one) &&
            !(name.size() == one.size() + 1 && equals_lower(name.substr(0, one.size()), one) &&
              ascii_lower(name.back()) == 's'))
            continue;
        if (huge || n > u.max_n) refuse(v, min_days, kTooLong);
        if (n < 1) refuse(v, min_days);
        return {n, u.unit, false};
    }
    refuse(v, min_days);
}

Time add_duration(Time t, const Duration& d, Time tz_offset, std::int64_t k) {
    const std::int64_t steps = mul(k, d.n);
    switch (d.unit) {
        case DurationUnit::Month: return add_months(t, steps, tz_offset);
        case DurationUnit::Year: return add_months(t, mul(steps, 12), tz_offset);
        default: return add(t, mul(steps, info(d.unit).seconds));
    }
}

std::int64_t cycle_index(Time anchor, const Duration& d, Time x, Time tz_offset) {
    if (d.n < 1) throw Error("a cycle must last at least one unit");
    if (!d.calendar()) return floor_div(add(x, -anchor), mul(d.n, info(d.unit).seconds));
    // add(anchor, j months) lies in the local month of the anchor plus j. With
    // diff the months from the anchor's local month to x's and k = floor(diff
    // / step): add(anchor, (k+1)·d) is in a later month than x, so after x;
    // add(anchor, k·d) is in an earlier month than x (then before x) or in
    // x's month, where it may still be after x: then k - 1 is the answer, as
    // add(anchor, (k-1)·d) is in an earlier month.
    const std::int64_t step = d.unit == DurationUnit::Year ? mul(d.n, 12) : d.n;
    const std::int64_t diff = add(local_parts(add(x, tz_offset)).months, -local_parts(add(anchor, tz_offset)).months);
    std::int64_t k = floor_div(diff, step);
    if (add_duration(anchor, d, tz_offset, k) > x) --k;
    return k;
}

std::string describe(const Duration& d) {
    if (d.integer_form) return fmt::format("{} days", d.n);
    return fmt::format("{} {}{}", d.n, info(d.unit).singular, d.n == 1 ? "" : "s");
}

}  // namespace penalty
