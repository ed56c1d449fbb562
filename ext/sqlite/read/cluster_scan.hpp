// cluster_scan.hpp — reading a source with a links source (docs/model.md
// §6): what penalty_standings and penalty_ledger do when given `links`.
// Sellers are evaluated cluster by cluster (core/cluster_eval.hpp).
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

#include "core/cluster_eval.hpp"
#include "core/link_graph.hpp"
#include "sqlite/base/connection.hpp"
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
    void read_events(Connection& conn, std::string_view source, sqlite3_value* seller, std::optional<Time> as_of);

    std::shared_ptr<const Ruleset> rules_;
    LinkGraph graph_;
    std::vector<LinkedSeller> sellers_;
};

}  // namespace penalty::glue
