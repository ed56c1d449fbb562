// cluster_eval.hpp — evaluating one cluster of linked sellers (docs/model.md
// §6): prior_scope = 'cluster' (one prior record shared in one merged
// order), the standings as of T, and closures through links.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/engine.hpp"
#include "core/link_graph.hpp"
#include "core/seller_batch.hpp"
#include "core/standing_output.hpp"

namespace penalty {

// One event's ledger row with links.
struct LedgerRow {
    std::size_t event = 0;  // index into the seller's batch events
    bool revoked = false;
    LedgerEntry entry;
    std::string note;
    std::optional<std::string> sanction;  // the highest threshold fired
};

// One seller's figures with links.
struct LinkedSeller {
    ValueKey seller;
    std::unique_ptr<SellerBatch> batch;  // its events; null when it is only in links
    std::int64_t link_id = -1;           // in the LinkGraph, or -1
    // Standings (as of T): result.standing.closure_at and result.reason are
    // those of a closure through a link when it comes first (§6).
    StandingResult result;
    std::optional<Time> own_closure;     // by its own events
    ValueKey cluster;
    std::optional<Time> linked_closure;  // of another member, by that member's own events
    std::optional<ValueKey> linked_seller;
    // Ledger: one row per event, in time order.
    std::vector<LedgerRow> ledger;
};

// Evaluates the sellers of one cluster (`unit`, in SQLite's order of
// seller_id; a seller in no links row is a cluster of its own) as of
// `as_of` (nullopt: every event and revocation, for the ledger). `ledger`:
// fill every seller's ledger rows; else their standings (as_of required)
// and closures through links.
//
// Writes only into the sellers of `unit` (and reads `rules` and `graph`,
// both const): clusters may be evaluated on several threads at once
// (cluster_scan.hpp), each unit by one thread. Throws Error.
void evaluate_cluster(const Ruleset& rules, const LinkGraph& graph, std::span<LinkedSeller* const> unit,
                      std::optional<Time> as_of, bool ledger);

}  // namespace penalty
