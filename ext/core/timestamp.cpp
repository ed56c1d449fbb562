// timestamp.cpp — parsing and formatting of docs/model.md §1.2 timestamps.
#include "core/timestamp.hpp"

#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"

namespace penalty {

const char* const kTimestampForms =
    "expected INTEGER or REAL Unix seconds, or TEXT 'YYYY-MM-DD[ HH:MM[:SS[.fff]]][Z|+HH:MM|-HH:MM]'";

// Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = floor_div(y, 400);
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
    z += 719468;
    const std::int64_t era = floor_div(z, 146097);
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

namespace {

// A small cursor over the text; every reader returns false on mismatch.
struct Cursor {
    std::string_view s;
    std::size_t k = 0;

    bool done() const { return k == s.size(); }
    bool peek(char c) const { return k < s.size() && s[k] == c; }
    bool eat(char c) {
        if (!peek(c)) return false;
        ++k;
        return true;
    }
    bool digits(unsigned n, unsigned& out) {
        out = 0;
        for (unsigned j = 0; j < n; ++j) {
            if (k >= s.size() || s[k] < '0' || s[k] > '9') return false;
            out = out * 10 + static_cast<unsigned>(s[k++] - '0');
        }
        return true;
    }
};

[[noreturn]] void bad_text(std::string_view s, const char* why) {
    throw Error(fmt::format("invalid timestamp {}{}; {}", sql_literal(ValueView::text(s)), why, kTimestampForms));
}

}  // namespace

bool parse_utc_offset(std::string_view s, Time& seconds) {
    Cursor c{s};
    int sign = c.eat('+') ? 1 : c.eat('-') ? -1 : 0;
    unsigned hh, mm;
    if (sign == 0 || !c.digits(2, hh) || !c.eat(':') || !c.digits(2, mm) || !c.done()) return false;
    if (mm > 59 || hh * 60 + mm > 14 * 60) return false;
    seconds = sign * static_cast<Time>(hh * 3600 + mm * 60);
    return true;
}

namespace {

// 'YYYY-MM-DD HH:MM:SS' exactly, the common case (SQLite's datetime()
// form): checked digit by digit, no cursor. False: use the general parser.
bool parse_datetime_19(std::string_view s, Time& out) {
    if (s.size() != 19 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' ||
        s[16] != ':')
        return false;
    static constexpr int kDigits[] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};
    for (int k : kDigits)
        if (s[static_cast<std::size_t>(k)] < '0' || s[static_cast<std::size_t>(k)] > '9') return false;
    auto num = [&](int at, int n) {
        unsigned v = 0;
        for (int j = 0; j < n; ++j) v = v * 10 + static_cast<unsigned>(s[static_cast<std::size_t>(at + j)] - '0');
        return v;
    };
    const unsigned y = num(0, 4), mo = num(5, 2), d = num(8, 2), hh = num(11, 2), mi = num(14, 2), ss = num(17, 2);
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || hh > 23 || mi > 59 || ss > 59) return false;
    out = days_from_civil(y, mo, d) * kSecondsPerDay + hh * 3600 + mi * 60 + ss;
    return true;
}

}  // namespace

Time parse_timestamp_text(std::string_view s) {
    Time fast;
    if (parse_datetime_19(s, fast)) return fast;  // always within range
    Cursor c{s};
    unsigned y, mo, d, hh = 0, mi = 0, ss = 0;
    if (!c.digits(4, y) || !c.eat('-') || !c.digits(2, mo) || !c.eat('-') || !c.digits(2, d))
        bad_text(s, "");
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) bad_text(s, " (no such calendar date)");
    Time offset = 0;
    if (!c.done()) {
        if (!c.eat(' ') && !c.eat('T')) bad_text(s, "");
        if (!c.digits(2, hh) || !c.eat(':') || !c.digits(2, mi)) bad_text(s, "");
        if (c.eat(':')) {
            if (!c.digits(2, ss)) bad_text(s, "");
            if (c.eat('.')) {
                unsigned digit;
                if (!c.digits(1, digit)) bad_text(s, "");
                while (c.digits(1, digit)) {}
                // digits() consumed nothing on its failing call, so the cursor is right.
            }
        }
        if (hh > 23 || mi > 59 || ss > 59) bad_text(s, " (no such time of day)");
        if (c.eat('Z')) {
            if (!c.done()) bad_text(s, "");
        } else if (!c.done()) {
            if (!parse_utc_offset(s.substr(c.k), offset)) bad_text(s, " (offset must be +HH:MM or -HH:MM within 14:00)");
        }
    }
    const Time local = days_from_civil(y, mo, d) * kSecondsPerDay + hh * 3600 + mi * 60 + ss;
    const Time t = local - offset;
    if (t < kMinTime || t > kMaxTime)
        throw Error(fmt::format("timestamp {} is out of range (0000-01-01 to 9999-12-31 UTC)",
                                sql_literal(ValueView::text(s))));
    return t;
}

namespace {

// A number of Unix seconds in [kYyyymmddMin, kYyyymmddMax] (1970-08-09 to
// 1970-12-15) is refused: there it reads as a YYYYMMDD date of the years
// 1900..2999 (20171231), which is what the caller almost surely meant, and
// taking it as seconds would answer silently for a day in 1970 (§1.2).
[[noreturn]] void looks_like_yyyymmdd(const ValueView& v, Time n) {
    const auto y = static_cast<unsigned>(n / 10000), m = static_cast<unsigned>(n / 100 % 100),
               d = static_cast<unsigned>(n % 100);
    const std::string date = m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m)
                                 ? fmt::format("{:04}-{:02}-{:02}", y, m, d)
                                 : std::string("YYYY-MM-DD");
    throw Error(fmt::format("timestamp {} looks like a YYYYMMDD date, not Unix seconds (numbers from {} to {} are "
                            "refused); pass the date as TEXT '{}', or Unix seconds as unixepoch('{}')",
                            sql_literal(v), kYyyymmddMin, kYyyymmddMax, date, date));
}

}  // namespace

Time parse_timestamp(const ValueView& v) {
    switch (v.kind) {
        case Kind::Integer:
            if (v.i < kMinTime || v.i > kMaxTime)
                throw Error(fmt::format("timestamp {} is out of range (Unix seconds {} to {})", v.i, kMinTime, kMaxTime));
            if (v.i >= kYyyymmddMin && v.i <= kYyyymmddMax) looks_like_yyyymmdd(v, v.i);
            return v.i;
        case Kind::Real: {
            if (!std::isfinite(v.r) || v.r < static_cast<double>(kMinTime) || v.r >= static_cast<double>(kMaxTime) + 1.0)
                throw Error(fmt::format("timestamp {} is out of range (Unix seconds {} to {})",
                                        sql_literal(v), kMinTime, kMaxTime));
            const auto t = static_cast<Time>(std::floor(v.r));
            if (t >= kYyyymmddMin && t <= kYyyymmddMax) looks_like_yyyymmdd(v, t);
            return t;
        }
        case Kind::Text: return parse_timestamp_text(v.s);
        case Kind::Null: throw Error(fmt::format("timestamp is NULL; {}", kTimestampForms));
        case Kind::Blob: throw Error(fmt::format("timestamp is a BLOB {}; {}", sql_literal(v), kTimestampForms));
    }
    throw Error("timestamp of unknown type");
}

std::string format_timestamp(Time t) {
    const std::int64_t days = floor_div(t, kSecondsPerDay);
    const std::int64_t secs = t - days * kSecondsPerDay;
    std::int64_t y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", y, m, d, secs / 3600, secs / 60 % 60, secs % 60);
}

}  // namespace penalty
