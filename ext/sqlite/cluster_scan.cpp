// cluster_scan.cpp — evaluating a source with links (cluster_scan.hpp).
#include "cluster_scan.hpp"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "../core/standing_output.hpp"
#include "links_reader.hpp"
#include "values.hpp"

namespace penalty::glue {

namespace {

bool is_revoked(const SellerBatch& b, const Event& e, std::optional<Time> cut) {
    const std::optional<Time> r = b.revoked_of(e);
    return r && (!cut || *r <= *cut);
}

}  // namespace

void ClusterScan::run(Connection& conn, sqlite3_value* ruleset, sqlite3_value* source, sqlite3_value* links,
                      std::optional<Time> as_of, sqlite3_value* seller, bool ledger) {
    const std::string_view rules_name = text_arg(ruleset, "ruleset");
    const std::string_view source_name = text_arg(source, "source");
    const std::string_view links_name = text_arg(links, "links");
    rules_ = conn.ruleset(rules_name);
    sellers_.clear();
    graph_ = seller ? read_cluster(conn.db(), links_name, seller) : read_links(conn.db(), links_name);

    // The events: every seller's, or those of the asked seller's cluster.
    SourceReader reader;
    auto read_one = [&]() {
        auto batch = std::make_unique<SellerBatch>();
        if (!reader.next(*rules_, as_of, *batch)) return false;
        LinkedSeller s;
        s.seller = ValueKey::of(view_of(batch->seller));
        s.batch = std::move(batch);
        sellers_.push_back(std::move(s));
        return true;
    };
    std::int64_t asked = -1;
    if (seller) {
        const ValueKey key = ValueKey::of(view_of(seller));
        asked = graph_.find_seller(key);
        if (asked < 0) {
            reader.start(conn.db(), source_name, seller);
            read_one();
        } else {
            for (std::uint32_t m : graph_.members(static_cast<std::uint32_t>(asked))) {
                reader.start(conn.db(), source_name, graph_.seller(m).view());
                read_one();
            }
        }
    } else {
        reader.start(conn.db(), source_name, static_cast<sqlite3_value*>(nullptr));
        while (read_one()) {
        }
    }
    // Sellers only in links are listed too; all in SQLite's order.
    std::unordered_map<ValueKey, std::size_t, ValueKeyHash> index;
    for (std::size_t k = 0; k < sellers_.size(); ++k) index.emplace(sellers_[k].seller, k);
    const auto link_sellers = seller && asked >= 0 ? graph_.members(static_cast<std::uint32_t>(asked))
                                                   : graph_.ordered();
    for (std::uint32_t id : link_sellers)
        if (!index.count(graph_.seller(id))) {
            LinkedSeller s;
            s.seller = graph_.seller(id);
            sellers_.push_back(std::move(s));
        }
    std::sort(sellers_.begin(), sellers_.end(),
              [](const LinkedSeller& a, const LinkedSeller& b) { return compare(a.seller, b.seller) < 0; });
    for (LinkedSeller& s : sellers_) s.link_id = graph_.find_seller(s.seller);

    // Cluster by cluster (a seller in no link row is a cluster of its own).
    std::unordered_map<std::uint32_t, std::vector<LinkedSeller*>> clusters;
    std::vector<std::vector<LinkedSeller*>> units;
    for (LinkedSeller& s : sellers_) {
        if (s.link_id < 0) units.push_back({&s});
        else clusters[graph_.cluster(static_cast<std::uint32_t>(s.link_id))].push_back(&s);
    }
    for (auto& [name, members] : clusters) units.push_back(std::move(members));
    for (auto& unit : units) evaluate(unit, as_of, ledger);

    if (seller) {  // only the asked seller's row
        const ValueKey key = ValueKey::of(view_of(seller));
        std::erase_if(sellers_, [&](const LinkedSeller& s) { return !(s.seller == key); });
    }
}

void ClusterScan::evaluate(std::vector<LinkedSeller*>& unit, std::optional<Time> as_of, bool ledger) {
    const Ruleset& r = *rules_;
    const bool shared_prior = r.prior_scope_cluster && unit.size() > 1;
    Evaluator::SharedRecord shared;
    std::vector<std::unique_ptr<Evaluator>> evs(unit.size());
    // (member, event) in evaluation order: one merged order for a shared
    // prior record (time, then seller, then the seller's own order).
    std::vector<std::pair<std::size_t, std::size_t>> order;
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
        const bool revoked = is_revoked(b, e, as_of);
        if (revoked) {
            if (ledger) unit[m]->ledger.push_back({k, true, {}, {}, {}});
            continue;
        }
        const LedgerEntry& entry = evs[m]->push(e.at, e.code, b.points_of(e));
        if (!ledger) continue;
        const auto fired = evs[m]->fired();
        unit[m]->ledger.push_back({k, false, entry, evs[m]->note(entry, e.at, e.code),
                                   fired.empty() ? std::nullopt
                                                 : std::optional<std::string>(fired.back().threshold->sanction)});
    }
    if (ledger || !as_of) return;

    // Standings as of T, then closures through links (§6).
    const Time T = *as_of;
    for (std::size_t m = 0; m < unit.size(); ++m) {
        LinkedSeller& s = *unit[m];
        if (evs[m]) {
            s.standing = evs[m]->standing(T);
            s.reason = reason_text(*evs[m], s.standing);
        } else {
            s.standing.track_points.assign(r.tracks.size(), 0);
        }
        s.tracks = tracks_json(r, s.standing);
        s.sanction = sanction_text(s.standing);
        s.sanction_until = sanction_until_text(s.standing);
        s.closure_at = closure_at_text(s.standing);
        s.own_closure = s.standing.closure_at;
        s.cluster = s.link_id >= 0 ? graph_.seller(graph_.cluster(static_cast<std::uint32_t>(s.link_id))) : s.seller;
    }
    // The two earliest own closures (ties: the smaller seller; unit is in
    // seller order): every member's linked closure is the first of them,
    // the first's own is the second.
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
    // Closed through a link: those whose linked closure comes before their
    // own. Reasons name the entities on a shortest path to the closer (one
    // search per closer: at most two).
    std::optional<LinkGraph::PathsTo> to_first, to_second;
    for (LinkedSeller* s : unit) {
        if (!s->linked_closure || (s->own_closure && *s->own_closure <= *s->linked_closure)) continue;
        const LinkedSeller& closer = s == first ? *second : *first;
        auto& paths = s == first ? to_second : to_first;
        if (!paths) paths = graph_.paths_to(static_cast<std::uint32_t>(closer.link_id));
        s->closure_at = format_timestamp(*s->linked_closure);
        s->reason = linked_reason(*s, closer, paths->path(static_cast<std::uint32_t>(s->link_id)));
    }
}

std::string ClusterScan::linked_reason(const LinkedSeller& s, const LinkedSeller& closer,
                                       const std::vector<ValueKey>& path) const {
    std::string through;
    for (const ValueKey& e : path) through += fmt::format("{}{}", through.empty() ? "" : ", ", sql_literal(e.view()));
    return fmt::format("closed at {}: linked to seller {} through {} {} ({})", format_timestamp(*s.linked_closure),
                       sql_literal(closer.seller.view()), path.size() == 1 ? "entity" : "entities", through,
                       closer.reason ? *closer.reason : std::string());
}

}  // namespace penalty::glue
