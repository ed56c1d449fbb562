// seller_scan.hpp — a source read seller by seller: what penalty_ledger and
// penalty_standings share. Reads the connection's settings once per query
// (core/settings.hpp): a whole source is streamed in seller order
// (SourceReader) or read once and sorted (core/event_sort.hpp), on one
// connection or several (parallel_read.hpp), as read_plan.hpp chooses;
// seller_id = ? always streams. The query's one
// WorkerPool (threads - 1 workers; none for one seller) serves the sort and
// standings_pipeline.hpp. Every row read is checked (docs/model.md §3.1,
// §3a), rows after as_of too.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/engine.hpp"
#include "core/event_sort.hpp"
#include "core/seller_batch.hpp"
#include "core/worker_pool.hpp"
#include "sqlite/base/connection.hpp"
#include "sqlite/base/statement.hpp"
#include "sqlite/read/source_reader.hpp"

namespace penalty::glue {

class SellerScan {
public:
    // Loads the ruleset named by the argument `ruleset` and starts reading
    // the source named by `source` (only seller_id = `seller` when it is
    // not null). Revocations at or before `revocations_until` apply
    // (nullopt: every revocation). Throws Error / SqliteError.
    void start(Connection& conn, sqlite3_value* ruleset, sqlite3_value* source, sqlite3_value* seller,
               std::optional<Time> revocations_until);

    // Moves to the next seller with a fresh evaluator; false at the end.
    bool next_seller();
    // Or reads the next seller's events into `out` (for evaluation
    // elsewhere: standings_pipeline.hpp); false at the end.
    bool read(SellerBatch& out);

    // Whether `e` of the current seller is revoked (§3a): never evaluated.
    bool revoked(const Event& e) const { return batch_.revoked(e, revocations_until_); }

    // Evaluates the next event of the current seller (in batch() order)
    // that is not revoked.
    const LedgerEntry& push(const Event& e) { return ev_->push(e.at, e.code, batch_.points_of(e)); }

    const SellerBatch& batch() const { return batch_; }
    const Ruleset& rules() const { return *rules_; }
    const Evaluator& evaluator() const { return *ev_; }
    std::shared_ptr<const Ruleset> shared_rules() const { return rules_; }
    // The query's workers (threads - 1, or none for one seller), started
    // on first use: a streamed ledger starts none.
    WorkerPool& workers();
    WorkerPool* pool_if_started() { return pool_.get(); }

private:
    bool read_parallel(sqlite3* db, const SourceQuery& q, const Settings& settings);
    std::function<void()> interrupt_poll(sqlite3* db, const std::string& source);

    std::shared_ptr<const Ruleset> rules_;
    std::optional<Evaluator> ev_;
    SourceReader reader_;
    EventSorter sorted_;
    bool sorting_ = false;  // reading through sorted_
    SellerBatch batch_;
    std::optional<Time> revocations_until_;
    unsigned workers_ = 0;  // the query's number of workers
    std::unique_ptr<WorkerPool> pool_;
    Statement probe_;  // SELECT 1 on the caller's connection: interrupt_poll
};

}  // namespace penalty::glue
