// duration.hpp — the durations of the v2 rules model.
//
// Every length of time in the rules (repeat_days, period_days, threshold
// days, expires_days, merge_days) is a duration:
//   INTEGER n   n days of 86,400 seconds (the v1 form); n >= min_days
//   TEXT 'n unit'  n a positive integer (decimal digits), one space, unit one
//               of hour(s), day(s), week(s), month(s), year(s), in any case
// A REAL, a TEXT of digits only, NULL, a BLOB or any other value is refused.
// Every duration is at most 10,000 years (the bounds below), so that no
// arithmetic on times within 10,000 years of the timestamp range overflows.
//
// add(t, k·d): hours, days and weeks are exact multiples of 3,600 s and
// 86,400 s. Months and years (12 months) are calendar arithmetic in local
// time (UTC + tz_offset): t's local date and time of day, k·n months added to
// the year/month in one step, the day clamped to the last day of that month,
// the time of day kept, converted back to UTC.
//
// Cycles of an anchor A: [add(A, k·d), add(A, (k+1)·d)) for every integer k.
#pragma once

#include <cstdint>
#include <string>

#include "core/timestamp.hpp"
#include "core/value.hpp"

namespace penalty {

enum class DurationUnit { Hour, Day, Week, Month, Year };

struct Duration {
    std::int64_t n = 0;
    DurationUnit unit = DurationUnit::Day;
    bool integer_form = false;  // given as INTEGER days (the v1 form)

    bool operator==(const Duration&) const = default;
    // Months or years: calendar arithmetic in local time.
    bool calendar() const { return unit == DurationUnit::Month || unit == DurationUnit::Year; }
};

// The largest n accepted in each unit: 10,000 years (of 365.25 days for the
// exact units). kMaxDurationDays equals kMaxDays of rules_compile.hpp.
constexpr std::int64_t kMaxDurationHours = 87660000;
constexpr std::int64_t kMaxDurationDays = 3652500;
constexpr std::int64_t kMaxDurationWeeks = 521785;
constexpr std::int64_t kMaxDurationMonths = 120000;
constexpr std::int64_t kMaxDurationYears = 10000;

// The largest n of a unit, above.
std::int64_t max_duration_n(DurationUnit unit);

// Parses a rule cell. min_days (0 or 1) is the smallest INTEGER accepted;
// the n of TEXT is always >= 1. Throws penalty::Error with the message
//   "<value as SQL literal> is not a duration[ (<reason>)]; expected <forms>"
// (see duration_forms); the caller prefixes the table, the row and the column.
Duration parse_duration(const ValueView& cell, std::int64_t min_days);

// The accepted forms, as quoted after "; " in every parse_duration error:
// "expected INTEGER days from <min_days> to 3652500, or TEXT 'n unit' ...".
std::string duration_forms(std::int64_t min_days);

// add(t, k·d), computed from t in one step (k·n months for calendar units),
// for any integer k, negative too. tz_offset: seconds east of UTC.
// Within the bounds this module is made for (t within 10,000 years of the
// timestamp range, |k·n| at most 4 times the unit's bound) nothing can
// overflow; beyond them an overflow throws penalty::Error rather than
// wrapping.
Time add_duration(Time t, const Duration& d, Time tz_offset, std::int64_t k = 1);

// The cycle index k with add(anchor, k·d) <= x < add(anchor, (k+1)·d), in
// O(1): a division for the exact units; for months and years an estimate
// from the local year/month followed by at most one correction. d.n must be
// >= 1 (penalty::Error otherwise).
std::int64_t cycle_index(Time anchor, const Duration& d, Time x, Time tz_offset);

// For notes: the INTEGER form as "{n} days" (even "1 days": the v1 wording);
// the TEXT form as "1 year", "3 years", "12 hours", "1 week" (lower case,
// singular for 1, in the unit written: '24 hours' stays "24 hours").
std::string describe(const Duration& d);

}  // namespace penalty
