// timestamp.hpp — the timestamps of docs/model.md §1.2 and calendar periods.
//
// A timestamp is a signed 64-bit count of Unix seconds (UTC). Accepted input:
//   INTEGER  Unix seconds, except 19000101..29991231 (they read as a
//            YYYYMMDD date: refused, saying so)
//   REAL     Unix seconds, fraction dropped (floor); the same range refused
//   TEXT     YYYY-MM-DD, YYYY-MM-DD HH:MM, YYYY-MM-DD HH:MM:SS, an optional
//            .fff... after the seconds (dropped), 'T' instead of the space,
//            and after a time an optional Z or +HH:MM / -HH:MM (to UTC)
// The date is calendar-checked (2017-02-30 is refused). Years 0000..9999.
// Anything else throws penalty::Error with a message that names the value
// and the accepted forms (the caller prefixes the function and argument).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/value.hpp"

namespace penalty {

using Time = std::int64_t;  // Unix seconds, UTC

constexpr Time kSecondsPerDay = 86400;
// 0000-01-01 00:00:00 and 9999-12-31 23:59:59, the accepted range.
constexpr Time kMinTime = -62167219200;
constexpr Time kMaxTime = 253402300799;

// Numbers (INTEGER, or REAL after the floor) refused as timestamps: as Unix
// seconds they are 1970-08-09 to 1970-12-15, but they read as YYYYMMDD
// dates of 1900..2999, surely what was meant (docs/model.md §1.2).
constexpr Time kYyyymmddMin = 19000101;
constexpr Time kYyyymmddMax = 29991231;

// The accepted forms, as quoted in every timestamp error.
extern const char* const kTimestampForms;

// Parses any accepted SQL value. Throws penalty::Error.
Time parse_timestamp(const ValueView& v);

// Parses TEXT only (no type dispatch). Throws penalty::Error.
Time parse_timestamp_text(std::string_view s);

// Parses a UTC offset '+HH:MM' / '-HH:MM' within +-14:00 into seconds.
// Returns false when `s` is not of that form.
bool parse_utc_offset(std::string_view s, Time& seconds);

// 'YYYY-MM-DD HH:MM:SS', as SQLite's datetime().
std::string format_timestamp(Time t);

// The number of days of month m (1-12) of year y.
inline unsigned days_in_month(std::int64_t y, unsigned m) {
    constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date, and back.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);
void civil_from_days(std::int64_t days, std::int64_t& y, unsigned& m, unsigned& d);

// Floor division, for negative times.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

}  // namespace penalty
