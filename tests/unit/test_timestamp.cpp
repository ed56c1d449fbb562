// Timestamps of docs/model.md §1.2: every accepted form, every refusal.
#include <doctest/doctest.h>

#include <cmath>

#include "core/error.hpp"
#include "core/timestamp.hpp"

using namespace penalty;

namespace {
std::string error_of(const ValueView& v) {
    try {
        parse_timestamp(v);
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}
Time text(const char* s) { return parse_timestamp(ValueView::text(s)); }
}  // namespace

TEST_CASE("text forms") {
    CHECK(text("1970-01-01") == 0);
    CHECK(text("2017-06-01") == 1496275200);
    CHECK(text("2017-06-01 12:00") == 1496318400);
    CHECK(text("2017-06-01 12:00:00") == 1496318400);
    CHECK(text("2017-06-01T12:00:00") == 1496318400);
    CHECK(text("2017-06-01 12:00:59.999") == 1496318459);  // fraction dropped
    CHECK(text("2017-06-01 12:00:00Z") == 1496318400);
    CHECK(text("2017-06-01 20:00:00+08:00") == 1496318400);
    CHECK(text("2017-06-01 07:00-05:00") == 1496318400);
    CHECK(text("2017-06-01T12:00:00.5+00:00") == 1496318400);
    CHECK(text("2016-02-29") == 1456704000);  // leap day
    CHECK(text("2000-02-29") == 951782400);   // 400-year leap
    CHECK(text("0000-01-01") == kMinTime);
    CHECK(text("9999-12-31 23:59:59") == kMaxTime);
    CHECK(text("1969-12-31 23:59:59") == -1);
}

TEST_CASE("numbers") {
    CHECK(parse_timestamp(ValueView::integer(1496318400)) == 1496318400);
    CHECK(parse_timestamp(ValueView::integer(-5)) == -5);
    CHECK(parse_timestamp(ValueView::real(1496318400.9)) == 1496318400);
    CHECK(parse_timestamp(ValueView::real(-0.5)) == -1);  // floor, not truncation
}

TEST_CASE("numbers that read as YYYYMMDD dates are refused, saying what to pass") {
    CHECK(error_of(ValueView::integer(20171231)) ==
          "timestamp 20171231 looks like a YYYYMMDD date, not Unix seconds (numbers from 19000101 to 29991231 are "
          "refused); pass the date as TEXT '2017-12-31', or Unix seconds as unixepoch('2017-12-31')");
    CHECK(error_of(ValueView::integer(19000101)) ==
          "timestamp 19000101 looks like a YYYYMMDD date, not Unix seconds (numbers from 19000101 to 29991231 are "
          "refused); pass the date as TEXT '1900-01-01', or Unix seconds as unixepoch('1900-01-01')");
    CHECK(error_of(ValueView::integer(29991231)) ==
          "timestamp 29991231 looks like a YYYYMMDD date, not Unix seconds (numbers from 19000101 to 29991231 are "
          "refused); pass the date as TEXT '2999-12-31', or Unix seconds as unixepoch('2999-12-31')");
    // In the range but no calendar date: refused all the same, with the form.
    CHECK(error_of(ValueView::integer(20170230)) ==
          "timestamp 20170230 looks like a YYYYMMDD date, not Unix seconds (numbers from 19000101 to 29991231 are "
          "refused); pass the date as TEXT 'YYYY-MM-DD', or Unix seconds as unixepoch('YYYY-MM-DD')");
    CHECK(error_of(ValueView::real(20171231.5)) ==
          "timestamp 20171231.5 looks like a YYYYMMDD date, not Unix seconds (numbers from 19000101 to 29991231 are "
          "refused); pass the date as TEXT '2017-12-31', or Unix seconds as unixepoch('2017-12-31')");
    // Just outside: Unix seconds as always.
    CHECK(parse_timestamp(ValueView::integer(19000100)) == 19000100);
    CHECK(parse_timestamp(ValueView::integer(29991232)) == 29991232);
    CHECK(parse_timestamp(ValueView::real(19000100.9)) == 19000100);
    CHECK(parse_timestamp(ValueView::integer(1514764799)) == 1514764799);
}

TEST_CASE("refusals name the value and the accepted forms") {
    const std::string forms = kTimestampForms;
    CHECK(error_of(ValueView::text("2017-02-30")) == "invalid timestamp '2017-02-30' (no such calendar date); " + forms);
    CHECK(error_of(ValueView::text("1900-02-29")) == "invalid timestamp '1900-02-29' (no such calendar date); " + forms);
    CHECK(error_of(ValueView::text("2017-13-01")) == "invalid timestamp '2017-13-01' (no such calendar date); " + forms);
    CHECK(error_of(ValueView::text("2017-06-01 24:00")) ==
          "invalid timestamp '2017-06-01 24:00' (no such time of day); " + forms);
    CHECK(error_of(ValueView::text("2017-06-01 12:60")) ==
          "invalid timestamp '2017-06-01 12:60' (no such time of day); " + forms);
    CHECK(error_of(ValueView::text("2017-06-01 12:00:60")) ==
          "invalid timestamp '2017-06-01 12:00:60' (no such time of day); " + forms);
    CHECK(error_of(ValueView::text("yesterday")) == "invalid timestamp 'yesterday'; " + forms);
    CHECK(error_of(ValueView::text("")) == "invalid timestamp ''; " + forms);
    CHECK(error_of(ValueView::text("2017-6-1")) == "invalid timestamp '2017-6-1'; " + forms);
    CHECK(error_of(ValueView::text("2017-06-01 ")) == "invalid timestamp '2017-06-01 '; " + forms);
    CHECK(error_of(ValueView::text("2017-06-01Z")) == "invalid timestamp '2017-06-01Z'; " + forms);
    CHECK(error_of(ValueView::text("2017-06-01 12:00:00.")) == "invalid timestamp '2017-06-01 12:00:00.'; " + forms);
    CHECK(error_of(ValueView::text("2017-06-01 12:00:00ZZ")) == "invalid timestamp '2017-06-01 12:00:00ZZ'; " + forms);
    CHECK(error_of(ValueView::text("2017-06-01 12:00+15:00")) ==
          "invalid timestamp '2017-06-01 12:00+15:00' (offset must be +HH:MM or -HH:MM within 14:00); " + forms);
    CHECK(error_of(ValueView::text("2017-06-01 12:00+0800")) ==
          "invalid timestamp '2017-06-01 12:00+0800' (offset must be +HH:MM or -HH:MM within 14:00); " + forms);
    CHECK(error_of(ValueView::null()) == "timestamp is NULL; " + forms);
    CHECK(error_of(ValueView::blob("\x01\x02")) == "timestamp is a BLOB X'0102'; " + forms);
    CHECK(error_of(ValueView::integer(kMaxTime + 1)) ==
          "timestamp 253402300800 is out of range (Unix seconds -62167219200 to 253402300799)");
    CHECK(error_of(ValueView::real(NAN)) ==
          "timestamp nan is out of range (Unix seconds -62167219200 to 253402300799)");
    CHECK(error_of(ValueView::real(1e300)) ==
          "timestamp 1e+300 is out of range (Unix seconds -62167219200 to 253402300799)");
    CHECK(error_of(ValueView::text("0000-01-01 00:00+01:00")) ==
          "timestamp '0000-01-01 00:00+01:00' is out of range (0000-01-01 to 9999-12-31 UTC)");
    // Control characters and long text are shown safely.
    CHECK(error_of(ValueView::text(std::string(100, 'x'))).rfind("invalid timestamp '" + std::string(60, 'x') + "'...(100 bytes); ", 0) == 0);
}

TEST_CASE("formatting and offsets") {
    CHECK(format_timestamp(0) == "1970-01-01 00:00:00");
    CHECK(format_timestamp(1496318400) == "2017-06-01 12:00:00");
    CHECK(format_timestamp(-1) == "1969-12-31 23:59:59");
    CHECK(format_timestamp(kMinTime) == "0000-01-01 00:00:00");
    CHECK(format_timestamp(kMaxTime) == "9999-12-31 23:59:59");
    Time off = 0;
    CHECK(parse_utc_offset("+08:00", off));
    CHECK(off == 8 * 3600);
    CHECK(parse_utc_offset("-14:00", off));
    CHECK(off == -14 * 3600);
    CHECK_FALSE(parse_utc_offset("+14:01", off));
    CHECK_FALSE(parse_utc_offset("08:00", off));
    CHECK_FALSE(parse_utc_offset("+8:00", off));
    CHECK_FALSE(parse_utc_offset("+08:60", off));
}

TEST_CASE("round trip over four centuries of days") {
    for (std::int64_t d = -146097 * 2; d < 146097 * 2; d += 17) {
        std::int64_t y;
        unsigned m, dd;
        civil_from_days(d, y, m, dd);
        REQUIRE(days_from_civil(y, m, dd) == d);
    }
}

TEST_CASE("error text is valid UTF-8 whatever the input") {
    CHECK(error_of(ValueView::text("2017\xff")) == "invalid timestamp '2017\\xFF'; " + std::string(kTimestampForms));
    CHECK(error_of(ValueView::text("\xe5\xb9\xb4")) == "invalid timestamp '\xe5\xb9\xb4'; " + std::string(kTimestampForms));
    CHECK(sql_literal(ValueView::text("a\nb'c")) == "'a\\x0Ab''c'");
}

TEST_CASE("the 'YYYY-MM-DD HH:MM:SS' fast path refuses what the full parser refuses") {
    const std::string forms = kTimestampForms;
    CHECK(text("2016-02-29 23:59:59") == 1456790399);
    CHECK(text("0000-01-01T00:00:00") == kMinTime);
    CHECK(error_of(ValueView::text("2017-02-30 12:00:00")) ==
          "invalid timestamp '2017-02-30 12:00:00' (no such calendar date); " + forms);
    CHECK(error_of(ValueView::text("2017-06-01 24:00:00")) ==
          "invalid timestamp '2017-06-01 24:00:00' (no such time of day); " + forms);
    CHECK(error_of(ValueView::text("2017-06-01 12:0a:00")) == "invalid timestamp '2017-06-01 12:0a:00'; " + forms);
    CHECK(error_of(ValueView::text("2017/06/01 12:00:00")) == "invalid timestamp '2017/06/01 12:00:00'; " + forms);
}
