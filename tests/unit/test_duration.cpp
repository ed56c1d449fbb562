// Durations of the v2 rules model (ext/core/duration.hpp): every accepted
// form, every refusal, calendar arithmetic in local time, cycles.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>

#include "core/duration.hpp"
#include "core/error.hpp"
#include "core/rules_compile.hpp"
#include "core/timestamp.hpp"

using namespace penalty;

namespace {

Duration D(const char* s) { return parse_duration(ValueView::text(s), 0); }
Duration days(std::int64_t n) { return parse_duration(ValueView::integer(n), 0); }
Time T(const char* s) { return parse_timestamp_text(s); }
std::string F(Time t) { return format_timestamp(t); }

std::string error_of(const ValueView& v, std::int64_t min_days = 0) {
    try {
        parse_duration(v, min_days);
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}
std::string error_of(const char* s, std::int64_t min_days = 0) { return error_of(ValueView::text(s), min_days); }

// add(t, k·d) on text, for readable checks.
std::string add(const char* t, const char* d, std::int64_t k = 1, Time tz = 0) {
    return F(add_duration(T(t), D(d), tz, k));
}

constexpr Time kPlus8 = 8 * 3600;
constexpr Time kMinus5 = -5 * 3600;

}  // namespace

static_assert(kMaxDurationDays == kMaxDays);

TEST_CASE("duration: INTEGER days, the v1 form") {
    CHECK(days(0) == Duration{0, DurationUnit::Day, true});
    CHECK(days(365) == Duration{365, DurationUnit::Day, true});
    CHECK(days(3652500) == Duration{3652500, DurationUnit::Day, true});
    CHECK(parse_duration(ValueView::integer(1), 1) == Duration{1, DurationUnit::Day, true});
    CHECK_FALSE(days(365).calendar());
}

TEST_CASE("duration: TEXT 'n unit', every unit, any case") {
    CHECK(D("1 hour") == Duration{1, DurationUnit::Hour, false});
    CHECK(D("1 Hour") == Duration{1, DurationUnit::Hour, false});
    CHECK(D("12 hours") == Duration{12, DurationUnit::Hour, false});
    CHECK(D("1 day") == Duration{1, DurationUnit::Day, false});
    CHECK(D("2 days") == Duration{2, DurationUnit::Day, false});
    CHECK(D("1 days") == Duration{1, DurationUnit::Day, false});  // any of the ten names, whatever n
    CHECK(D("2 day") == Duration{2, DurationUnit::Day, false});
    CHECK(D("1 week") == Duration{1, DurationUnit::Week, false});
    CHECK(D("2 WEEKS") == Duration{2, DurationUnit::Week, false});
    CHECK(D("1 month") == Duration{1, DurationUnit::Month, false});
    CHECK(D("6 Months") == Duration{6, DurationUnit::Month, false});
    CHECK(D("1 year") == Duration{1, DurationUnit::Year, false});
    CHECK(D("3 YEARS") == Duration{3, DurationUnit::Year, false});
    CHECK(D("1 yEaR") == Duration{1, DurationUnit::Year, false});
    CHECK(D("03 days") == Duration{3, DurationUnit::Day, false});  // decimal digits, leading zeros allowed
    // The TEXT form is never 0, whatever min_days.
    CHECK(parse_duration(ValueView::text("1 month"), 1) == Duration{1, DurationUnit::Month, false});
    // The unit is kept as written: 24 hours is not 1 day by ==.
    CHECK_FALSE(D("24 hours") == D("1 day"));
    CHECK_FALSE(D("7 days") == days(7));
    CHECK(D("1 month").calendar());
    CHECK(D("1 year").calendar());
    CHECK_FALSE(D("1 week").calendar());
    CHECK_FALSE(D("1 hour").calendar());
}

TEST_CASE("duration: the bounds, 10,000 years in every unit") {
    CHECK(D("87660000 hours").n == 87660000);
    CHECK(D("3652500 days").n == 3652500);
    CHECK(D("521785 weeks").n == 521785);
    CHECK(D("120000 months").n == 120000);
    CHECK(D("10000 years").n == 10000);
    CHECK(max_duration_n(DurationUnit::Hour) == 87660000);
    CHECK(max_duration_n(DurationUnit::Day) == 3652500);
    CHECK(max_duration_n(DurationUnit::Week) == 521785);
    CHECK(max_duration_n(DurationUnit::Month) == 120000);
    CHECK(max_duration_n(DurationUnit::Year) == 10000);

    const std::string forms0 = duration_forms(0);
    CHECK(error_of("87660001 hours") == "'87660001 hours' is not a duration (more than 10000 years); " + forms0);
    CHECK(error_of("3652501 days") == "'3652501 days' is not a duration (more than 10000 years); " + forms0);
    CHECK(error_of("521786 weeks") == "'521786 weeks' is not a duration (more than 10000 years); " + forms0);
    CHECK(error_of("120001 months") == "'120001 months' is not a duration (more than 10000 years); " + forms0);
    CHECK(error_of("10001 years") == "'10001 years' is not a duration (more than 10000 years); " + forms0);
    CHECK(error_of("99999999999999999999999999 years") ==
          "'99999999999999999999999999 years' is not a duration (more than 10000 years); " + forms0);
    CHECK(error_of(ValueView::integer(3652501)) == "3652501 is not a duration (more than 10000 years); " + forms0);
    CHECK(error_of(ValueView::integer(INT64_MAX)) ==
          "9223372036854775807 is not a duration (more than 10000 years); " + forms0);
}

TEST_CASE("duration: refusals name the value and the accepted forms") {
    CHECK(duration_forms(0) ==
          "expected INTEGER days from 0 to 3652500, or TEXT 'n unit' with n a positive integer and unit hour, day, "
          "week, month or year (singular or plural, any case), at most 10000 years");
    CHECK(duration_forms(1) ==
          "expected INTEGER days from 1 to 3652500, or TEXT 'n unit' with n a positive integer and unit hour, day, "
          "week, month or year (singular or plural, any case), at most 10000 years");
    const std::string forms0 = duration_forms(0), forms1 = duration_forms(1);

    CHECK(error_of(ValueView::real(3.0)) == "3.0 is not a duration; " + forms0);  // shown as a REAL, not as 3
    CHECK(error_of(ValueView::real(1.5)) == "1.5 is not a duration; " + forms0);
    CHECK(error_of(ValueView::real(-2.0)) == "-2.0 is not a duration; " + forms0);
    CHECK(error_of(ValueView::null()) == "NULL is not a duration; " + forms0);
    CHECK(error_of(ValueView::blob("\x01\x02")) == "X'0102' is not a duration; " + forms0);
    CHECK(error_of(ValueView::integer(-1), 0) == "-1 is not a duration; " + forms0);
    CHECK(error_of(ValueView::integer(0), 1) == "0 is not a duration; " + forms1);
    CHECK(error_of(ValueView::integer(-1), 1) == "-1 is not a duration; " + forms1);

    CHECK(error_of("3") == "'3' is not a duration; " + forms0);
    CHECK(error_of("3years") == "'3years' is not a duration; " + forms0);
    CHECK(error_of("3  years") == "'3  years' is not a duration; " + forms0);
    CHECK(error_of(" 3 years") == "' 3 years' is not a duration; " + forms0);
    CHECK(error_of("3 years ") == "'3 years ' is not a duration; " + forms0);
    CHECK(error_of("3 years\n") == "'3 years\\x0A' is not a duration; " + forms0);
    CHECK(error_of("3\tyears") == "'3\\x09years' is not a duration; " + forms0);
    CHECK(error_of("0 months") == "'0 months' is not a duration; " + forms0);
    CHECK(error_of("0 days") == "'0 days' is not a duration; " + forms0);  // even where INTEGER 0 is accepted
    CHECK(error_of("-1 month") == "'-1 month' is not a duration; " + forms0);
    CHECK(error_of("+1 month") == "'+1 month' is not a duration; " + forms0);
    CHECK(error_of("1.5 years") == "'1.5 years' is not a duration; " + forms0);
    CHECK(error_of("2 fortnights") == "'2 fortnights' is not a duration; " + forms0);
    CHECK(error_of("1 yearss") == "'1 yearss' is not a duration; " + forms0);
    CHECK(error_of("1 yr") == "'1 yr' is not a duration; " + forms0);
    CHECK(error_of("1 y\xC3\xA4r") == "'1 y\xC3\xA4r' is not a duration; " + forms0);
    CHECK(error_of("years") == "'years' is not a duration; " + forms0);
    CHECK(error_of("1 ") == "'1 ' is not a duration; " + forms0);
    CHECK(error_of("") == "'' is not a duration; " + forms0);
    CHECK(error_of("1 month", 1) == "(no error)");
    CHECK(error_of("0 months", 1) == "'0 months' is not a duration; " + forms1);
}

TEST_CASE("add: hours, days and weeks are exact") {
    CHECK(add("2017-01-01", "25 hours") == "2017-01-02 01:00:00");
    CHECK(add("2017-01-01", "12 hours", -3) == "2016-12-30 12:00:00");
    CHECK(add("2017-03-25 12:00", "2 days") == "2017-03-27 12:00:00");
    CHECK(add("2017-01-01", "2 weeks") == "2017-01-15 00:00:00");
    CHECK(add("2017-01-01", "1 week", -1) == "2016-12-25 00:00:00");
    CHECK(F(add_duration(T("2020-01-01"), days(365), 0)) == "2020-12-31 00:00:00");  // 2020 has 366 days
    CHECK(F(add_duration(T("2020-01-01"), days(0), 0)) == "2020-01-01 00:00:00");
    CHECK(add_duration(1000, D("1 day"), 0, 3) == 1000 + 3 * 86400);
    CHECK(add_duration(1000, D("1 week"), 0, -2) == 1000 - 14 * 86400);
    CHECK(add_duration(1000, D("5 hours"), 0, 7) == 1000 + 35 * 3600);
    // The local time does not change exact units.
    CHECK(add("2017-01-31 20:00", "25 hours", 1, kPlus8) == "2017-02-01 21:00:00");
    CHECK(add("2017-01-31 20:00", "1 week", 1, kMinus5) == "2017-02-07 20:00:00");
}

TEST_CASE("add: leap days") {
    CHECK(add("2020-02-29", "1 year") == "2021-02-28 00:00:00");
    CHECK(add("2020-02-29", "4 years") == "2024-02-29 00:00:00");
    CHECK(add("2020-02-29", "1 year", 4) == "2024-02-29 00:00:00");
    CHECK(add("2020-02-29", "1 year", -1) == "2019-02-28 00:00:00");
    CHECK(add("2020-02-29", "12 months") == "2021-02-28 00:00:00");
    CHECK(add("2020-02-29", "48 months") == "2024-02-29 00:00:00");
    CHECK(add("2019-03-01", "1 year", -1) == "2018-03-01 00:00:00");
    CHECK(add("2020-03-01", "1 year", -1) == "2019-03-01 00:00:00");
    CHECK(add("2020-03-01", "1 month", -1) == "2020-02-01 00:00:00");
    CHECK(add("2016-02-29", "3 years") == "2019-02-28 00:00:00");
    CHECK(add("2017-02-28", "3 years") == "2020-02-28 00:00:00");  // not moved to the 29th
    CHECK(add("2000-02-29", "100 years") == "2100-02-28 00:00:00");  // 2100 is not a leap year
    CHECK(add("2000-02-29", "400 years") == "2400-02-29 00:00:00");
    // On a UTC ruleset, '3 years' is the same calendar date three years later.
    CHECK(add("2017-06-15 12:34:56", "3 years") == "2020-06-15 12:34:56");
    CHECK(add("2019-12-31 23:59:59", "3 years") == "2022-12-31 23:59:59");
    CHECK(add("2019-12-31 23:59:59", "3 years", -1) == "2016-12-31 23:59:59");
}

TEST_CASE("add: month ends clamp, keep the time of day, in one step") {
    CHECK(add("2017-01-31", "1 month") == "2017-02-28 00:00:00");
    CHECK(add("2017-01-31 23:59:59", "1 month") == "2017-02-28 23:59:59");
    CHECK(add("2020-01-31", "1 month") == "2020-02-29 00:00:00");
    CHECK(add("2020-01-31", "2 months") == "2020-03-31 00:00:00");
    CHECK(add("2020-01-31", "1 month", 2) == "2020-03-31 00:00:00");
    CHECK(add("2020-01-31", "1 month", 3) == "2020-04-30 00:00:00");
    CHECK(add("2020-01-31", "1 month", 11) == "2020-12-31 00:00:00");
    CHECK(add("2020-01-31", "1 month", 12) == "2021-01-31 00:00:00");
    CHECK(add("2020-01-31", "1 month", 13) == "2021-02-28 00:00:00");
    CHECK(add("2017-08-31", "6 months") == "2018-02-28 00:00:00");
    CHECK(add("2017-03-31", "1 month", -1) == "2017-02-28 00:00:00");
    CHECK(add("2020-03-31", "1 month", -1) == "2020-02-29 00:00:00");
    CHECK(add("2020-03-31", "1 month", -4) == "2019-11-30 00:00:00");
    CHECK(add("2020-03-31", "1 month", -15) == "2018-12-31 00:00:00");
    CHECK(add("2020-05-15 08:00", "1 month", 0) == "2020-05-15 08:00:00");
}

TEST_CASE("add: k·d in one step differs from repeated adding") {
    // 2020-01-31 + 2·(1 month) is 03-31; adding twice gives 02-29 then 03-29.
    const Time t = T("2020-01-31");
    const Duration m = D("1 month");
    CHECK(F(add_duration(t, m, 0, 2)) == "2020-03-31 00:00:00");
    CHECK(F(add_duration(add_duration(t, m, 0), m, 0)) == "2020-03-29 00:00:00");
    // 2020-02-29 + 4·(1 year) is 2024-02-29; adding four times gives 2024-02-28.
    const Time leap = T("2020-02-29");
    const Duration y = D("1 year");
    Time stepped = leap;
    for (int j = 0; j < 4; ++j) stepped = add_duration(stepped, y, 0);
    CHECK(F(stepped) == "2024-02-28 00:00:00");
    CHECK(F(add_duration(leap, y, 0, 4)) == "2024-02-29 00:00:00");
    // Backwards as well: 2020-03-31 - 2·(1 month) is 01-31; stepping gives 01-29.
    const Time end = T("2020-03-31");
    CHECK(F(add_duration(end, m, 0, -2)) == "2020-01-31 00:00:00");
    CHECK(F(add_duration(add_duration(end, m, 0, -1), m, 0, -1)) == "2020-01-29 00:00:00");
}

TEST_CASE("add: months and years in local time") {
    // tz +08:00: 2017-01-31 20:00 UTC is 2017-02-01 04:00 local; + 1 month is
    // 2017-03-01 04:00 local, 2017-02-28 20:00 UTC.
    CHECK(add("2017-01-31 20:00", "1 month", 1, kPlus8) == "2017-02-28 20:00:00");
    // 2017-01-30 20:00 UTC is 2017-01-31 04:00 local; + 1 month clamps to
    // 2017-02-28 04:00 local, 2017-02-27 20:00 UTC (UTC arithmetic: 02-28 20:00).
    CHECK(add("2017-01-30 20:00", "1 month", 1, kPlus8) == "2017-02-27 20:00:00");
    CHECK(add("2017-01-30 20:00", "1 month", 1, 0) == "2017-02-28 20:00:00");
    // 2017-02-28 20:00 UTC is 2017-03-01 04:00 local; + 1 month is 04-01 04:00
    // local, 03-31 20:00 UTC (UTC arithmetic: 03-28 20:00).
    CHECK(add("2017-02-28 20:00", "1 month", 1, kPlus8) == "2017-03-31 20:00:00");
    CHECK(add("2017-02-28 20:00", "1 month", 1, 0) == "2017-03-28 20:00:00");
    // tz -05:00: 2017-03-01 03:00 UTC is 2017-02-28 22:00 local; + 1 month is
    // 03-28 22:00 local, 03-29 03:00 UTC (UTC arithmetic: 04-01 03:00).
    CHECK(add("2017-03-01 03:00", "1 month", 1, kMinus5) == "2017-03-29 03:00:00");
    CHECK(add("2017-03-01 03:00", "1 month", 1, 0) == "2017-04-01 03:00:00");
    // tz +14:00: 2020-02-28 12:00 UTC is 2020-02-29 02:00 local; + 1 year is
    // 2021-02-28 02:00 local, 2021-02-27 12:00 UTC.
    CHECK(add("2020-02-28 12:00", "1 year", 1, 14 * 3600) == "2021-02-27 12:00:00");
    // ... and - 1 year is 2019-02-28 02:00 local, 2019-02-27 12:00 UTC.
    CHECK(add("2020-02-28 12:00", "1 year", -1, 14 * 3600) == "2019-02-27 12:00:00");
    // A local midnight stays a local midnight.
    CHECK(add("2016-12-31 16:00", "3 months", 1, kPlus8) == "2017-03-31 16:00:00");
}

TEST_CASE("add: the whole range, 10,000 years beyond the timestamps") {
    const Time lo = days_from_civil(-10000, 1, 1) * kSecondsPerDay;         // kMinTime - 10,000 years
    const Time hi = days_from_civil(19999, 12, 31) * kSecondsPerDay + 86399;  // kMaxTime + 10,000 years
    CHECK(add_duration(kMinTime, D("10000 years"), 0, -1) == lo);
    CHECK(add_duration(kMaxTime, D("10000 years"), 0) == hi);
    CHECK(add_duration(kMaxTime, D("120000 months"), 0) == hi);
    // hi at +14:00 is 20000-01-01 13:59:59 local; - 40,000 years is -20000-01-01 13:59:59 local.
    CHECK(add_duration(hi, D("10000 years"), 14 * 3600, -4) ==
          days_from_civil(-20000, 1, 1) * kSecondsPerDay + 13 * 3600 + 59 * 60 + 59 - 14 * 3600);
    CHECK(add_duration(lo, D("87660000 hours"), 0, 4) == lo + 4 * 87660000LL * 3600);
    CHECK(add_duration(hi, D("521785 weeks"), 0, -4) == hi - 4 * 521785LL * 7 * 86400);
    CHECK(add_duration(lo, days(3652500), 0, 4) == lo + 4 * 3652500LL * 86400);
    // Far beyond the bounds an overflow is an error, never a wrapped value.
    CHECK_THROWS_AS(add_duration(0, Duration{INT64_MAX, DurationUnit::Hour, false}, 0), Error);
    CHECK_THROWS_AS(add_duration(0, D("10000 years"), 0, INT64_MAX / 2), Error);
    CHECK_THROWS_AS(add_duration(0, D("1 month"), 0, INT64_MAX), Error);
    CHECK_THROWS_AS(add_duration(INT64_MAX, D("1 hour"), 0), Error);
}

TEST_CASE("cycle_index: days and hours") {
    const Time a = T("2017-01-01");
    const Duration d30 = days(30);
    CHECK(cycle_index(a, d30, a, 0) == 0);
    CHECK(cycle_index(a, d30, T("2017-01-30 23:59:59"), 0) == 0);
    CHECK(cycle_index(a, d30, T("2017-01-31"), 0) == 1);  // on a boundary: the later cycle
    CHECK(cycle_index(a, d30, T("2016-12-31 23:59:59"), 0) == -1);
    CHECK(cycle_index(a, d30, T("2016-12-02"), 0) == -1);
    CHECK(cycle_index(a, d30, T("2016-12-01 23:59:59"), 0) == -2);
    CHECK(cycle_index(a, d30, T("9999-12-31 23:59:59"), 0) == (T("9999-12-31") - a) / (30 * 86400));
    CHECK(cycle_index(a, d30, a, kPlus8) == 0);  // exact units ignore the offset

    const Time h = T("2017-01-01 06:00");
    const Duration h12 = D("12 hours");
    CHECK(cycle_index(h, h12, T("2017-01-01 05:59:59"), 0) == -1);
    CHECK(cycle_index(h, h12, T("2017-01-01 17:59:59"), 0) == 0);
    CHECK(cycle_index(h, h12, T("2017-01-01 18:00"), 0) == 1);
    CHECK(cycle_index(h, h12, T("2016-12-31 18:00"), 0) == -1);
    CHECK(cycle_index(h, h12, T("2016-12-31 17:59:59"), 0) == -2);

    const Time w = T("2017-01-02");  // a Monday
    CHECK(cycle_index(w, D("1 week"), T("2017-01-08 23:59:59"), 0) == 0);
    CHECK(cycle_index(w, D("1 week"), T("2017-01-09"), 0) == 1);
    CHECK(cycle_index(w, D("1 week"), T("2017-01-01 23:59:59"), 0) == -1);

    CHECK_THROWS_AS(cycle_index(a, days(0), a, 0), Error);
}

TEST_CASE("cycle_index: months, anchor on the 31st") {
    // Boundaries: k = -3 2016-10-31, -2 11-30, -1 12-31, 0 2017-01-31,
    // 1 02-28, 2 03-31, 13 2018-02-28 (all 12:00).
    const Time a = T("2017-01-31 12:00");
    const Duration m = D("1 month");
    CHECK(cycle_index(a, m, a, 0) == 0);
    CHECK(cycle_index(a, m, T("2017-02-28 11:59:59"), 0) == 0);  // x's month, boundary later that day
    CHECK(cycle_index(a, m, T("2017-02-28 12:00"), 0) == 1);
    CHECK(cycle_index(a, m, T("2017-03-30"), 0) == 1);
    CHECK(cycle_index(a, m, T("2017-03-31 11:59:59"), 0) == 1);
    CHECK(cycle_index(a, m, T("2017-03-31 12:00"), 0) == 2);  // from the anchor in one step, not 03-28
    CHECK(cycle_index(a, m, T("2018-02-28 11:59:59"), 0) == 12);
    CHECK(cycle_index(a, m, T("2018-02-28 12:00"), 0) == 13);
    CHECK(cycle_index(a, m, T("2017-01-31 11:59:59"), 0) == -1);
    CHECK(cycle_index(a, m, T("2016-12-31 12:00"), 0) == -1);
    CHECK(cycle_index(a, m, T("2016-12-31 11:59:59"), 0) == -2);
    CHECK(cycle_index(a, m, T("2016-11-30 12:00"), 0) == -2);
    CHECK(cycle_index(a, m, T("2016-11-30 11:59:59"), 0) == -3);
    CHECK(cycle_index(a, D("3 months"), T("2017-04-30 12:00"), 0) == 1);
    CHECK(cycle_index(a, D("3 months"), T("2017-04-30 11:59:59"), 0) == 0);
    CHECK(cycle_index(a, D("3 months"), T("2016-10-31 12:00"), 0) == -1);
    CHECK(cycle_index(a, D("3 months"), T("2016-10-31 11:59:59"), 0) == -2);
}

TEST_CASE("cycle_index: years, anchor on 02-29") {
    // Boundaries: 2016-02-29, 2019-02-28, 2020-02-29, 2021-02-28, 2024-02-29.
    const Time a = T("2020-02-29");
    const Duration y = D("1 year");
    CHECK(cycle_index(a, y, a, 0) == 0);
    CHECK(cycle_index(a, y, T("2021-02-27 23:59:59"), 0) == 0);
    CHECK(cycle_index(a, y, T("2021-02-28"), 0) == 1);
    CHECK(cycle_index(a, y, T("2024-02-28 23:59:59"), 0) == 3);
    CHECK(cycle_index(a, y, T("2024-02-29"), 0) == 4);
    CHECK(cycle_index(a, y, T("2020-02-28 23:59:59"), 0) == -1);
    CHECK(cycle_index(a, y, T("2019-02-28"), 0) == -1);
    CHECK(cycle_index(a, y, T("2019-02-27 23:59:59"), 0) == -2);
    CHECK(cycle_index(a, y, T("2016-02-29"), 0) == -4);
    CHECK(cycle_index(a, y, T("2016-02-28 23:59:59"), 0) == -5);

    const Time b = T("2016-02-29");
    const Duration y2 = D("2 years");
    CHECK(cycle_index(b, y2, T("2017-12-31"), 0) == 0);
    CHECK(cycle_index(b, y2, T("2018-02-27 23:59:59"), 0) == 0);
    CHECK(cycle_index(b, y2, T("2018-02-28"), 0) == 1);
    CHECK(cycle_index(b, y2, T("2020-02-28 23:59:59"), 0) == 1);
    CHECK(cycle_index(b, y2, T("2020-02-29"), 0) == 2);
    CHECK(cycle_index(b, y2, T("2014-02-28"), 0) == -1);
    CHECK(cycle_index(b, y2, T("2014-02-27 23:59:59"), 0) == -2);
}

TEST_CASE("cycle_index: months in local time") {
    // tz +08:00, the anchor a local midnight: 2017-01-31 16:00 UTC is
    // 2017-02-01 00:00 local. Boundaries at local month starts, 16:00 UTC
    // the day before.
    const Time a = T("2017-01-31 16:00");
    const Duration m = D("1 month");
    CHECK(cycle_index(a, m, T("2017-02-28 15:59:59"), kPlus8) == 0);
    CHECK(cycle_index(a, m, T("2017-02-28 16:00"), kPlus8) == 1);
    CHECK(cycle_index(a, m, T("2017-01-31 15:59:59"), kPlus8) == -1);
    CHECK(cycle_index(a, m, T("2016-12-31 16:00"), kPlus8) == -1);
    CHECK(cycle_index(a, m, T("2016-12-31 15:59:59"), kPlus8) == -2);
    // The same instants on a UTC ruleset: the anchor is 01-31 16:00, so the
    // first boundary is 02-28 16:00 and the one before 2016-12-31 16:00.
    CHECK(cycle_index(a, m, T("2017-02-28 15:59:59"), 0) == 0);
    CHECK(cycle_index(a, m, T("2017-03-30 16:00"), 0) == 1);
    CHECK(cycle_index(a, m, T("2017-03-30 16:00"), kPlus8) == 1);
    CHECK(cycle_index(a, m, T("2017-03-31 15:59:59"), kPlus8) == 1);
    CHECK(cycle_index(a, m, T("2017-03-31 16:00"), kPlus8) == 2);  // 04-01 00:00 local
    CHECK(cycle_index(a, m, T("2017-03-31 16:00"), 0) == 2);       // 03-31 16:00 UTC
    CHECK(cycle_index(a, m, T("2017-04-30 15:59:59"), 0) == 2);
    CHECK(cycle_index(a, m, T("2017-04-30 15:59:59"), kPlus8) == 2);
    CHECK(cycle_index(a, m, T("2017-04-30 16:00"), kPlus8) == 3);  // 05-01 00:00 local
    CHECK(cycle_index(a, m, T("2017-04-30 16:00"), 0) == 3);       // 04-30 16:00 UTC, clamped from 31
}

namespace {

// An independent add for calendar units: the local date as text, the months
// added one at a time to the year/month (never to a date), the day clamped.
std::string reference_add_months(Time t, std::int64_t months, Time tz) {
    const std::string s = F(t + tz);
    int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
    for (std::int64_t j = 0; j < months; ++j)
        if (++m == 13) m = 1, ++y;
    for (std::int64_t j = 0; j > months; --j)
        if (--m == 0) m = 12, --y;
    static const int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    d = std::min(d, m == 2 && leap ? 29 : kDays[m - 1]);
    char date[11];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
    return F(parse_timestamp_text(std::string(date) + s.substr(10)) - tz);
}

}  // namespace

TEST_CASE("add: calendar units agree with an independent reference (random, fixed seed)") {
    std::mt19937_64 rng(20240229);
    auto pick = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
    const Time lo = T("0100-01-01"), hi = T("9899-12-31 23:59:59");
    for (int c = 0; c < 3000; ++c) {
        // Month ends and leap days often: a random day, or the last days of a month.
        Time t = pick(lo, hi);
        if (c % 2 == 0) {
            std::int64_t y;
            unsigned m, d;
            civil_from_days(floor_div(t, kSecondsPerDay), y, m, d);
            const unsigned last = static_cast<unsigned>(days_from_civil(y + (m == 12), m % 12 + 1, 1) -
                                                        days_from_civil(y, m, 1));
            t = days_from_civil(y, m, last - static_cast<unsigned>(pick(0, 3))) * kSecondsPerDay + pick(0, 86399);
        }
        const Time tz = pick(-56, 56) * 900;
        const bool years = pick(0, 1) == 1;
        const Duration d{pick(1, years ? 5 : 30), years ? DurationUnit::Year : DurationUnit::Month, false};
        const std::int64_t k = pick(-6, 6);
        const std::int64_t months = k * d.n * (years ? 12 : 1);
        INFO("t=", F(t), " tz=", tz, " n=", d.n, years ? " years" : " months", " k=", k);
        CHECK(F(add_duration(t, d, tz, k)) == reference_add_months(t, months, tz));
    }
}

TEST_CASE("cycle_index agrees with the definition (random, fixed seed)") {
    std::mt19937_64 rng(86400);
    auto pick = [&](std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); };
    const Time lo = days_from_civil(-10000, 1, 1) * kSecondsPerDay;
    const Time hi = days_from_civil(19999, 12, 31) * kSecondsPerDay + 86399;
    const DurationUnit units[] = {DurationUnit::Hour, DurationUnit::Day, DurationUnit::Week, DurationUnit::Month,
                                  DurationUnit::Year};
    int boundaries = 0, negative = 0;
    for (int c = 0; c < 5000; ++c) {
        const DurationUnit unit = units[pick(0, 4)];
        // Mostly small n; sometimes anything up to the bound.
        const std::int64_t n = c % 5 == 0 ? pick(1, max_duration_n(unit)) : pick(1, 40);
        const Duration d{n, unit, false};
        const Time tz = pick(-56, 56) * 900;
        const Time anchor = c % 3 == 0 ? pick(kMinTime, kMaxTime) : pick(lo / 2, hi / 2);
        Time x;
        switch (c % 4) {
            case 0: x = pick(lo, hi); break;                                              // anywhere
            case 1: x = anchor + pick(-40, 40) * 86400 * 31 + pick(-86400, 86400); break;  // near the anchor
            case 2:                                                                        // on a boundary, or just before
                x = add_duration(anchor, d, tz, pick(-50, 50)) - pick(0, 1);
                break;
            default: x = pick(kMinTime, kMaxTime); break;
        }
        x = std::clamp(x, lo, hi);
        const std::int64_t k = cycle_index(anchor, d, x, tz);
        INFO("anchor=", anchor, " x=", x, " tz=", tz, " n=", n, " unit=", static_cast<int>(unit), " k=", k);
        const Time start = add_duration(anchor, d, tz, k), end = add_duration(anchor, d, tz, k + 1);
        CHECK(start <= x);
        CHECK(x < end);
        boundaries += start == x;
        negative += k < 0;
    }
    // The cases did reach boundaries and cycles before the anchor.
    CHECK(boundaries > 300);
    CHECK(negative > 1000);
}

TEST_CASE("describe") {
    CHECK(describe(days(365)) == "365 days");
    CHECK(describe(days(1)) == "1 days");  // the v1 wording
    CHECK(describe(days(0)) == "0 days");
    CHECK(describe(D("1 year")) == "1 year");
    CHECK(describe(D("3 YEARS")) == "3 years");
    CHECK(describe(D("12 hours")) == "12 hours");
    CHECK(describe(D("1 Hour")) == "1 hour");
    CHECK(describe(D("1 week")) == "1 week");
    CHECK(describe(D("2 weeks")) == "2 weeks");
    CHECK(describe(D("1 day")) == "1 day");
    CHECK(describe(D("1 days")) == "1 day");
    CHECK(describe(D("2 day")) == "2 days");
    CHECK(describe(D("1 month")) == "1 month");
    CHECK(describe(D("6 Months")) == "6 months");
    CHECK(describe(D("03 days")) == "3 days");
}
