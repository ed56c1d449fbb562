#include "helpers.hpp"

using namespace test;

// Look-back in months or years, minimised from the random comparison (it
// found the engine assuming the opposite, with PENALTY_AGREEMENT_SEED=1..6
// in test_agreement_all_rules.cpp).
// docs/model.md §3.2: an earlier event at t is recent for e when
// add(t, repeat_days) > e.at, for each earlier event on its own. With a
// duration in months or years add() clamps the day, so it is not monotone
// in t: add('2017-01-28 12:00', '1 month') = '2017-02-28 12:00' but
// add('2017-01-31 00:00', '1 month') = '2017-02-28 00:00'. This reaches the
// prior record (§3.3, so dismissals), the repeat number of offences (§3.4)
// and credits (§3.5b), the points of repeat rows (§3.5) and `repeats` (§4.5).
TEST_CASE("look-back in months, prior record and repeat number") {
    Rules r("m", T("+00:00"), T("1 month"));
    r.track("t", "lifetime").violation("p", "t", 1);
    Run run(r.compile());
    run.push("p", "2017-01-28 12:00:00").push("p", "2017-01-31 00:00:00").push("p", "2017-02-28 06:00:00");
    // Recent at 2017-02-28 06:00: 01-28 12:00 (until 02-28 12:00), not
    // 01-31 00:00 (until 02-28 00:00, clamped).
    CHECK(run.ledger[2].prior == 1);
    CHECK(run.ledger[2].nth == 2);
}

TEST_CASE("look-back in months, repeats of the standing") {
    Rules r("m", T("+00:00"), T("1 month"));
    r.track("t", "lifetime").violation("p", "t", 1);
    Run run(r.compile());
    run.push("p", "2017-01-28 11:00:00")
        .push("p", "2017-01-28 12:00:00")   // nth 2, recent until 2017-02-28 12:00
        .push("p", "2017-01-31 00:00:00")   // nth 3, recent until 2017-02-28 00:00 (clamped)
        .push("p", "2017-02-01 00:00:00");  // nth 4, recent until 2017-03-01 00:00
    REQUIRE(run.ledger[3].nth == 4);
    // As of 2017-02-28 06:00 the 01-28 12:00 and 02-01 repeats are recent: 2.
    CHECK(run.standing("2017-02-28 06:00:00").repeats == 2);
}

TEST_CASE("look-back in years, leap day") {
    Rules r("m", T("+00:00"), T("1 year"));
    r.track("t", "lifetime").violation("p", "t", 1);
    Run run(r.compile());
    run.push("p", "2016-02-28 13:00:00").push("p", "2016-02-29 00:00:00").push("p", "2017-02-28 06:00:00");
    // add('2016-02-28 13:00', '1 year') = 2017-02-28 13:00: recent;
    // add('2016-02-29 00:00', '1 year') = 2017-02-28 00:00: not.
    CHECK(run.ledger[2].nth == 2);
}
