// The scoring engine against docs/model.md §3–§5: one test case per step and
// per figure, with exact values.
#include "helpers.hpp"

using namespace test;

TEST_CASE("worked example: four harassment cases close the shop") {
    Run run(taobao().compile());
    run.push("harassment", "2017-03-01 12:00:00")
        .push("harassment", "2017-04-01 12:00:00")
        .push("harassment", "2017-05-01 12:00:00")
        .push("harassment", "2017-06-01 12:00:00");
    std::vector<std::int64_t> after, nth;
    for (const auto& e : run.ledger) after.push_back(e.after), nth.push_back(e.nth);
    CHECK(after == std::vector<std::int64_t>{12, 24, 36, 48});
    CHECK(nth == std::vector<std::int64_t>{1, 2, 3, 4});
    const auto& th = run.rules->tracks[0].thresholds;
    for (std::size_t k = 0; k < 4; ++k) CHECK(run.fired[k] == std::vector<std::int64_t>{th[k].points});
    CHECK(th[3].sanction == "seal_account");
    CHECK_FALSE(run.ledger[2].first_closing);
    CHECK(run.ledger[3].first_closing);

    Standing s = run.standing("2017-06-30");
    CHECK(s.points == 48);
    CHECK(s.offences == 4);
    CHECK(s.dismissed == 0);
    CHECK(s.repeats == 3);
    REQUIRE(s.closure_at);
    CHECK(format_timestamp(*s.closure_at) == "2017-06-01 12:00:00");
    REQUIRE(s.sanction);
    CHECK(s.sanction->why.threshold->sanction == "seal_account");
    CHECK_FALSE(s.sanction->end);
    CHECK(run.ev.reason(s) ==
          "closed at 2017-06-01 12:00:00: harassment on 2017-06-01 12:00:00 raised track serious from 36 to 48 "
          "points, crossing threshold 48 (seal_account)");
    CHECK(run.notes[3] ==
          "harassment: offence #4 within 365 days, 12 points; track serious 36 -> 48; crossed 48: seal_account "
          "(indefinite), closes; closure");
}

TEST_CASE("Beijing New Year restarts the yearly balance") {
    Run run(taobao().compile());
    // 2016-12-31 16:00 UTC is 2017-01-01 00:00 in Beijing.
    run.push("harassment", "2016-12-31 15:59:59").push("harassment", "2016-12-31 16:00:00");
    CHECK(run.ledger[0].after == 12);
    CHECK(run.ledger[1].before == 0);
    CHECK(run.ledger[1].after == 12);
    CHECK(run.ledger[1].nth == 2);  // still a repeat: repeats look back 365 days
    CHECK(run.standing("2017-01-15").points == 12);
    CHECK(run.standing("2017-12-31 15:59:59").points == 12);
    CHECK(run.standing("2017-12-31 16:00:00").points == 0);  // the next local year
}

TEST_CASE("§3.1: the rule version in force at the event") {
    Rules r;
    r.track("t", "lifetime")
        .violation("v", "t", 5)
        .violation("v", "t", 8, 0, 0, T("2018-01-01"))
        .violation("late", "t", 1, 0, 0, T("2018-01-01"));
    Run run(r.compile());
    run.push("v", "2017-12-31 23:59:59").push("v", "2018-01-01");
    CHECK(run.ledger[0].points == 5);
    CHECK(run.ledger[1].points == 8);
    CHECK(run.standing("2018-02-01").points == 13);
    try {
        run.push("late", "2017-06-01");
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(std::string(e.what()) == "unknown violation code 'late' in ruleset 'r' at 2017-06-01 00:00:00");
    }
}

TEST_CASE("steps 2-3: prior record and dismissal") {
    Rules r("r", T("+00:00"), I(30));
    r.track("t", "lifetime").violation("minor", "t", 1).violation("complaint", "t", 10, 0, 1);
    Run run(r.compile());
    run.push("complaint", "2017-01-01")  // no record: dismissed
        .push("minor", "2017-01-05")
        .push("complaint", "2017-01-10")   // one prior in 30 days: counted
        .push("complaint", "2017-03-01");  // 2017-01-05 and -10 are 50+ days back: prior 0, dismissed
    CHECK(run.ledger[0].status == Status::Dismissed);
    CHECK(run.ledger[0].points == 0);
    CHECK(run.ledger[0].prior == 0);
    CHECK(run.ledger[2].status == Status::Counted);
    CHECK(run.ledger[2].prior == 1);
    CHECK(run.ledger[2].nth == 1);  // the dismissed complaint does not count
    CHECK(run.ledger[3].status == Status::Dismissed);
    CHECK(run.notes[0] == "complaint: dismissed, prior record 0 < min_prior 1 (within 30 days)");
    Standing s = run.standing("2017-03-01");
    CHECK(s.points == 11);
    CHECK(s.offences == 2);
    CHECK(s.dismissed == 2);
}

TEST_CASE("§3.2: look-back boundary is exclusive") {
    Rules r("r", T("+00:00"), I(1));
    r.track("t", "lifetime").violation("v", "t", 1);
    Run run(r.compile());
    run.push("v", "2017-01-01 00:00:00").push("v", "2017-01-02 00:00:00").push("v", "2017-01-02 23:59:59");
    CHECK(run.ledger[1].nth == 1);  // exactly one day earlier: not recent
    CHECK(run.ledger[2].nth == 2);
}

TEST_CASE("steps 4-5: repeat numbers, escalation and a first-offence warning") {
    Rules r("r", T("+00:00"), I(365));
    r.track("t", "lifetime").violation("v", "t", 4).repeat("v", 1, 0).repeat("v", 3, 10).violation("w", "t", 2);
    Run run(r.compile());
    run.push("v", "2017-01-01").push("w", "2017-01-02").push("v", "2017-01-03").push("v", "2017-01-04").push("v", "2017-01-05");
    std::vector<std::int64_t> pts, nth;
    for (const auto& e : run.ledger) pts.push_back(e.points), nth.push_back(e.nth);
    CHECK(nth == std::vector<std::int64_t>{1, 1, 2, 3, 4});
    CHECK(pts == std::vector<std::int64_t>{0, 2, 0, 10, 10});  // nth 2 uses the nth-1 row
    CHECK(run.notes[0] == "v: offence #1 within 365 days, 0 points; track t 0 -> 0");
    Standing s = run.standing("2017-02-01");
    CHECK(s.points == 22);
    CHECK(s.repeats == 3);
    // repeats only counts repeat events within repeat_days of T
    CHECK(run.standing("2018-01-03 00:00:01").repeats == 2);
    CHECK(run.standing("2018-01-05 00:00:01").repeats == 0);
}

TEST_CASE("repeat_days NULL: the whole history") {
    Rules r;
    r.track("t", "lifetime").violation("v", "t", 1);
    Run run(r.compile());
    run.push("v", "2000-01-01").push("v", "2017-01-01");
    CHECK(run.ledger[1].nth == 2);
    CHECK(run.standing("2030-01-01").repeats == 1);
    CHECK(run.notes[1] == "v: offence #2 in the whole history, 1 points; track t 1 -> 2");
}

TEST_CASE("§3.6: the five periods") {
    Rules r("r", T("-05:00"), N());
    r.track("y", "year").track("q", "quarter").track("m", "month").track("r", "rolling", I(10)).track("l", "lifetime");
    for (const char* t : {"y", "q", "m", "r", "l"}) r.violation(t, t, 1);
    Run run(r.compile());
    for (const char* t : {"y", "q", "m", "r", "l"}) run.push(t, "2017-03-31 12:00:00");
    for (const char* t : {"y", "q", "m", "r", "l"}) run.push(t, "2017-04-01 04:59:59");  // still March 31 locally
    for (const char* t : {"y", "q", "m", "r", "l"}) run.push(t, "2017-04-09 06:00:00");
    std::vector<std::int64_t> last;
    for (std::size_t k = 10; k < 15; ++k) last.push_back(run.ledger[k].after);
    CHECK(last == std::vector<std::int64_t>{3, 1, 1, 3, 3});  // y q m r l
    Standing s = run.standing("2017-04-11 12:00:00");
    // tracks in name order: l m q r y; rolling: live after 04-01 12:00, so only 04-09 is
    CHECK(s.track_points == std::vector<std::int64_t>{3, 1, 1, 1, 3});
    CHECK(s.points == 9);
    Standing later = run.standing("2018-01-01 05:00:00");  // local new year
    CHECK(later.track_points == std::vector<std::int64_t>{3, 0, 0, 0, 0});
}

TEST_CASE("rolling window: an expiring event lowers the balance and a later crossing fires again") {
    Rules r("r", T("+00:00"), I(90));
    r.track("strikes", "rolling", I(90)).violation("s", "strikes", 1).threshold("strikes", 2, "freeze", I(14));
    Run run(r.compile());
    run.push("s", "2017-01-01").push("s", "2017-02-01").push("s", "2017-05-01").push("s", "2017-05-01 12:00");
    CHECK(run.fired[1] == std::vector<std::int64_t>{2});
    CHECK(run.ledger[2].before == 1);  // 2017-01-01 expired on 2017-04-01
    CHECK(run.ledger[2].after == 2);
    CHECK(run.fired[2] == std::vector<std::int64_t>{2});  // crosses 2 again
    CHECK(run.ledger[3].after == 3);  // 02-01 is live: it is 89.5 days earlier
    CHECK(run.standing("2017-07-30 00:00:00").points == 1);  // exactly 90 days after 05-01: expired
    CHECK(run.standing("2017-07-31 00:00:00").points == 0);
}

TEST_CASE("§3.7: one event crosses two thresholds; sanction choice") {
    Rules r;
    r.track("t", "year")
        .violation("big", "t", 30)
        .violation("small", "t", 1)
        .threshold("t", 10, "warn", I(30))
        .threshold("t", 20, "suspend", I(10))
        .threshold("t", 40, "ban", I(5));
    Run run(r.compile());
    run.push("big", "2017-01-01");
    CHECK(run.fired[0] == std::vector<std::int64_t>{10, 20});
    // active: warn until 01-31, suspend until 01-11: the latest end wins
    Standing s = run.standing("2017-01-05");
    REQUIRE(s.sanction);
    CHECK(s.sanction->why.threshold->sanction == "warn");
    CHECK(format_timestamp(*s.sanction->end) == "2017-01-31 00:00:00");
    CHECK(run.ev.reason(s) ==
          "warn until 2017-01-31 00:00:00: big on 2017-01-01 00:00:00 raised track t from 0 to 30 points, crossing "
          "threshold 10 (warn)");
    CHECK(run.notes[0] ==
          "big: offence #1 in the whole history, 30 points; track t 0 -> 30; crossed 10: warn until 2017-01-31 "
          "00:00:00; crossed 20: suspend until 2017-01-11 00:00:00");
    CHECK_FALSE(run.standing("2017-01-31").sanction);
    CHECK(run.ev.reason(run.standing("2017-01-31")).empty());
}

TEST_CASE("sanction ties go to the higher threshold; indefinite is latest") {
    Rules r;
    r.track("t", "lifetime")
        .violation("v", "t", 25)
        .threshold("t", 10, "a", I(10))
        .threshold("t", 20, "b", I(10))
        .threshold("t", 50, "forever", N());
    Run run(r.compile());
    run.push("v", "2017-01-01");
    CHECK(run.standing("2017-01-02").sanction->why.threshold->sanction == "b");
    run.push("v", "2017-01-03");  // 50 -> indefinite, no closure
    Standing s = run.standing("2030-01-01");
    CHECK(s.sanction->why.threshold->sanction == "forever");
    CHECK_FALSE(s.closure_at);
    CHECK(run.ev.reason(s) ==
          "forever (indefinite): v on 2017-01-03 00:00:00 raised track t from 25 to 50 points, crossing threshold 50 "
          "(forever)");
}

TEST_CASE("§3.8: closure by code, and closure survives the reset") {
    Run run(taobao().compile());
    run.push("harassment_severe", "2017-03-01").push("harassment", "2018-03-01").push("harassment_severe", "2018-04-01");
    CHECK(run.ledger[0].first_closing);
    CHECK(run.ledger[0].closing);
    CHECK_FALSE(run.ledger[2].first_closing);
    CHECK(run.ledger[2].closing);
    Standing s = run.standing("2018-06-01");
    CHECK(s.points == 24);  // the 2017 points reset; closure stays
    CHECK(format_timestamp(*s.closure_at) == "2017-03-01 00:00:00");
    CHECK(run.ev.reason(s) ==
          "closed at 2017-03-01 00:00:00: harassment_severe on 2017-03-01 00:00:00 is a closing violation (track "
          "serious: 0 -> 12 points)");
    CHECK(run.notes[2] ==
          "harassment_severe: offence #1 within 365 days, 12 points; track serious 12 -> 24; crossed 24: "
          "restrict_14d until 2018-04-15 00:00:00; closing violation; already closed at 2017-03-01 00:00:00");
    // closure_at is only reported once T reaches it
    CHECK_FALSE(Run(taobao().compile()).standing("2017-01-01").closure_at);
}

TEST_CASE("no events: zero points, no closure") {
    Run run(taobao().compile());
    Standing s = run.standing("2017-01-01");
    CHECK(s.points == 0);
    CHECK(s.track_points == std::vector<std::int64_t>{0});
    CHECK(s.offences == 0);
    CHECK(s.repeats == 0);
    CHECK_FALSE(s.sanction);
    CHECK_FALSE(s.closure_at);
}

TEST_CASE("points that overflow 64 bits are an error") {
    Rules r;
    r.track("t", "lifetime").violation("huge", "t", INT64_MAX);
    Run run(r.compile());
    run.push("huge", "2017-01-01");
    try {
        run.push("huge", "2017-01-02");
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(std::string(e.what()) ==
              "the balance of track 't' overflows a 64-bit integer (9223372036854775807 + 9223372036854775807)");
    }
    Rules two;
    two.track("a", "lifetime").track("b", "lifetime").violation("x", "a", INT64_MAX).violation("y", "b", 1);
    Run run2(two.compile());
    run2.push("x", "2017-01-01").push("y", "2017-01-01");
    CHECK_THROWS_WITH_AS(run2.standing("2017-01-01"),
                         "the total of live points overflows a 64-bit integer (9223372036854775807 + 1)", Error);
}

TEST_CASE("a million events at one instant stay linear") {
    Rules r("r", T("+00:00"), I(30));
    r.track("t", "rolling", I(30)).violation("v", "t", 1);
    auto rs = r.compile();
    Evaluator ev(*rs);
    for (int k = 0; k < 1000000; ++k) ev.push(1496318400, 0);
    Standing s = ev.standing(1496318400);
    CHECK(s.points == 1000000);
    CHECK(s.repeats == 999999);
}
