// cluster_eval.cpp — one cluster of linked sellers (cluster_eval.hpp).
#include "core/cluster_eval.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace penalty {

namespace {

// Pushes the events of `unit` up to as_of into one evaluator per seller
// (§6: with prior_scope = 'cluster' they share one prior record, in one
// merged order: time, then seller, then the seller's own order); with
// `ledger`, keeps each event's row.
std::vector<std::unique_ptr<Evaluator>> push_events(const Ruleset& r, std::span<LinkedSeller* const> unit,
                                                    std::optional<Time> as_of, bool ledger,
                                                    Evaluator::SharedRecord& shared) {
    const bool shared_prior = r.prior_scope_cluster && unit.size() > 1;
    std::vector<std::unique_ptr<Evaluator>> evs(unit.size());
    std::vector<std::pair<std::size_t, std::size_t>> order;  // (member, event) in evaluation order
    for (std::size_t m = 0; m < unit.size(); ++m) {
        if (!unit[m]->batch) continue;
        evs[m] = std::make_unique<Evaluator>(r);
        evs[m]->reset(unit[m]->batch->anchor, shared_prior ? &shared : nullptr);
        const auto& events = unit[m]->batch->events;
        for (std::size_t k = 0; k < events.size() && (!as_of || events[k].at <= *as_of); ++k) order.emplace_back(m, k);
    }
    if (shared_prior)
        std::stable_sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
            return unit[a.first]->batch->events[a.second].at < unit[b.first]->batch->events[b.second].at;
        });
    for (const auto& [m, k] : order) {
        const SellerBatch& b = *unit[m]->batch;
        const Event& e = b.events[k];
        if (b.revoked(e, as_of)) {
            if (ledger) unit[m]->ledger.push_back({k, true, {}, {}, {}});
            continue;
        }
        const LedgerEntry& entry = evs[m]->push(e.at, e.code, b.points_of(e));
        if (!ledger) continue;
        const auto fired = evs[m]->fired();
        unit[m]->ledger.push_back({k, false, entry, evs[m]->note(entry, e.at, e.code),
                                   fired.empty() ? std::nullopt
                                                 : std::optional<std::string>(*fired.back().sanction)});
    }
    return evs;
}

std::string linked_reason(const LinkedSeller& s, const LinkedSeller& closer, const std::vector<ValueKey>& path) {
    std::string through;
    for (const ValueKey& e : path) through += fmt::format("{}{}", through.empty() ? "" : ", ", sql_literal(e.view()));
    return fmt::format("closed at {}: linked to seller {} through {} {} ({})", format_timestamp(*s.linked_closure),
                       sql_literal(closer.seller.view()), path.size() == 1 ? "entity" : "entities", through,
                       closer.result.reason ? *closer.result.reason : std::string());
}

// §6: every member's linked closure is the earliest own closure of another
// member (ties: the smaller seller; unit is in seller order); with
// link_closes, a member whose linked closure comes before its own is closed
// then, its reason naming the entities on a shortest path to the closer.
void close_through_links(const Ruleset& r, const LinkGraph& graph, std::span<LinkedSeller* const> unit) {
    // The two earliest own closures: every member's linked closure is the
    // first of them, the first's own is the second.
    const LinkedSeller *first = nullptr, *second = nullptr;
    for (const LinkedSeller* o : unit) {
        if (!o->own_closure) continue;
        if (!first || *o->own_closure < *first->own_closure) {
            second = first;
            first = o;
        } else if (!second || *o->own_closure < *second->own_closure) {
            second = o;
        }
    }
    for (LinkedSeller* s : unit) {
        const LinkedSeller* closer = s == first ? second : first;
        if (!closer) continue;
        s->linked_closure = closer->own_closure;
        s->linked_seller = closer->seller;
    }
    if (!r.link_closes || !first) return;
    // One path search per closer: at most two.
    std::optional<LinkGraph::PathsTo> to_first, to_second;
    for (LinkedSeller* s : unit) {
        if (!s->linked_closure || (s->own_closure && *s->own_closure <= *s->linked_closure)) continue;
        const LinkedSeller& closer = s == first ? *second : *first;
        auto& paths = s == first ? to_second : to_first;
        if (!paths) paths = graph.paths_to(static_cast<std::uint32_t>(closer.link_id));
        s->result.standing.closure_at = s->linked_closure;
        s->result.reason = linked_reason(*s, closer, paths->path(static_cast<std::uint32_t>(s->link_id)));
    }
}

}  // namespace

void evaluate_cluster(const Ruleset& rules, const LinkGraph& graph, std::span<LinkedSeller* const> unit,
                      std::optional<Time> as_of, bool ledger) {
    Evaluator::SharedRecord shared;
    const auto evs = push_events(rules, unit, as_of, ledger, shared);
    if (ledger || !as_of) return;
    for (std::size_t m = 0; m < unit.size(); ++m) {  // standings as of T (§4)
        LinkedSeller& s = *unit[m];
        if (evs[m]) standing_result(*evs[m], *as_of, s.result);
        else s.result.standing.track_points.assign(rules.tracks.size(), 0);
        s.own_closure = s.result.standing.closure_at;
        s.cluster = s.link_id >= 0 ? graph.seller(graph.cluster(static_cast<std::uint32_t>(s.link_id))) : s.seller;
    }
    close_through_links(rules, graph, unit);
}

}  // namespace penalty
