// seller_scan.hpp — a source read seller by seller, each seller evaluated
// by the engine: what penalty_ledger and penalty_standings share.
//
// The source is read through SourceReader (one seller's events in memory
// at a time); each seller's events go through one Evaluator, reset between
// sellers. An event whose code the ruleset lacks is an error when it is
// evaluated (docs/model.md §3.1), not when it is read.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "../core/engine.hpp"
#include "connection.hpp"
#include "source_reader.hpp"

namespace penalty::glue {

class SellerScan {
public:
    // Loads the ruleset and starts reading `source` (only seller_id =
    // `seller` when it is not null). Throws Error / SqliteError.
    void start(Connection& conn, std::string_view ruleset, std::string_view source, sqlite3_value* seller);

    // Moves to the next seller with a fresh evaluator; false at the end.
    bool next_seller();

    // Evaluates the next event of the current seller (in batch() order).
    const LedgerEntry& push(const Event& e);

    const SellerBatch& batch() const { return batch_; }
    const Ruleset& rules() const { return *rules_; }
    const Evaluator& evaluator() const { return *ev_; }

private:
    std::shared_ptr<const Ruleset> rules_;
    std::optional<Evaluator> ev_;
    SourceReader reader_;
    SellerBatch batch_;
};

}  // namespace penalty::glue
