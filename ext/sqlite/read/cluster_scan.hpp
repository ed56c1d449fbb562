// cluster_scan.hpp — reading a source with a links source (docs/model.md
// §6): what penalty_standings and penalty_ledger do when given `links`.
// Sellers are evaluated cluster by cluster (core/cluster_eval.hpp).
//
// A cluster's sellers are not next to each other in the source's order, so
// the whole source is read into memory first, through SellerScan
// (seller_scan.hpp) as without links: the read strategy, memory_budget
// (spilled runs), threads and the parallel read of the connection's
// settings apply alike, and a bad row gives the same error. The sellers
// read (in SQLite's order of seller_id) are merged with the sellers only in
// links (sorted once into that order); the clusters are then grouped by
// cluster id (a vector, no hash table) and evaluated on the query's
// workers (threads - 1; none with threads = 1), in parts of whole clusters.
// The rows and every value are those of one thread, in SQLite's order of
// seller_id; an error of evaluation is the one the first failing cluster
// (clusters ordered by their first seller) throws, as on one thread. With
// seller_id = ? only that seller's cluster is read: its links by look-ups,
// its members' events by seller_id, evaluated on the connection's thread.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/cluster_eval.hpp"
#include "core/link_graph.hpp"
#include "core/worker_pool.hpp"
#include "sqlite/base/connection.hpp"
#include "sqlite/read/seller_scan.hpp"
#include "sqlite/read/source_reader.hpp"

namespace penalty::glue {

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
    void read_cluster_events(Connection& conn, std::string_view source, sqlite3_value* seller,
                             std::optional<Time> as_of);
    void add_link_sellers(std::vector<std::uint32_t> link_sellers);
    void group_clusters();
    void evaluate(WorkerPool* pool, std::optional<Time> as_of, bool ledger);

    std::shared_ptr<const Ruleset> rules_;
    LinkGraph graph_;
    std::vector<LinkedSeller> sellers_;
    SellerScan scan_;       // a whole source
    SourceReader reader_;   // seller_id = ?: the cluster's members one by one
    // The clusters: unit u is members_[unit_begin_[u] .. unit_begin_[u + 1]),
    // its sellers in SQLite's order; units ordered by their first seller.
    std::vector<LinkedSeller*> members_;
    std::vector<std::size_t> unit_begin_;
};

}  // namespace penalty::glue
