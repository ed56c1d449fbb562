// Validation of rulesets (docs/model.md §2): each rule, with its exact message.
#include "helpers.hpp"

using namespace test;

namespace {
// The problems of a ruleset as "severity table message" lines.
std::vector<std::string> problems(const Rules& r) {
    std::vector<std::string> out;
    for (const Problem& p : compile_ruleset(r.raw).problems)
        out.push_back(std::string(p.error ? "error " : "warning ") + p.table + " " + p.message);
    return out;
}
// The accepted forms of a duration, as its errors quote them.
std::string forms(std::int64_t min_days) { return duration_forms(min_days); }
Rules base() {
    Rules r;
    r.track("t", "year").violation("v", "t", 1);
    return r;
}
}  // namespace

TEST_CASE("a valid ruleset compiles, sorted") {
    Rules r = taobao();
    r.level(4, "1 heart").level(100001, "4 crowns").level(11, "2 hearts");
    CHECK(problems(r).empty());
    auto rs = r.compile();
    CHECK(rs->tz_offset == 8 * 3600);
    CHECK(rs->repeat->n == 365);
    CHECK(rs->repeat->integer_form);
    REQUIRE(rs->codes.size() == 2);
    CHECK(rs->codes[0].name == "harassment");
    CHECK(rs->code_id("harassment_severe") == 1);
    CHECK(rs->code_id("nope") == -1);
    CHECK(rs->tracks[0].thresholds.size() == 4);
    CHECK(rs->level_for(3) == nullptr);
    CHECK(rs->level_for(4)->label == "1 heart");
    CHECK(rs->level_for(150000)->label == "4 crowns");
}

TEST_CASE("the ruleset row") {
    Rules missing;
    missing.raw.ruleset_row.reset();
    CHECK(problems(missing) == std::vector<std::string>{"error penalty_ruleset has no row with ruleset = 'r'"});
    CHECK(compile_ruleset(missing.raw).error_text() == "penalty_ruleset has no row with ruleset = 'r'");

    Rules tz("r", T("+8"), N());
    tz.track("t", "year");
    CHECK(problems(tz) == std::vector<std::string>{
                              "error penalty_ruleset row ('r'): tz_offset is '+8'; expected '+HH:MM' or '-HH:MM' within 14:00"});
    Rules tz2("r", T("+14:30"), N());
    CHECK(problems(tz2).size() == 1);
    Rules rd("r", T("+00:00"), I(-1));
    CHECK(problems(rd) == std::vector<std::string>{
                              "error penalty_ruleset row ('r'): repeat_days: -1 is not a duration; " + forms(0) + " (or NULL)"});
    Rules rd2("r", T("+00:00"), T("365"));
    CHECK(problems(rd2) == std::vector<std::string>{"error penalty_ruleset row ('r'): repeat_days: '365' is not a duration; " + forms(0) + " (or NULL)"});
}

TEST_CASE("tracks") {
    Rules r;
    r.track("a", "weekly").track("b", "rolling").track("c", "rolling", I(0)).track("d", "year", I(5)).track("", "year");
    CHECK(problems(r) == std::vector<std::string>{
        "error penalty_track row (track 'a'): period is 'weekly'; expected 'year', 'quarter', 'month', 'rolling', 'lifetime' or 'cycle'",
        "error penalty_track row (track 'b'): period_days: NULL is not a duration; " + forms(1),
        "error penalty_track row (track 'c'): period_days: 0 is not a duration; " + forms(1),
        "warning penalty_track row (track 'd'): period_days 5 is ignored for period 'year'",
        "error penalty_track row (track ''): track is ''; expected non-empty UTF-8 TEXT",
    });
}

TEST_CASE("violations") {
    Rules r = base();
    r.violation("x", "nope", 1)
        .violation("y", "t", -3)
        .violation("z", "t", 1, 2)
        .violation("w", "t", 1, 0, -1)
        .violation("u", "t", 1, 0, 0, T("2017-02-30"))
        .violation("v", "t", 2, 0, 0, I(-62135596800));  // 0001-01-01 as an integer: a duplicate
    r.raw.violations.push_back({T("p"), T("0001-01-01"), T("t"), Cell::from(ValueView::real(1.5)), I(0), I(0), N(), N(), N(), N()});
    r.raw.violations.push_back({T("bad\xff"), T("0001-01-01"), T("t"), I(1), I(0), I(0), N(), N(), N(), N()});
    CHECK(problems(r) == std::vector<std::string>{
        "error penalty_violation row (code 'x', valid_from '0001-01-01'): track 'nope' is not in penalty_track",
        "error penalty_violation row (code 'z', valid_from '0001-01-01'): closes is 2; expected 0 or 1",
        "error penalty_violation row (code 'w', valid_from '0001-01-01'): min_prior is -1; expected an INTEGER >= 0",
        "error penalty_violation row (code 'u', valid_from '2017-02-30'): valid_from: invalid timestamp '2017-02-30' (no such calendar date); " + std::string(kTimestampForms),
        "error penalty_violation row (code 'v', valid_from -62135596800): another row of code 'v' has the same valid_from 0001-01-01 00:00:00",
        "error penalty_violation row (code 'p', valid_from '0001-01-01'): points is 1.5; expected an INTEGER",
        "error penalty_violation row (code 'bad\\xFF', valid_from '0001-01-01'): code is 'bad\\xFF'; expected non-empty UTF-8 TEXT",
    });
}

TEST_CASE("repeats, thresholds, levels") {
    Rules r = base();
    r.repeat("v", 0, 5)
        .repeat("v", 2, -1)
        .repeat("ghost", 2, 1)
        .threshold("t", 0, "s", I(1))
        .threshold("nope", 5, "s", I(1))
        .threshold("t", 5, "s", I(-1))
        .threshold("t", 6, "s", I(1), 3)
        .threshold("t", 7, "", N())
        .level(1, "a")
        .level(1, "b");
    r.raw.levels.push_back({T("x"), T("c")});
    CHECK(problems(r) == std::vector<std::string>{
        "error penalty_threshold row (track 't', points 0): points is 0; expected a positive INTEGER",
        "error penalty_threshold row (track 'nope', points 5): track 'nope' is not in penalty_track",
        "error penalty_threshold row (track 't', points 5): days: -1 is not a duration; " + forms(0) + " (or NULL)",
        "error penalty_threshold row (track 't', points 6): closes is 3; expected 0 or 1",
        "error penalty_threshold row (track 't', points 7): sanction is ''; expected non-empty UTF-8 TEXT",
        "error penalty_repeat row (code 'v', nth 0): nth is 0; expected an INTEGER >= 1",
        "error penalty_repeat row (code 'v', nth 2): points is -1; code 'v' is an offence, so its repeat points must be >= 0 (negative points are for credit codes)",
        "warning penalty_repeat row (code 'ghost', nth 2): code 'ghost' has no row in penalty_violation; the row is unused",
        "error penalty_level row (min_credit 1): duplicate min_credit",
        "error penalty_level row (min_credit 'x'): min_credit is 'x'; expected an INTEGER",
    });
    CHECK(compile_ruleset(r.raw).error_text() ==
          "penalty_threshold row (track 't', points 0): points is 0; expected a positive INTEGER (and 8 more errors; see penalty_check())");
}

TEST_CASE("warnings leave the ruleset usable") {
    Rules r = base();
    r.repeat("ghost", 2, 1);
    Compiled c = compile_ruleset(r.raw);
    CHECK(c.problems.size() == 1);
    CHECK(c.ruleset != nullptr);
    CHECK(c.error_text().empty());
}

TEST_CASE("rule versions and repeat steps") {
    Rules r;
    r.track("t", "lifetime")
        .violation("v", "t", 5)
        .violation("v", "t", 8, 0, 0, T("2018-01-01"))
        .repeat("v", 1, 0)
        .repeat("v", 3, 20);
    auto rs = r.compile();
    const Code& c = rs->codes[0];
    CHECK(c.version_at(at("0000-06-01")) == nullptr);
    CHECK(c.version_at(at("2017-12-31 23:59:59"))->points == 5);
    CHECK(c.version_at(at("2018-01-01"))->points == 8);
    CHECK(c.points_for(*c.version_at(at("2018-01-01")), 1) == 0);
    CHECK(c.points_for(*c.version_at(at("2018-01-01")), 2) == 0);
    CHECK(c.points_for(*c.version_at(at("2018-01-01")), 3) == 20);
    CHECK(c.points_for(*c.version_at(at("2018-01-01")), 99) == 20);
}

TEST_CASE("an invalid track is reported once, not again by the rows that use it") {
    Rules r;
    r.track("t", "decade").violation("v", "t", 1).threshold("t", 5, "s", I(1));
    CHECK(problems(r) == std::vector<std::string>{
        "error penalty_track row (track 't'): period is 'decade'; expected 'year', 'quarter', 'month', 'rolling', 'lifetime' or 'cycle'"});
}

TEST_CASE("duplicates that a primary key would stop, in tables made without one") {
    Rules r;
    r.track("t", "year").track("t", "month").violation("v", "t", 1).repeat("v", 2, 5).repeat("v", 2, 6)
        .threshold("t", 5, "a", I(1)).threshold("t", 5, "b", I(2));
    CHECK(problems(r) == std::vector<std::string>{
        "error penalty_track row (track 't'): duplicate track",
        "error penalty_threshold row (track 't', points 5): duplicate threshold",
        "error penalty_repeat row (code 'v', nth 2): duplicate nth",
    });
}
