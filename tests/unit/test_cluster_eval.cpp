// One cluster of linked sellers evaluated (core/cluster_eval.hpp, docs/model.md
// §6) over a LinkGraph built here: linked closures, link_closes and its
// reason, and prior_scope = 'cluster' (the shared prior record in merged
// time order) against a hand-written ledger.
#include <memory>

#include <fmt/format.h>

#include "core/cluster_eval.hpp"
#include "core/link_graph.hpp"
#include "source_rows.hpp"

using namespace test;

namespace {

// As tests/links/agreement.cpp: a lifetime track; 'a' 3 points, 'b' 4 points
// counted only with a prior record, 'x' a closing violation; repeat_days 10.
std::shared_ptr<const Ruleset> link_rules(const char* prior_scope, bool link_closes) {
    Rules r("r", T("+00:00"), I(10));
    r.raw.ruleset_row->prior_scope = T(prior_scope);
    r.raw.ruleset_row->link_closes = I(link_closes ? 1 : 0);
    r.track("t", "lifetime").violation("a", "t", 3).violation("b", "t", 4, 0, 1).violation("x", "t", 1, 1);
    const auto rules = r.compile();
    REQUIRE(rules->prior_scope_cluster == (std::string_view(prior_scope) == "cluster"));
    REQUIRE(rules->link_closes == link_closes);
    return rules;
}

struct Ev {
    const char* code;
    const char* at;
    const char* revoked_at = nullptr;
};

// A cluster's sellers: each with its events (sorted by time already) or
// none (only in links), in SQLite's order of seller_id as the caller gives them.
struct Cluster {
    const Ruleset& rules;
    LinkGraph graph;
    std::vector<std::unique_ptr<LinkedSeller>> sellers;

    Cluster(const Ruleset& r, const std::vector<std::pair<Cell, Cell>>& links) : rules(r) {
        for (const auto& [s, e] : links) graph.add(s.view(), e.view());
        graph.finish();
    }
    LinkedSeller& add(const Cell& seller, const std::vector<Ev>& events, bool in_source = true) {
        auto s = std::make_unique<LinkedSeller>();
        s->seller = ValueKey::of(seller.view());
        s->link_id = graph.find_seller(s->seller);
        if (in_source) {
            s->batch = std::make_unique<SellerBatch>();
            SellerBatch& b = *s->batch;
            b.key = s->seller;
            bool revocations = false;
            for (const Ev& e : events) revocations = revocations || e.revoked_at;
            for (const Ev& e : events) {
                const std::int32_t id = rules.code_id(e.code);
                REQUIRE(id >= 0);
                b.events.push_back({at(e.at), id, static_cast<std::uint32_t>(b.events.size())});
                if (revocations) b.revoked_at.push_back(e.revoked_at ? std::optional<Time>(at(e.revoked_at)) : std::nullopt);
            }
        }
        sellers.push_back(std::move(s));
        return *sellers.back();
    }
    void evaluate(std::optional<Time> as_of, bool ledger) {
        std::vector<LinkedSeller*> unit;
        for (auto& s : sellers) {
            s->result = {};
            s->own_closure.reset();
            s->linked_closure.reset();
            s->linked_seller.reset();
            s->ledger.clear();
            unit.push_back(s.get());
        }
        evaluate_cluster(rules, graph, unit, as_of, ledger);
    }
};

std::string show(const std::optional<Time>& t) { return t ? format_timestamp(*t) : "NULL"; }
std::string show(const std::optional<ValueKey>& k) { return k ? sql_literal(k->view()) : "NULL"; }
std::string show(const std::optional<std::string>& s) { return s ? *s : "NULL"; }

// A seller's standing with links, one line: closure_at, own closure,
// linked_closure_at, linked_seller, cluster, points, offences, dismissed.
std::string standing(const LinkedSeller& s) {
    const Standing& st = s.result.standing;
    return fmt::format("{}: closure {} own {} linked {} by {} cluster {} points {} offences {} dismissed {}",
                       sql_literal(s.seller.view()), show(st.closure_at), show(s.own_closure),
                       show(s.linked_closure), show(s.linked_seller), sql_literal(s.cluster.view()), st.points,
                       st.offences, st.dismissed);
}

const char* kReasonC =
    "closed at 2020-01-05 00:00:00: x on 2020-01-05 00:00:00 is a closing violation (track t: 0 -> 1 points)";
const char* kReason7 =
    "closed at 2020-01-06 00:00:00: x on 2020-01-06 00:00:00 is a closing violation (track t: 0 -> 1 points)";
const char* kReasonA =
    "closed at 2020-01-08 00:00:00: x on 2020-01-08 00:00:00 is a closing violation (track t: 3 -> 4 points)";

// 'A' -phone-1- 'B' -dev-9- 'C' -42- 7 -acct- 'F'; 'F' only in links. In
// SQLite's order: 7, 'A', 'B', 'C', 'F'. Own closures: 'C' at day 5, 7 at
// `seven_closes`, 'A' at day 8; 'B' none.
Cluster chain(const Ruleset& rules, const char* seven_closes) {
    Cluster c(rules, {{T("A"), T("phone-1")},
                      {T("B"), T("phone-1")},
                      {T("B"), T("dev-9")},
                      {T("C"), T("dev-9")},
                      {T("C"), I(42)},
                      {I(7), I(42)},
                      {I(7), T("acct")},
                      {T("F"), T("acct")}});
    c.add(I(7), {{"x", seven_closes}});
    c.add(T("A"), {{"a", "2020-01-02"}, {"x", "2020-01-08"}});
    c.add(T("B"), {{"a", "2020-01-02"}});
    c.add(T("C"), {{"x", "2020-01-05"}});
    c.add(T("F"), {}, false);
    return c;
}

}  // namespace

TEST_CASE("cluster eval §6.3: the linked closure is the earliest own closure of another member") {
    for (const bool link_closes : {false, true}) {
        CAPTURE(link_closes);
        const auto rules = link_rules("seller", link_closes);
        Cluster c = chain(*rules, "2020-01-06");
        c.evaluate(at("2020-01-31"), false);
        std::vector<std::string> got;
        for (const auto& s : c.sellers) got.push_back(standing(*s));
        if (!link_closes) {
            CHECK(got == std::vector<std::string>{
                             "7: closure 2020-01-06 00:00:00 own 2020-01-06 00:00:00 linked 2020-01-05 00:00:00 by 'C' "
                             "cluster 7 points 1 offences 1 dismissed 0",
                             "'A': closure 2020-01-08 00:00:00 own 2020-01-08 00:00:00 linked 2020-01-05 00:00:00 by "
                             "'C' cluster 7 points 4 offences 2 dismissed 0",
                             "'B': closure NULL own NULL linked 2020-01-05 00:00:00 by 'C' cluster 7 points 3 "
                             "offences 1 dismissed 0",
                             // the earliest closer's own linked closure: the second earliest
                             "'C': closure 2020-01-05 00:00:00 own 2020-01-05 00:00:00 linked 2020-01-06 00:00:00 by 7 "
                             "cluster 7 points 1 offences 1 dismissed 0",
                             "'F': closure NULL own NULL linked 2020-01-05 00:00:00 by 'C' cluster 7 points 0 offences "
                             "0 dismissed 0",
                         });
            CHECK(show(c.sellers[0]->result.reason) == kReason7);
            CHECK(show(c.sellers[1]->result.reason) == kReasonA);
            CHECK(show(c.sellers[2]->result.reason) == "NULL");
            CHECK(show(c.sellers[4]->result.reason) == "NULL");
        } else {
            CHECK(got == std::vector<std::string>{
                             "7: closure 2020-01-05 00:00:00 own 2020-01-06 00:00:00 linked 2020-01-05 00:00:00 by 'C' "
                             "cluster 7 points 1 offences 1 dismissed 0",
                             "'A': closure 2020-01-05 00:00:00 own 2020-01-08 00:00:00 linked 2020-01-05 00:00:00 by "
                             "'C' cluster 7 points 4 offences 2 dismissed 0",
                             "'B': closure 2020-01-05 00:00:00 own NULL linked 2020-01-05 00:00:00 by 'C' cluster 7 "
                             "points 3 offences 1 dismissed 0",
                             "'C': closure 2020-01-05 00:00:00 own 2020-01-05 00:00:00 linked 2020-01-06 00:00:00 by 7 "
                             "cluster 7 points 1 offences 1 dismissed 0",
                             "'F': closure 2020-01-05 00:00:00 own NULL linked 2020-01-05 00:00:00 by 'C' cluster 7 "
                             "points 0 offences 0 dismissed 0",
                         });
            // §6.4: the entities of a shortest chain to the closer, then its own reason.
            CHECK(show(c.sellers[0]->result.reason) ==
                  std::string("closed at 2020-01-05 00:00:00: linked to seller 'C' through entity 42 (") + kReasonC + ")");
            CHECK(show(c.sellers[1]->result.reason) ==
                  std::string("closed at 2020-01-05 00:00:00: linked to seller 'C' through entities 'phone-1', 'dev-9' (") +
                      kReasonC + ")");
            CHECK(show(c.sellers[2]->result.reason) ==
                  std::string("closed at 2020-01-05 00:00:00: linked to seller 'C' through entity 'dev-9' (") + kReasonC +
                      ")");
            CHECK(show(c.sellers[4]->result.reason) ==
                  std::string("closed at 2020-01-05 00:00:00: linked to seller 'C' through entities 'acct', 42 (") +
                      kReasonC + ")");
        }
        // The earliest closer keeps its own closure and reason either way.
        CHECK(show(c.sellers[3]->result.reason) == kReasonC);
        // Every other figure stays the seller's own.
        CHECK(c.sellers[1]->result.standing.track_points == std::vector<std::int64_t>{4});
        CHECK(c.sellers[4]->result.standing.track_points == std::vector<std::int64_t>{0});
    }
}

TEST_CASE("cluster eval §6.3: only closures at or before as_of count; none gives NULL") {
    const auto rules = link_rules("seller", true);
    Cluster c = chain(*rules, "2020-01-06");
    c.evaluate(at("2020-01-05 12:00"), false);  // only 'C' is closed
    std::vector<std::string> got;
    for (const auto& s : c.sellers) got.push_back(standing(*s));
    CHECK(got == std::vector<std::string>{
                     "7: closure 2020-01-05 00:00:00 own NULL linked 2020-01-05 00:00:00 by 'C' cluster 7 points 0 "
                     "offences 0 dismissed 0",
                     "'A': closure 2020-01-05 00:00:00 own NULL linked 2020-01-05 00:00:00 by 'C' cluster 7 points 3 "
                     "offences 1 dismissed 0",
                     "'B': closure 2020-01-05 00:00:00 own NULL linked 2020-01-05 00:00:00 by 'C' cluster 7 points 3 "
                     "offences 1 dismissed 0",
                     "'C': closure 2020-01-05 00:00:00 own 2020-01-05 00:00:00 linked NULL by NULL cluster 7 points 1 "
                     "offences 1 dismissed 0",
                     "'F': closure 2020-01-05 00:00:00 own NULL linked 2020-01-05 00:00:00 by 'C' cluster 7 points 0 "
                     "offences 0 dismissed 0",
                 });
    CHECK(show(c.sellers[0]->result.reason) ==
          std::string("closed at 2020-01-05 00:00:00: linked to seller 'C' through entity 42 (") + kReasonC + ")");

    c.evaluate(at("2020-01-04 23:59:59"), false);  // no one
    for (const auto& s : c.sellers) {
        CAPTURE(sql_literal(s->seller.view()));
        CHECK_FALSE(s->result.standing.closure_at);
        CHECK_FALSE(s->linked_closure);
        CHECK_FALSE(s->linked_seller);
        CHECK_FALSE(s->result.reason);
    }
}

TEST_CASE("cluster eval §6.3: tied closures go to the smaller seller_id (BINARY: 7 before 'C')") {
    const auto rules = link_rules("seller", true);
    Cluster c = chain(*rules, "2020-01-05");  // 7 and 'C' both at day 5
    c.evaluate(at("2020-01-31"), false);
    std::vector<std::string> got;
    for (const auto& s : c.sellers) got.push_back(standing(*s));
    CHECK(got == std::vector<std::string>{
                     // 7 and 'C' each see the other (equal own: each keeps its own closure)
                     "7: closure 2020-01-05 00:00:00 own 2020-01-05 00:00:00 linked 2020-01-05 00:00:00 by 'C' "
                     "cluster 7 points 1 offences 1 dismissed 0",
                     "'A': closure 2020-01-05 00:00:00 own 2020-01-08 00:00:00 linked 2020-01-05 00:00:00 by 7 "
                     "cluster 7 points 4 offences 2 dismissed 0",
                     "'B': closure 2020-01-05 00:00:00 own NULL linked 2020-01-05 00:00:00 by 7 cluster 7 points 3 "
                     "offences 1 dismissed 0",
                     "'C': closure 2020-01-05 00:00:00 own 2020-01-05 00:00:00 linked 2020-01-05 00:00:00 by 7 "
                     "cluster 7 points 1 offences 1 dismissed 0",
                     "'F': closure 2020-01-05 00:00:00 own NULL linked 2020-01-05 00:00:00 by 7 cluster 7 points 0 "
                     "offences 0 dismissed 0",
                 });
    const std::string reason7 =
        "closed at 2020-01-05 00:00:00: x on 2020-01-05 00:00:00 is a closing violation (track t: 0 -> 1 points)";
    CHECK(show(c.sellers[0]->result.reason) == reason7);  // its own
    CHECK(show(c.sellers[1]->result.reason) ==
          "closed at 2020-01-05 00:00:00: linked to seller 7 through entities 'phone-1', 'dev-9', 42 (" + reason7 + ")");
    CHECK(show(c.sellers[2]->result.reason) ==
          "closed at 2020-01-05 00:00:00: linked to seller 7 through entities 'dev-9', 42 (" + reason7 + ")");
    CHECK(show(c.sellers[3]->result.reason) == kReasonC);  // its own
    CHECK(show(c.sellers[4]->result.reason) ==
          "closed at 2020-01-05 00:00:00: linked to seller 7 through entity 'acct' (" + reason7 + ")");
}

TEST_CASE("cluster eval: a seller in no links row is a cluster of its own") {
    const auto rules = link_rules("cluster", true);
    Cluster c(*rules, {{T("A"), T("e")}, {T("B"), T("e")}});
    c.add(T("Z"), {{"x", "2020-01-01"}});
    c.evaluate(at("2020-01-31"), false);
    CHECK(standing(*c.sellers[0]) == "'Z': closure 2020-01-01 00:00:00 own 2020-01-01 00:00:00 linked NULL by NULL "
                                     "cluster 'Z' points 1 offences 1 dismissed 0");
    CHECK(c.sellers[0]->link_id == -1);
}

namespace {

// A ledger row: status, prior, nth, points, balance after; "revoked" for a revoked event.
std::string row(const LedgerRow& r) {
    if (r.revoked) return fmt::format("#{} revoked", r.event);
    return fmt::format("#{} {} prior {} nth {} points {} after {}", r.event, status_name(r.entry.status), r.entry.prior,
                       r.entry.nth, r.entry.points, r.entry.after);
}

// Sellers 1 and 2 linked through 'e' (and 3, linked too, with no events).
Cluster scoped(const Ruleset& rules) {
    Cluster c(rules, {{I(1), T("e")}, {I(2), T("e")}, {I(3), T("e")}});
    c.add(I(1), {{"a", "2020-01-01"}, {"b", "2020-01-20"}, {"a", "2020-01-22"}});
    c.add(I(2), {{"a", "2020-01-02", "2020-01-02"},  // revoked (at its own time): not evaluated
                 {"b", "2020-01-03"},
                 {"a", "2020-01-20"},                // same instant as 1's 'b': after it (seller order)
                 {"a", "2020-01-21"}});
    c.add(I(3), {}, false);
    return c;
}

std::vector<std::string> ledger_of(const LinkedSeller& s) {
    std::vector<std::string> out;
    for (const LedgerRow& r : s.ledger) out.push_back(row(r));
    return out;
}

}  // namespace

TEST_CASE("cluster eval §6.2: prior_scope 'cluster' shares the prior record in merged time order") {
    const auto rules = link_rules("cluster", false);
    Cluster c = scoped(*rules);
    c.evaluate(std::nullopt, true);
    CHECK(ledger_of(*c.sellers[0]) == std::vector<std::string>{
                                          "#0 counted prior 0 nth 1 points 3 after 3",
                                          // 2's 'b' at day 3 is 17 days back; 2's 'a' at the same instant comes after
                                          "#1 dismissed prior 0 nth 0 points 0 after 3",
                                          // prior: 2's two 'a'; nth: 1's own 'a' only (day 1 is 21 days back)
                                          "#2 counted prior 2 nth 1 points 3 after 6",
                                      });
    CHECK(ledger_of(*c.sellers[1]) == std::vector<std::string>{
                                          "#0 revoked",
                                          "#1 counted prior 1 nth 1 points 4 after 4",  // 1's 'a' at day 1
                                          "#2 counted prior 0 nth 1 points 3 after 7",
                                          "#3 counted prior 1 nth 2 points 3 after 10",
                                      });
    CHECK(c.sellers[2]->ledger.empty());
    CHECK(c.sellers[0]->ledger[1].note == "b: dismissed, prior record 0 < min_prior 1 (within 10 days)");
    CHECK(c.sellers[1]->ledger[1].note == "b: offence #1 within 10 days, 4 points; track t 0 -> 4");
    CHECK(c.sellers[1]->ledger[0].note.empty());
    CHECK_FALSE(c.sellers[1]->ledger[1].sanction);

    // Standings as of a time: events after it are not evaluated.
    c.evaluate(at("2020-01-20"), false);
    CHECK(standing(*c.sellers[0]) ==
          "1: closure NULL own NULL linked NULL by NULL cluster 1 points 3 offences 1 dismissed 1");
    CHECK(standing(*c.sellers[1]) ==
          "2: closure NULL own NULL linked NULL by NULL cluster 1 points 7 offences 2 dismissed 0");
    CHECK(standing(*c.sellers[2]) ==
          "3: closure NULL own NULL linked NULL by NULL cluster 1 points 0 offences 0 dismissed 0");
    // As of day 3 the revocation of day 2 applies (revoked_at <= as_of).
    c.evaluate(at("2020-01-03"), false);
    CHECK(standing(*c.sellers[1]) ==
          "2: closure NULL own NULL linked NULL by NULL cluster 1 points 4 offences 1 dismissed 0");
}

TEST_CASE("cluster eval §6.2: with prior_scope 'seller' each seller has its own prior record") {
    const auto rules = link_rules("seller", false);
    Cluster c = scoped(*rules);
    c.evaluate(std::nullopt, true);
    CHECK(ledger_of(*c.sellers[0]) == std::vector<std::string>{
                                          "#0 counted prior 0 nth 1 points 3 after 3",
                                          "#1 dismissed prior 0 nth 0 points 0 after 3",
                                          "#2 counted prior 0 nth 1 points 3 after 6",
                                      });
    CHECK(ledger_of(*c.sellers[1]) == std::vector<std::string>{
                                          "#0 revoked",
                                          "#1 dismissed prior 0 nth 0 points 0 after 0",
                                          "#2 counted prior 0 nth 1 points 3 after 3",
                                          "#3 counted prior 1 nth 2 points 3 after 6",
                                      });
}

TEST_CASE("cluster eval §6.2: in a cluster, events at one instant go by seller_id (BINARY), then the seller's order") {
    const auto rules = link_rules("cluster", false);
    // 'b' needs a prior record: at one instant, what comes before it decides.
    Cluster c(*rules, {{I(2), T("e")}, {T("1"), T("e")}, {R(1.5), T("e")}});
    c.add(R(1.5), {{"a", "2020-01-05"}, {"b", "2020-01-05"}});
    c.add(I(2), {{"b", "2020-01-01"}, {"b", "2020-01-05"}, {"a", "2020-01-05"}});
    c.add(T("1"), {{"b", "2020-01-05"}});
    c.evaluate(std::nullopt, true);
    // Merged order: 2's b@1 (dismissed), then at day 5: 1.5's a, 1.5's b (prior 1),
    // 2's b (prior 2), 2's a, then '1''s b (prior 4).
    CHECK(ledger_of(*c.sellers[0]) == std::vector<std::string>{
                                          "#0 counted prior 0 nth 1 points 3 after 3",
                                          "#1 counted prior 1 nth 1 points 4 after 7",
                                      });
    CHECK(ledger_of(*c.sellers[1]) == std::vector<std::string>{
                                          "#0 dismissed prior 0 nth 0 points 0 after 0",
                                          "#1 counted prior 2 nth 1 points 4 after 4",
                                          "#2 counted prior 3 nth 1 points 3 after 7",
                                      });
    CHECK(ledger_of(*c.sellers[2]) == std::vector<std::string>{
                                          "#0 counted prior 4 nth 1 points 4 after 4",
                                      });
}
