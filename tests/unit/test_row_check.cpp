// One source row's checks (core/row_check.hpp, docs/model.md §3.1, §3a), the
// revocation rule (core/seller_batch.hpp) and SQL values as keys
// (core/value_key.hpp): exact messages and values.
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/row_check.hpp"
#include "core/seller_batch.hpp"
#include "core/value_key.hpp"
#include "source_rows.hpp"

using namespace test;

namespace {

const std::string kForms =
    "expected INTEGER or REAL Unix seconds, or TEXT 'YYYY-MM-DD[ HH:MM[:SS[.fff]]][Z|+HH:MM|-HH:MM]'";

// A lifetime track with an offence 'a', an offence 'late' in force from
// 2018-01-01 and a credit 'c'.
std::shared_ptr<const Ruleset> plain_rules() {
    Rules r;
    r.track("t", "lifetime")
        .violation("a", "t", 3)
        .violation("late", "t", 1, 0, 0, T("2018-01-01"))
        .violation("c", "t", -2);
    return r.compile();
}

// A cycle track (§3.6): every row not revoked needs its seller's anchor_at.
std::shared_ptr<const Ruleset> cycle_rules() {
    Rules r;
    r.track("cy", "cycle", T("1 month")).violation("a", "cy", 3);
    return r.compile();
}

// Every column: seller_id, code, occurred_at, rowid, points, revoked_at, anchor_at.
RowShape full_shape() {
    RowShape s;
    s.literal = "'ev'";
    s.rowid_col = 3;
    s.points_col = 4;
    s.revoked_col = 5;
    s.anchor_col = 6;
    s.columns = 7;
    return s;
}

// Checks rows of one shape against one ruleset, one seller's anchor kept
// between rows (as the readers keep it).
struct Checker {
    RowShape shape;
    std::shared_ptr<const Ruleset> rules;
    RowChecker checker;
    std::optional<Time> anchor;
    SourceRow out;

    Checker(RowShape s, std::shared_ptr<const Ruleset> r) : shape(std::move(s)), rules(std::move(r)) {
        checker.reset(shape);
    }
    // The error text of checking `row` ("no error" when it passes).
    std::string check(const SourceValues& row, std::optional<Time> until = std::nullopt) {
        REQUIRE(row.size() == static_cast<std::size_t>(shape.columns));
        const auto cols = views(row);
        return error_of([&] { checker.check(cols.data(), *rules, until, anchor, out); });
    }
};

// A full row of seller 7, rowid 12.
SourceValues row7(Cell code, Cell occurred, Cell points = N(), Cell revoked = N(), Cell anchor = N()) {
    return {I(7), std::move(code), std::move(occurred), I(12), std::move(points), std::move(revoked), std::move(anchor)};
}

const std::string kRow7 = "source 'ev', row with seller_id = 7, rowid 12: ";

}  // namespace

TEST_CASE("row check: a good row gives its event, points and revoked_at") {
    Checker c(full_shape(), plain_rules());
    CHECK(c.check(row7(T("a"), T("2017-06-01 08:00"), I(5), T("2017-07-01")), at("2017-06-30")) == "no error");
    CHECK(c.out.event.at == at("2017-06-01 08:00:00"));
    CHECK(c.out.event.code == c.rules->code_id("a"));
    CHECK(c.out.points == std::optional<std::int64_t>(5));
    CHECK(c.out.revoked_at == std::optional<Time>(at("2017-07-01")));
    CHECK_FALSE(c.out.revoked);  // revoked after the time the revocations are taken at

    // The next row resets what the last one set.
    CHECK(c.check(row7(T("c"), I(1500000000))) == "no error");
    CHECK(c.out.event.at == 1500000000);
    CHECK(c.out.event.code == c.rules->code_id("c"));
    CHECK_FALSE(c.out.points);
    CHECK_FALSE(c.out.revoked_at);
    CHECK_FALSE(c.out.revoked);
    CHECK_FALSE(c.anchor);  // no cycle track: anchor_at is not read

    // REAL occurred_at: floor (§1.2).
    CHECK(c.check(row7(T("a"), R(-0.5))) == "no error");
    CHECK(c.out.event.at == -1);
}

TEST_CASE("row check: a bad occurred_at or revoked_at names the row, the column and the value") {
    Checker c(full_shape(), plain_rules());
    CHECK(c.check(row7(T("a"), T("2017-02-30"))) ==
          kRow7 + "occurred_at: invalid timestamp '2017-02-30' (no such calendar date); " + kForms);
    CHECK(c.check(row7(T("a"), N())) == kRow7 + "occurred_at: timestamp is NULL; " + kForms);
    CHECK(c.check(row7(T("a"), I(253402300800))) ==
          kRow7 + "occurred_at: timestamp 253402300800 is out of range (Unix seconds -62167219200 to 253402300799)");
    CHECK(c.check(row7(T("a"), T("2017-06-01"), N(), T("soon"))) ==
          kRow7 + "revoked_at: invalid timestamp 'soon'; " + kForms);
    CHECK(c.check(row7(T("a"), T("2017-06-01"), N(), B("\x01"))) ==
          kRow7 + "revoked_at: timestamp is a BLOB X'01'; " + kForms);
    // §3a: revoked_at before occurred_at is an error; equal is allowed.
    CHECK(c.check(row7(T("a"), T("2016-05-01"), N(), T("2016-04-30"))) ==
          kRow7 + "revoked_at 2016-04-30 00:00:00 is before occurred_at 2016-05-01 00:00:00");
    CHECK(c.check(row7(T("a"), T("2016-05-01 00:00:01"), N(), I(1462060800))) ==
          kRow7 + "revoked_at 2016-05-01 00:00:00 is before occurred_at 2016-05-01 00:00:01");
    CHECK(c.check(row7(T("a"), T("2016-05-01"), N(), T("2016-05-01"))) == "no error");
    CHECK(c.out.revoked);
}

TEST_CASE("row check: points must be INTEGER or NULL, with the sign of the code") {
    Checker c(full_shape(), plain_rules());
    CHECK(c.check(row7(T("a"), T("2017-06-01"), R(2.5))) == kRow7 + "points is 2.5; expected INTEGER or NULL");
    CHECK(c.check(row7(T("a"), T("2017-06-01"), R(3.0))) == kRow7 + "points is 3.0; expected INTEGER or NULL");
    CHECK(c.check(row7(T("a"), T("2017-06-01"), T("3"))) == kRow7 + "points is '3'; expected INTEGER or NULL");
    CHECK(c.check(row7(T("a"), T("2017-06-01"), B("3"))) == kRow7 + "points is X'33'; expected INTEGER or NULL");
    CHECK(c.check(row7(T("a"), T("2017-06-01"), I(-3))) ==
          kRow7 + "points is -3; code 'a' is an offence, so its points must be >= 0");
    CHECK(c.check(row7(T("c"), T("2017-06-01"), I(2))) ==
          kRow7 + "points is 2; code 'c' is a credit, so its points must be <= 0");
    // Zero fits both; each sign fits its own kind of code.
    CHECK(c.check(row7(T("a"), T("2017-06-01"), I(0))) == "no error");
    CHECK(c.out.points == std::optional<std::int64_t>(0));
    CHECK(c.check(row7(T("c"), T("2017-06-01"), I(0))) == "no error");
    CHECK(c.check(row7(T("a"), T("2017-06-01"), I(40))) == "no error");
    CHECK(c.out.points == std::optional<std::int64_t>(40));
    CHECK(c.check(row7(T("c"), T("2017-06-01"), I(-7))) == "no error");
    CHECK(c.out.points == std::optional<std::int64_t>(-7));
}

TEST_CASE("row check: the code must be TEXT and have a version in force (§3.1), after as_of too") {
    Checker c(full_shape(), plain_rules());
    CHECK(c.check(row7(I(5), T("2017-06-01"))) == kRow7 + "code is 5; expected TEXT");
    CHECK(c.check(row7(N(), T("2017-06-01"))) == kRow7 + "code is NULL; expected TEXT");
    CHECK(c.check(row7(B("a"), T("2017-06-01"))) == kRow7 + "code is X'61'; expected TEXT");
    // An unknown code is the engine's error of §3.1 (as penalty_points has it).
    CHECK(c.check(row7(T("spam"), T("2017-06-01"))) ==
          "unknown violation code 'spam' in ruleset 'r' at 2017-06-01 00:00:00");
    CHECK(c.check(row7(T("A"), T("2017-06-01"))) == "unknown violation code 'A' in ruleset 'r' at 2017-06-01 00:00:00");
    // A code whose only version starts later.
    CHECK(c.check(row7(T("late"), T("2017-12-31 23:59:59"))) ==
          "unknown violation code 'late' in ruleset 'r' at 2017-12-31 23:59:59");
    CHECK(c.check(row7(T("late"), T("2018-01-01"))) == "no error");
    CHECK(c.out.event.code == c.rules->code_id("late"));
    // Revoked after the time revocations are taken at: still checked.
    CHECK(c.check(row7(T("spam"), T("2017-06-01"), N(), T("2017-07-01")), at("2017-06-30 23:59:59")) ==
          "unknown violation code 'spam' in ruleset 'r' at 2017-06-01 00:00:00");
}

TEST_CASE("row check: a revoked row is checked for occurred_at, revoked_at and the class of points only") {
    Checker c(full_shape(), plain_rules());
    // Revoked at the end of time (no until), or at or before `until`.
    for (const std::optional<Time> until : {std::optional<Time>(), std::optional<Time>(at("2017-07-01")),
                                            std::optional<Time>(at("2030-01-01"))}) {
        CAPTURE(until.value_or(-1));
        CHECK(c.check(row7(T("spam"), T("2017-06-01"), N(), T("2017-07-01")), until) == "no error");
        CHECK(c.out.revoked);
        CHECK(c.out.event.code == -1);  // not looked up
        CHECK(c.out.event.at == at("2017-06-01"));
        CHECK(c.out.revoked_at == std::optional<Time>(at("2017-07-01")));
        CHECK(c.check(row7(I(5), T("2017-06-01"), I(-3), T("2017-07-01")), until) == "no error");
        CHECK(c.out.event.code == -1);
        CHECK(c.out.points == std::optional<std::int64_t>(-3));  // kept; its sign is not checked
        CHECK(c.check(row7(T("late"), T("2017-06-01"), N(), T("2017-07-01")), until) == "no error");
        CHECK(c.out.event.code == -1);
        // A known code is not looked up either.
        CHECK(c.check(row7(T("a"), T("2017-06-01"), N(), T("2017-07-01")), until) == "no error");
        CHECK(c.out.event.code == -1);
    }
    // Still checked on a revoked row:
    CHECK(c.check(row7(I(5), T("2017-06-31"), N(), T("2017-07-01"))) ==
          kRow7 + "occurred_at: invalid timestamp '2017-06-31' (no such calendar date); " + kForms);
    CHECK(c.check(row7(I(5), T("2017-06-02"), N(), T("2017-06-01"))) ==
          kRow7 + "revoked_at 2017-06-01 00:00:00 is before occurred_at 2017-06-02 00:00:00");
    CHECK(c.check(row7(I(5), T("2017-06-01"), R(1.5), T("2017-07-01"))) ==
          kRow7 + "points is 1.5; expected INTEGER or NULL");
    // Revoked a second after `until`: not revoked, so checked in full.
    CHECK(c.check(row7(T("a"), T("2017-06-01"), N(), T("2017-07-01 00:00:01")), at("2017-07-01")) == "no error");
    CHECK_FALSE(c.out.revoked);
    CHECK(c.out.event.code == c.rules->code_id("a"));
}

TEST_CASE("row check: with a cycle track, anchor_at is required, not NULL and the same within a seller") {
    RowShape no_anchor = full_shape();
    no_anchor.anchor_col = -1;
    no_anchor.columns = 6;
    {
        Checker c(no_anchor, cycle_rules());
        CHECK(c.check({I(7), T("a"), T("2017-06-01"), I(12), N(), N()}) ==
              kRow7 + "the ruleset has a cycle track, so the source needs an anchor_at column");
        // A revoked row needs none.
        CHECK(c.check({I(7), T("a"), T("2017-06-01"), I(12), N(), T("2017-06-01")}) == "no error");
        CHECK(c.out.revoked);
    }
    Checker c(full_shape(), cycle_rules());
    CHECK(c.check(row7(T("a"), T("2017-06-01"))) ==
          kRow7 + "anchor_at is NULL; a cycle track needs each seller's anchor");
    CHECK(c.check(row7(T("a"), T("2017-06-01"), N(), N(), T("2016-03-32"))) ==
          kRow7 + "anchor_at: invalid timestamp '2016-03-32' (no such calendar date); " + kForms);
    CHECK_FALSE(c.anchor);
    // The first row sets the seller's anchor; a revoked row is not checked and sets nothing.
    CHECK(c.check(row7(T("a"), T("2017-06-01"), N(), T("2017-06-02"), T("2016-03-05"))) == "no error");
    CHECK_FALSE(c.anchor);
    CHECK(c.check(row7(T("a"), T("2017-06-01"), N(), N(), T("2016-03-01"))) == "no error");
    CHECK(c.anchor == std::optional<Time>(at("2016-03-01")));
    CHECK(c.check(row7(T("a"), T("2017-06-02"), N(), N(), I(at("2016-03-01")))) == "no error");  // the same instant
    CHECK(c.check(row7(T("a"), T("2017-06-03"), N(), N(), T("2016-03-02"))) ==
          kRow7 + "anchor_at 2016-03-02 00:00:00 differs from the seller's 2016-03-01 00:00:00");
    CHECK(c.check(row7(T("a"), T("2017-06-03"), N(), N(), N())) ==
          kRow7 + "anchor_at is NULL; a cycle track needs each seller's anchor");
    CHECK(c.check(row7(T("a"), T("2017-06-03"), N(), T("2017-06-03"), T("2016-03-02"))) == "no error");  // revoked
    CHECK(c.anchor == std::optional<Time>(at("2016-03-01")));

    // Without a cycle track anchor_at is not read at all.
    Checker p(full_shape(), plain_rules());
    CHECK(p.check(row7(T("a"), T("2017-06-01"), N(), N(), T("not a time"))) == "no error");
    CHECK_FALSE(p.anchor);
}

TEST_CASE("row check: a view's row (rowid NULL) and a source without rowid are named by seller_id alone") {
    Checker c(full_shape(), plain_rules());
    CHECK(c.check({I(7), I(5), T("2017-06-01"), N(), N(), N(), N()}) ==
          "source 'ev', row with seller_id = 7: code is 5; expected TEXT");
    CHECK(c.check({T("shop's"), T("a"), T("x"), N(), N(), N(), N()}) ==
          "source 'ev', row with seller_id = 'shop''s': occurred_at: invalid timestamp 'x'; " + kForms);
    CHECK(c.check({R(5.0), T("a"), T("2017-06-01"), N(), I(-1), N(), N()}) ==
          "source 'ev', row with seller_id = 5.0: points is -1; code 'a' is an offence, so its points must be >= 0");
    CHECK(c.check({N(), T("a"), T("2017-06-01"), N(), T("1"), N(), N()}) ==
          "source 'ev', row with seller_id = NULL: points is '1'; expected INTEGER or NULL");

    RowShape bare;
    bare.literal = "'main.v'";
    Checker b(bare, plain_rules());
    CHECK(b.check({B("\xAB"), T("a"), N()}) == "source 'main.v', row with seller_id = X'AB': occurred_at: timestamp is NULL; " + kForms);
    CHECK(b.check({I(1), T("a"), T("2017-06-01")}) == "no error");
    CHECK_FALSE(b.out.points);
    CHECK_FALSE(b.out.revoked_at);
}

TEST_CASE("row check: code ids stay right past the recent-code slots and across a reset with another ruleset") {
    Rules many;
    many.track("t", "lifetime");
    std::vector<std::string> codes;
    for (int k = 0; k < 21; ++k) codes.push_back(fmt::format("code{:02}", k));
    for (const auto& code : codes) many.violation(code.c_str(), "t", 1);
    RowShape bare;
    bare.literal = "'ev'";
    Checker c(bare, many.compile());
    for (int round = 0; round < 3; ++round)
        for (std::size_t k = 0; k < codes.size(); ++k) {
            const std::size_t j = round == 1 ? codes.size() - 1 - k : (k * 5) % codes.size();
            REQUIRE(c.check({I(1), T(codes[j]), I(0)}) == "no error");
            CHECK(c.out.event.code == static_cast<std::int32_t>(j));
        }
    // The same text is another id in another ruleset once reset.
    Rules other;
    other.track("t", "lifetime").violation("aaa", "t", 1).violation("code03", "t", 1);
    auto rules2 = other.compile();
    c.rules = rules2;
    c.checker.reset(c.shape);
    CHECK(c.check({I(1), T("code03"), I(0)}) == "no error");
    CHECK(c.out.event.code == 1);
    CHECK(c.check({I(1), T("code04"), I(0)}) == "unknown violation code 'code04' in ruleset 'r' at 1970-01-01 00:00:00");
}

TEST_CASE("seller batch: revoked_by at its edges, and SellerBatch::revoked by Event::seq") {
    const Time t = at("2017-07-01");
    CHECK_FALSE(revoked_by(std::nullopt, std::nullopt));  // no revoked_at: never revoked
    CHECK_FALSE(revoked_by(std::nullopt, t));
    CHECK(revoked_by(t, std::nullopt));  // no `until`: every revocation applies
    CHECK(revoked_by(t, t));             // at `until`: revoked
    CHECK(revoked_by(t, t + 1));
    CHECK_FALSE(revoked_by(t, t - 1));   // a second after: counts
    CHECK(revoked_by(kMinTime, kMinTime));
    CHECK_FALSE(revoked_by(kMaxTime, kMaxTime - 1));

    SellerBatch b;
    b.events = {{at("2017-06-01"), 0, 0}, {at("2017-06-02"), 0, 1}, {at("2017-06-03"), 0, 2}};
    // Without the column: nothing is revoked, no points.
    for (const Event& e : b.events) {
        CHECK_FALSE(b.revoked(e, std::nullopt));
        CHECK_FALSE(b.points_of(e));
        CHECK_FALSE(b.revoked_of(e));
    }
    b.revoked_at = {std::nullopt, t, t + 10};
    b.points = {std::optional<std::int64_t>(4), std::nullopt, std::optional<std::int64_t>(0)};
    CHECK(b.points_of(b.events[0]) == std::optional<std::int64_t>(4));
    CHECK_FALSE(b.points_of(b.events[1]));
    CHECK(b.points_of(b.events[2]) == std::optional<std::int64_t>(0));
    CHECK(b.revoked_of(b.events[2]) == std::optional<Time>(t + 10));
    auto revoked = [&](std::optional<Time> until) {
        std::vector<bool> out;
        for (const Event& e : b.events) out.push_back(b.revoked(e, until));
        return out;
    };
    CHECK(revoked(std::nullopt) == std::vector<bool>{false, true, true});
    CHECK(revoked(t - 1) == std::vector<bool>{false, false, false});
    CHECK(revoked(t) == std::vector<bool>{false, true, false});
    CHECK(revoked(t + 9) == std::vector<bool>{false, true, false});
    CHECK(revoked(t + 10) == std::vector<bool>{false, true, true});
    // Event::seq, not the position, picks the row's values.
    std::swap(b.events[0], b.events[2]);
    CHECK(b.revoked(b.events[0], t + 10));
    CHECK_FALSE(b.revoked(b.events[2], std::nullopt));
    CHECK(b.points_of(b.events[2]) == std::optional<std::int64_t>(4));

    CHECK(revoked_code_text(ValueView::text("spam")) == "spam");
    CHECK(revoked_code_text(ValueView::integer(5)) == "5");
    CHECK(revoked_code_text(ValueView::null()) == "NULL");

    b.key.assign(ValueView::text("s"));
    b.key_real = true;
    b.anchor = t;
    b.unknown = {"x"};
    b.rowids = {1, 2, 3};
    b.clear();
    CHECK(b.key == ValueKey{});
    CHECK_FALSE(b.key_real);
    CHECK(b.events.empty());
    CHECK(b.rowids.empty());
    CHECK(b.points.empty());
    CHECK(b.revoked_at.empty());
    CHECK_FALSE(b.anchor);
    CHECK(b.unknown.empty());
}

namespace {

constexpr double kTwo63 = 9223372036854775808.0;
const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

// Values and the class of values equal to them in SQL (§1.1, §6.1): same
// class, same key. Class -1: equal to nothing, itself included (NaN).
struct Sample {
    const char* name;
    ValueView v;
    int cls;
};
const std::vector<Sample>& samples() {
    static const std::vector<Sample> s = {
        {"NULL", ValueView::null(), 0},
        {"INTEGER 0", ValueView::integer(0), 1},
        {"REAL 0.0", ValueView::real(0.0), 1},
        {"REAL -0.0", ValueView::real(-0.0), 1},
        {"INTEGER 1", ValueView::integer(1), 2},
        {"REAL 1.0", ValueView::real(1.0), 2},
        {"INTEGER 5", ValueView::integer(5), 3},
        {"REAL 5.0", ValueView::real(5.0), 3},
        {"REAL 5.5", ValueView::real(5.5), 4},
        {"INTEGER -1", ValueView::integer(-1), 5},
        {"REAL -1.0", ValueView::real(-1.0), 5},
        {"REAL -0.5", ValueView::real(-0.5), 6},
        {"INTEGER 2^53", ValueView::integer(9007199254740992), 7},
        {"REAL 2^53", ValueView::real(9007199254740992.0), 7},
        {"INTEGER 2^53+1", ValueView::integer(9007199254740993), 8},
        {"INTEGER 2^63-1", ValueView::integer(INT64_MAX), 9},
        {"REAL 2^63", ValueView::real(kTwo63), 10},
        {"INTEGER -2^63", ValueView::integer(INT64_MIN), 11},
        {"REAL -2^63", ValueView::real(-kTwo63), 11},
        {"REAL -2^64", ValueView::real(-2 * kTwo63), 12},
        {"REAL NaN", ValueView::real(kNaN), -1},
        {"REAL inf", ValueView::real(kInf), 13},
        {"REAL -inf", ValueView::real(-kInf), 14},
        {"TEXT ''", ValueView::text(""), 15},
        {"TEXT '1'", ValueView::text("1"), 16},
        {"TEXT '5'", ValueView::text("5"), 17},
        {"TEXT 'a'", ValueView::text("a"), 18},
        {"TEXT 'a\\0b'", ValueView::text(std::string_view("a\0b", 3)), 19},
        {"BLOB ''", ValueView::blob(""), 20},
        {"BLOB '1'", ValueView::blob("1"), 21},
        {"BLOB 'a'", ValueView::blob("a"), 22},
    };
    return s;
}

}  // namespace

TEST_CASE("value key: matches(v) is ValueKey::of(v) == key, and both are SQL equality") {
    for (const Sample& k : samples()) {
        const ValueKey key = ValueKey::of(k.v);
        for (const Sample& v : samples()) {
            CAPTURE(k.name);
            CAPTURE(v.name);
            const bool equal = k.cls >= 0 && k.cls == v.cls;
            CHECK(key.matches(v.v) == equal);
            CHECK((ValueKey::of(v.v) == key) == equal);
        }
    }
}

TEST_CASE("value key: the key form of each kind") {
    const ValueKey five = ValueKey::of(ValueView::real(5.0));
    CHECK(five.kind == Kind::Integer);  // a whole REAL is keyed as its INTEGER
    CHECK(five.i == 5);
    CHECK(ValueKey::of(ValueView::real(-kTwo63)).kind == Kind::Integer);
    CHECK(ValueKey::of(ValueView::real(-kTwo63)).i == INT64_MIN);
    const ValueKey big = ValueKey::of(ValueView::real(kTwo63));  // not an int64
    CHECK(big.kind == Kind::Real);
    CHECK(big.r == kTwo63);
    CHECK(ValueKey::of(ValueView::real(kInf)).kind == Kind::Real);
    CHECK(ValueKey::of(ValueView::real(5.5)).r == 5.5);
    // TEXT '1' is not INTEGER 1, nor BLOB '1'.
    CHECK_FALSE(ValueKey::of(ValueView::text("1")).matches(ValueView::integer(1)));
    CHECK_FALSE(ValueKey::of(ValueView::integer(1)).matches(ValueView::text("1")));
    CHECK_FALSE(ValueKey::of(ValueView::real(1.0)).matches(ValueView::text("1")));
    CHECK_FALSE(ValueKey::of(ValueView::text("1")).matches(ValueView::blob("1")));
    // assign() reuses a key: nothing of the last value stays.
    ValueKey k = ValueKey::of(ValueView::text("long text value"));
    k.assign(ValueView::integer(3));
    CHECK(k == ValueKey::of(ValueView::integer(3)));
    CHECK(k.s.empty());
    k.assign(ValueView::real(2.5));
    CHECK(k == ValueKey::of(ValueView::real(2.5)));
    CHECK(k.i == 0);
    k.assign(ValueView::null());
    CHECK(k == ValueKey{});
    CHECK(k.matches(ValueView::null()));
    CHECK(sql_literal(ValueKey::of(ValueView::real(5.0)).view()) == "5");
    CHECK(sql_literal(ValueKey::of(ValueView::blob("a")).view()) == "X'61'");
}

TEST_CASE("value key: compare() is SQLite's ORDER BY (BINARY): NULL, numbers by value, text, blobs") {
    // Ascending, equal neighbours in one group.
    const std::vector<std::vector<ValueView>> order = {
        {ValueView::null()},
        {ValueView::real(-kInf)},
        {ValueView::real(-2 * kTwo63)},
        {ValueView::integer(INT64_MIN), ValueView::real(-kTwo63)},
        {ValueView::integer(-1), ValueView::real(-1.0)},
        {ValueView::real(-0.5)},
        {ValueView::integer(0), ValueView::real(-0.0)},
        {ValueView::real(0.25)},
        {ValueView::integer(5), ValueView::real(5.0)},
        {ValueView::real(5.5)},
        {ValueView::integer(9007199254740992), ValueView::real(9007199254740992.0)},
        {ValueView::integer(9007199254740993)},
        {ValueView::real(1e18)},
        {ValueView::real(kInf)},
        {ValueView::text("")},
        {ValueView::text(std::string_view("\0", 1))},
        {ValueView::text("1")},
        {ValueView::text("B")},
        {ValueView::text("a")},
        {ValueView::text("ab")},
        {ValueView::text("\xC3\xA9")},  // bytes: 0xC3 after 'b'
        {ValueView::blob("")},
        {ValueView::blob("0")},
        {ValueView::blob("\xFF")},
    };
    for (std::size_t g = 0; g < order.size(); ++g)
        for (std::size_t h = 0; h < order.size(); ++h)
            for (const ValueView& a : order[g])
                for (const ValueView& b : order[h]) {
                    CAPTURE(g);
                    CAPTURE(h);
                    const ValueKey ka = ValueKey::of(a), kb = ValueKey::of(b);
                    const int want = g < h ? -1 : g > h ? 1 : 0;
                    CHECK(compare(ka, kb) == want);
                    CHECK(compare(ka.view(), kb.view()) == want);
                }
}

// An INTEGER and a REAL that is not an int64 compare exactly, as SQLite
// does (`SELECT 9223372036854775807 < 9223372036854775808.0` is 1). Was a
// bug: compared as doubles, INTEGER 2^63-1 (and every INTEGER from 2^63-512
// up) equalled REAL 2^63, and compare() was no strict weak order.
TEST_CASE("value key: compare() orders INTEGER 2^63-1 before REAL 2^63") {
    const ValueKey imax = ValueKey::of(ValueView::integer(INT64_MAX));
    const ValueKey near = ValueKey::of(ValueView::integer(INT64_MAX - 511));
    const ValueKey two63 = ValueKey::of(ValueView::real(kTwo63));
    CHECK(compare(imax, two63) == -1);
    CHECK(compare(two63, imax) == 1);
    CHECK(compare(near, two63) == -1);
    CHECK(compare(ValueKey::of(ValueView::real(-kTwo63 * 1.0000000000000002)),
                  ValueKey::of(ValueView::integer(INT64_MIN))) == -1);
}
