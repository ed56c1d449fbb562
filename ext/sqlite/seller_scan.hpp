// seller_scan.hpp — a source read seller by seller, each seller evaluated
// by the engine: what penalty_ledger and penalty_standings share.
//
// A whole source is read with the strategy read_plan.hpp chooses from the
// connection's read_strategy setting: streamed in seller order through
// SourceReader (one seller's events in memory at a time), or read once in
// storage order and sorted (SortedSource, within the memory_budget
// setting); seller_id = ? always streams. Each seller's events go through
// one Evaluator, reset between sellers. Every row read is checked by the reader (docs/model.md §3a),
// also rows after as_of: an event whose code the ruleset lacks (§3.1) is an
// error as soon as it is read, unless it is revoked.
#pragma once

#include <memory>
#include <optional>

#include "../core/engine.hpp"
#include "connection.hpp"
#include "sorted_source.hpp"
#include "source_reader.hpp"

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
    bool revoked(const Event& e) const { return is_revoked(batch_, e, revocations_until_); }
    // Whether `e` of `b` is revoked at `until` (nullopt: by any revoked_at).
    static bool is_revoked(const SellerBatch& b, const Event& e, std::optional<Time> until) {
        if (b.revoked_at.empty()) return false;  // no revoked_at column
        const std::optional<Time> r = b.revoked_at[e.seq];
        return r && (!until || *r <= *until);
    }

    // Evaluates the next event of the current seller (in batch() order)
    // that is not revoked.
    const LedgerEntry& push(const Event& e) { return ev_->push(e.at, e.code, batch_.points_of(e)); }

    const SellerBatch& batch() const { return batch_; }
    const Ruleset& rules() const { return *rules_; }
    const Evaluator& evaluator() const { return *ev_; }
    std::shared_ptr<const Ruleset> shared_rules() const { return rules_; }

private:
    std::shared_ptr<const Ruleset> rules_;
    std::optional<Evaluator> ev_;
    SourceReader reader_;
    SortedSource sorted_;
    bool sorting_ = false;  // reading through sorted_
    SellerBatch batch_;
    std::optional<Time> revocations_until_;
};

}  // namespace penalty::glue
