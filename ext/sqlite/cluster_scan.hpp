// cluster_scan.hpp — evaluating a source with a links source
// (docs/model.md §6): what penalty_standings and penalty_ledger do when
// given `links`.
//
// Sellers are evaluated cluster by cluster. With prior_scope = 'cluster'
// the events of a cluster are pushed in one merged order (occurred_at,
// then seller_id in SQLite's order, then the seller's own tie order) into
// one evaluator per seller that share one prior record; otherwise each
// seller is evaluated alone. Then every seller gets the earliest closure at
// or before as_of of another member of its cluster by that member's own
// events (linked_closure_at, linked_seller), which closes it too when
// link_closes = 1.
//
// A cluster's sellers are not next to each other in the source's order, so
// the whole source is read into memory first (one seller's events at a time
// without links: seller_scan.hpp). With seller_id = ? only that seller's
// cluster is read: its links by look-ups, its members' events by seller_id.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../core/engine.hpp"
#include "../core/link_graph.hpp"
#include "connection.hpp"
#include "source_reader.hpp"

namespace penalty::glue {

// One event's ledger row, for penalty_ledger with links.
struct LedgerRow {
    std::size_t event = 0;      // index into the seller's batch events
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
    // Standings (as of T):
    Standing standing;
    std::string tracks;
    std::optional<std::string> sanction, sanction_until, closure_at, reason;
    std::optional<Time> own_closure;     // by its own events
    ValueKey cluster;
    std::optional<Time> linked_closure;  // of another member, by that member's own events
    std::optional<ValueKey> linked_seller;
    // Ledger: one row per event, in time order.
    std::vector<LedgerRow> ledger;
};

class ClusterScan {
public:
    // Reads and evaluates. `as_of` cuts events and revocations (nullopt:
    // none, for the ledger without as_of); `seller` non-null: only that
    // seller's cluster. `ledger`: keep every event's row. Throws Error /
    // SqliteError.
    void run(Connection& conn, sqlite3_value* ruleset, sqlite3_value* source, sqlite3_value* links,
             std::optional<Time> as_of, sqlite3_value* seller, bool ledger);

    // Every seller of the source or of links (only the one asked for, with
    // seller_id = ?), in SQLite's order of seller_id.
    const std::vector<LinkedSeller>& sellers() const { return sellers_; }
    const Ruleset& rules() const { return *rules_; }

private:
    void evaluate(std::vector<LinkedSeller*>& unit, std::optional<Time> as_of, bool ledger);
    std::string linked_reason(const LinkedSeller& s, const LinkedSeller& closer,
                              const std::vector<ValueKey>& path) const;

    std::shared_ptr<const Ruleset> rules_;
    LinkGraph graph_;
    std::vector<LinkedSeller> sellers_;
};

}  // namespace penalty::glue
