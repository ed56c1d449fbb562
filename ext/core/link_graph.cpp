// link_graph.cpp — clusters of linked sellers (link_graph.hpp).
#include "core/link_graph.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <unordered_set>

#include "core/error.hpp"

namespace penalty {

bool links_row(const ValueView& seller, const ValueView& entity, std::string_view links) {
    if (entity.kind == Kind::Null) return false;
    if (seller.kind == Kind::Null)
        throw Error(fmt::format("links {}, row with entity = {}: seller_id is NULL", links, sql_literal(entity)));
    return true;
}

namespace {

// Compressed adjacency: for each of n nodes, the targets of its pairs.
void adjacency(std::size_t n, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& pairs, bool reverse,
               std::vector<std::uint32_t>& begin, std::vector<std::uint32_t>& targets) {
    begin.assign(n + 1, 0);
    for (const auto& [a, b] : pairs) ++begin[(reverse ? b : a) + 1];
    for (std::size_t k = 0; k < n; ++k) begin[k + 1] += begin[k];
    targets.resize(pairs.size());
    std::vector<std::uint32_t> at(begin.begin(), begin.end() - 1);
    for (const auto& [a, b] : pairs) targets[at[reverse ? b : a]++] = reverse ? a : b;
}

}  // namespace

void LinkGraph::add(const ValueView& seller, const ValueView& entity) {
    if (last_seller_ == KeyTable::npos || !sellers_.is(last_seller_, seller)) last_seller_ = sellers_.intern(seller);
    const std::uint32_t s = last_seller_;
    const std::uint32_t e = entities_.intern(entity);
    edges_.emplace_back(s, e);
}

std::int64_t LinkGraph::find_seller(const ValueView& v) const {
    const std::uint32_t id = sellers_.find(v);
    return id == KeyTable::npos ? -1 : static_cast<std::int64_t>(id);
}

std::uint32_t LinkGraph::root(std::uint32_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];  // path halving
    return x;
}

std::vector<std::uint32_t> LinkGraph::sorted_sellers() const {
    const auto ns = static_cast<std::uint32_t>(sellers_.size());
    std::vector<std::uint32_t> out(ns);
    if (sellers_.all_integers()) {
        // All INTEGERs: sort (value, id) pairs, no key look-ups.
        std::vector<std::pair<std::int64_t, std::uint32_t>> by_value(ns);
        for (std::uint32_t s = 0; s < ns; ++s) by_value[s] = {sellers_.integer(s), s};
        std::sort(by_value.begin(), by_value.end());
        for (std::uint32_t k = 0; k < ns; ++k) out[k] = by_value[k].second;
        return out;
    }
    for (std::uint32_t s = 0; s < ns; ++s) out[s] = s;
    std::sort(out.begin(), out.end(), [&](std::uint32_t a, std::uint32_t b) { return sellers_.compare(a, b) < 0; });
    return out;
}

void LinkGraph::finish() {
    // Entities are looked up no more: their id table goes before the rest
    // is allocated (a lower peak).
    entities_.seal();
    sellers_.shrink();
    const auto ns = static_cast<std::uint32_t>(sellers_.size());
    const auto ne = static_cast<std::uint32_t>(entities_.size());
    // Disjoint sets over sellers [0, ns) and entities [ns, ns + ne), union by size.
    parent_.resize(ns + ne);
    for (std::uint32_t x = 0; x < ns + ne; ++x) parent_[x] = x;
    {
        std::vector<std::uint32_t> weight(ns + ne, 1);
        for (const auto& [s, e] : edges_) {
            std::uint32_t a = root(s), b = root(ns + e);
            if (a == b) continue;
            if (weight[a] < weight[b]) std::swap(a, b);
            parent_[b] = a;
            weight[a] += weight[b];
        }
    }
    // Sellers in SQLite's order, grouped by their set: the first of each
    // group names the cluster.
    sorted_ = sorted_sellers();
    const std::vector<std::uint32_t>& sorted = sorted_;
    {
        std::vector<std::uint32_t> name_of_root(ns + ne, UINT32_MAX);
        cluster_.resize(ns);
        for (std::uint32_t s : sorted) {
            std::uint32_t& name = name_of_root[root(s)];
            if (name == UINT32_MAX) name = s;
            cluster_[s] = name;
        }
        cluster_entities_.assign(ns, 0);
        for (std::uint32_t e = 0; e < ne; ++e) {
            const std::uint32_t name = name_of_root[root(ns + e)];
            if (name != UINT32_MAX) ++cluster_entities_[name];
        }
    }
    parent_.clear();
    parent_.shrink_to_fit();
    // Grouped by cluster, clusters in the order of their names, each in
    // SQLite's order (a stable counting sort of `sorted` by cluster name).
    first_.assign(ns, 0);
    size_.assign(ns, 0);
    for (std::uint32_t s : sorted) ++size_[cluster_[s]];
    std::uint32_t at = 0;
    for (std::uint32_t s : sorted)
        if (cluster_[s] == s) {
            first_[s] = at;
            at += size_[s];
        }
    order_.resize(ns);
    {
        std::vector<std::uint32_t> next(first_);
        for (std::uint32_t s : sorted) order_[next[cluster_[s]]++] = s;
    }
    adjacency(ns, edges_, false, seller_edges_begin_, seller_edges_);
    adjacency(ne, edges_, true, entity_edges_begin_, entity_edges_);
    edges_.clear();
    edges_.shrink_to_fit();
}

std::span<const std::uint32_t> LinkGraph::members(std::uint32_t s) const {
    const std::uint32_t c = cluster_[s];
    return {order_.data() + first_[c], size_[c]};
}

LinkGraph::PathsTo LinkGraph::paths_to(std::uint32_t to) const {
    // Breadth-first from `to` over sellers; each step crosses one entity.
    PathsTo out;
    out.graph_ = this;
    out.to_ = to;
    std::unordered_set<std::uint32_t> entity_seen;  // the cluster's only: not a bitmap of every entity
    std::deque<std::uint32_t> queue{to};
    out.next_.emplace(to, std::make_pair(to, 0u));
    while (!queue.empty()) {
        const std::uint32_t s = queue.front();
        queue.pop_front();
        for (std::uint32_t k = seller_edges_begin_[s]; k < seller_edges_begin_[s + 1]; ++k) {
            const std::uint32_t e = seller_edges_[k];
            if (!entity_seen.insert(e).second) continue;
            for (std::uint32_t j = entity_edges_begin_[e]; j < entity_edges_begin_[e + 1]; ++j)
                if (out.next_.emplace(entity_edges_[j], std::make_pair(s, e)).second) queue.push_back(entity_edges_[j]);
        }
    }
    return out;
}

std::vector<ValueKey> LinkGraph::PathsTo::path(std::uint32_t from) const {
    std::vector<ValueKey> out;
    if (!next_.count(from)) return out;
    for (std::uint32_t s = from; s != to_; s = next_.at(s).first) out.push_back(graph_->entities_.key(next_.at(s).second));
    return out;
}

}  // namespace penalty
