// The engine against docs/model.md §3b (v3): resets, escalating sanctions,
// clean records, reductions and their order within an instant; the v3
// errors of §2. Exact values, worked by hand.
#include "helpers.hpp"

using namespace test;

namespace {

std::int64_t points_at(const Run& run, const char* when) { return run.standing(when).points; }

}  // namespace

TEST_CASE("§3b.a: a start reset cuts the balance right after the firing event") {
    Rules r;
    r.track("d", "lifetime").violation("a", "d", 4).threshold("d", 13, "suspend", T("3 months")).reset(I(0));
    Run run(r.compile());
    run.push("a", "2020-01-01").push("a", "2020-02-01").push("a", "2020-03-01").push("a", "2020-04-01");
    CHECK(run.ledger[3].after == 16);  // the firing event's balance, before its own reset
    REQUIRE(run.ledger[3].reset_to);
    CHECK(*run.ledger[3].reset_to == 0);
    CHECK(points_at(run, "2020-04-01") == 0);
    run.push("a", "2020-05-01");
    CHECK(run.ledger[4].before == 0);
    CHECK(run.standing("2020-05-01").offences == 5);  // a reduction changes no count
}

TEST_CASE("§3b.a: an end reset at the end of the sanction, oldest first, before an event at that instant") {
    Rules r;
    r.track("d", "rolling", I(60)).violation("b", "d", 5).threshold("d", 15, "suspend", I(30)).reset(I(7), T("end"));
    Run run(r.compile());
    run.push("b", "2020-01-01").push("b", "2020-01-10").push("b", "2020-01-20");
    CHECK(points_at(run, "2020-02-18 23:59:59") == 15);
    CHECK(points_at(run, "2020-02-19") == 7);
    CHECK(points_at(run, "2020-03-10") == 5);  // 01-10's entry kept 2 of its 5
    run.push("b", "2020-02-19");
    CHECK(run.ledger[3].before == 7);
    CHECK(run.ledger[3].after == 12);
}

TEST_CASE("§3b.a: an indefinite sanction never resets at its end; the smallest of two start resets applies") {
    Rules r;
    r.track("d", "lifetime").violation("x", "d", 10);
    r.threshold("d", 5, "w", N()).reset(I(3), T("end"));
    r.threshold("d", 8, "v", I(5)).reset(I(4));
    r.threshold("d", 9, "u", I(5)).reset(I(1));
    Run run(r.compile());
    run.push("x", "2020-01-01");
    CHECK(points_at(run, "2020-01-01") == 1);
    CHECK(points_at(run, "2030-01-01") == 1);
}

TEST_CASE("§3b order within an instant: a period ending at S carries over before an end reset at S") {
    // Year track, carry everything from 4; a 'watch' sanction from 2020-12-02
    // ends at 2021-01-01 00:00, the instant the year ends: 10 carries, then
    // the reset cuts the opening balance to 3.
    Rules r;
    r.track("y", "year").violation("e", "y", 5).threshold("y", 10, "watch", I(30)).reset(I(3), T("end"));
    r.raw.carries.push_back({T("y"), I(4), N()});
    Run run(r.compile());
    run.push("e", "2020-11-01").push("e", "2020-12-02");
    CHECK(points_at(run, "2020-12-31 23:59:59") == 10);
    CHECK(points_at(run, "2021-01-01") == 3);
    CHECK(points_at(run, "2022-01-01") == 0);  // 3 < 4: nothing carries
    run.push("e", "2021-01-01");
    CHECK(run.ledger[2].before == 3);
    CHECK(run.ledger[2].after == 8);
    CHECK(run.ledger[2].carried == 10);  // the period opened with 10, then the reset cut it
    CHECK(run.notes[2] == "e: offence #3 in the whole history, 5 points; 10 points carried from 2020; track y 3 -> 8");
}

TEST_CASE("§3b.b: the nth recent firing of a threshold takes its sanction_repeat row") {
    Rules r("r", T("+00:00"), T("2 years"));
    r.track("d", "lifetime").violation("a", "d", 10).threshold("d", 10, "s1", I(30)).reset(I(0));
    r.sanction_repeat("d", 10, 2, "s2", T("6 months")).sanction_repeat("d", 10, 3, "s3", N(), 1);
    Run run(r.compile());
    run.push("a", "2020-01-01").push("a", "2020-03-01").push("a", "2021-01-01").push("a", "2022-06-01");
    const Standing s = run.standing("2021-01-01");
    REQUIRE(s.sanction);
    CHECK(*s.sanction->why.sanction == "s3");
    CHECK_FALSE(s.sanction->end);
    REQUIRE(s.closure_at);
    CHECK(format_timestamp(*s.closure_at) == "2021-01-01 00:00:00");
    CHECK(run.notes[1] == "a: offence #2 within 2 years, 10 points; track d 0 -> 10; crossed 10: s2 until "
                         "2020-09-01 00:00:00 (firing #2 within 2 years), resets the track to 0");
    // 2022-06-01: the firings of 2020 are no longer recent, 2021-01-01's is: #2
    CHECK(run.notes[3].find("s2 until 2022-12-01 00:00:00 (firing #2 within 2 years)") != std::string::npos);
}

TEST_CASE("§3b.b: levels of a repeating threshold count in ascending order") {
    Rules r;
    r.track("d", "lifetime").violation("big", "d", 25);
    r.raw.thresholds.push_back({T("d"), I(10), T("warn"), I(7), I(0), I(10), N(), T("start")});
    r.sanction_repeat("d", 10, 2, "strike", I(14)).sanction_repeat("d", 10, 3, "ban", N());
    Run run(r.compile());
    run.push("big", "2020-01-01");
    const auto fired = run.ev.fired();
    REQUIRE(fired.size() == 2);
    CHECK(*fired[0].sanction == "warn");
    CHECK(fired[0].level == 10);
    CHECK(*fired[1].sanction == "strike");
    CHECK(fired[1].level == 20);
    run.push("big", "2020-02-01");
    REQUIRE(run.ev.fired().size() == 1);
    CHECK(run.ev.fired()[0].levels == 3);
    CHECK(run.ev.fired()[0].nth == 5);
    CHECK(*run.ev.fired()[0].sanction == "ban");
}

TEST_CASE("§3b.c: the track is restored after the longest clean period of its record") {
    Rules r;
    r.track("p", "lifetime").violation("minor", "p", 2).violation("serious", "p", 4).violation("plain", "p", 3);
    r.clean("minor", T("2 years")).clean("serious", T("3 years"));
    Run run(r.compile());
    run.push("plain", "2019-06-01").push("minor", "2020-01-01").push("serious", "2020-06-01");
    CHECK(points_at(run, "2022-06-01") == 9);
    CHECK(points_at(run, "2023-05-31 23:59:59") == 9);
    CHECK(points_at(run, "2023-06-01") == 0);
    run.push("minor", "2023-06-01");  // at exactly R: after the restoration
    CHECK(run.ledger[3].before == 0);
    REQUIRE(run.ledger[3].restored);
    CHECK(format_timestamp(*run.ledger[3].restored) == "2023-06-01 00:00:00");
    CHECK(points_at(run, "2025-06-01") == 0);  // the new record: one minor, 2 years
}

TEST_CASE("§3b.d: restore_days ends one offence's points when the track stays clean") {
    Rules r;
    r.track("p", "lifetime").violation("one", "p", 1).violation("minor", "p", 2).violation("course", "p", -1);
    r.clean("one", N(), T("6 months"));
    Run a(r.compile());
    a.push("one", "2020-01-01");
    CHECK(points_at(a, "2020-06-30 23:59:59") == 1);
    CHECK(points_at(a, "2020-07-01") == 0);
    Run b(r.compile());
    b.push("one", "2020-01-01").push("minor", "2020-03-01");  // an offence within: kept
    CHECK(points_at(b, "2021-01-01") == 3);
    Run c(r.compile());
    c.push("one", "2020-01-01").push("minor", "2020-07-01");  // at the end: gone first
    CHECK(c.ledger[1].before == 0);
    Run d(r.compile());
    d.push("minor", "2020-01-01").push("one", "2020-01-02").push("course", "2020-02-01");  // a credit is no offence
    CHECK(points_at(d, "2020-07-01") == 2);
    CHECK(points_at(d, "2020-07-02") == 1);
}

TEST_CASE("§2 v3 errors: reset_on NULL, a sanction_repeat row of no threshold") {
    Rules r;
    r.track("t", "lifetime").violation("v", "t", 1).threshold("t", 5, "s", I(1)).reset(N(), N());
    r.sanction_repeat("t", 6, 2, "x", I(1));
    const Compiled c = compile_ruleset(r.raw);
    REQUIRE(c.problems.size() == 2);
    CHECK(c.problems[0].message == "row (track 't', points 5): reset_on is NULL; expected 'start' or 'end'");
    CHECK(c.problems[1].message ==
          "row (track 't', points 6, nth 2): names no threshold: penalty_threshold has no row with track 't' and "
          "points 6");
    CHECK_FALSE(c.ruleset);
}

TEST_CASE("v3 unused: a ruleset without v3 rows has no v3 track") {
    const auto rs = taobao().compile();
    for (const Track& t : rs->tracks) CHECK_FALSE(t.v3);
    CHECK(rs->escalating == 0);
}
