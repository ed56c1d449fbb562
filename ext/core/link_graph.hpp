// link_graph.hpp — linked sellers (docs/model.md §6): the seller–entity
// graph of a links source and its clusters.
//
// Two sellers are linked when they share an entity; a cluster is a
// connected component of that relation. add() takes one links row (rows
// with a NULL entity are the caller's to skip); finish() computes the
// clusters with a disjoint-set forest (union by size, path halving), in
// O(rows · α) time and O(sellers + entities) memory. A cluster is named by
// its smallest seller in SQLite's order (value_key.hpp). Sellers and
// entities are interned in KeyTables (key_table.hpp): 32-bit ids, no
// ValueKey per row or per key.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/key_table.hpp"
#include "core/value_key.hpp"

namespace penalty {

// §6: whether a links row links its seller to its entity. A NULL entity
// links nothing (false: the row is skipped); a NULL seller_id with an
// entity is an Error naming the source `links` (its SQL literal).
bool links_row(const ValueView& seller, const ValueView& entity, std::string_view links);

class LinkGraph {
public:
    // Room for `rows` links rows (a hint: more may be added).
    void reserve(std::size_t rows) { edges_.reserve(rows); }
    // One links row.
    void add(const ValueView& seller, const ValueView& entity);

    // Computes the clusters; call once, after the last add().
    void finish();

    // Seller s: an owned key, or a view valid as long as the graph (after
    // finish(); before it, until the next add()).
    ValueKey seller(std::uint32_t s) const { return sellers_.key(s); }
    ValueView seller_view(std::uint32_t s) const { return sellers_.view(s); }
    std::size_t seller_count() const { return sellers_.size(); }
    // The seller's id, or -1 when it is in no links row.
    std::int64_t find_seller(const ValueKey& k) const { return find_seller(k.view()); }
    std::int64_t find_seller(const ValueView& v) const;

    // After finish(): seller s's cluster (the id of its smallest seller),
    // the cluster's sellers (ascending in SQLite's order) and its number of
    // distinct entities.
    std::uint32_t cluster(std::uint32_t s) const { return cluster_[s]; }
    std::span<const std::uint32_t> members(std::uint32_t s) const;
    // Every seller, by (cluster, SQLite order).
    std::span<const std::uint32_t> ordered() const { return order_; }
    // Every seller, in SQLite's order.
    std::span<const std::uint32_t> sorted() const { return sorted_; }
    std::uint32_t entities(std::uint32_t s) const { return cluster_entities_[cluster_[s]]; }

    // Shortest paths to seller `to` from every seller of its cluster: one
    // breadth-first search; path(from) is then the entities from `from` to
    // `to`, in order (one entity when they share one).
    class PathsTo {
    public:
        std::vector<ValueKey> path(std::uint32_t from) const;

    private:
        friend class LinkGraph;
        const LinkGraph* graph_ = nullptr;
        std::uint32_t to_ = 0;
        std::unordered_map<std::uint32_t, std::pair<std::uint32_t, std::uint32_t>> next_;  // seller -> (seller, entity)
    };
    PathsTo paths_to(std::uint32_t to) const;

private:
    std::uint32_t root(std::uint32_t x);
    // Every seller id, in SQLite's order of the sellers.
    std::vector<std::uint32_t> sorted_sellers() const;

    KeyTable sellers_, entities_;
    std::uint32_t last_seller_ = KeyTable::npos;  // add()'s previous seller: rows often come by seller
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges_;  // (seller, entity), one per row
    std::vector<std::uint32_t> parent_;            // disjoint sets: sellers, then entities
    std::vector<std::uint32_t> cluster_;           // per seller: its cluster's smallest seller
    std::vector<std::uint32_t> order_;             // sellers by (cluster, SQLite order)
    std::vector<std::uint32_t> sorted_;            // sellers in SQLite's order
    std::vector<std::uint32_t> first_, size_;      // per cluster name: its run in order_
    std::vector<std::uint32_t> cluster_entities_;  // per cluster name: distinct entities
    // Adjacency for path(): entities of each seller, sellers of each entity.
    std::vector<std::uint32_t> seller_edges_begin_, seller_edges_, entity_edges_begin_, entity_edges_;
};

}  // namespace penalty
