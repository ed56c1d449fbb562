// standings_pipeline.hpp — the sellers of penalty_standings, read on the
// connection's thread and evaluated on worker threads, handed out in the
// order they were read (penalty_config 'threads', settings.hpp).
//
// The connection's thread reads sellers (SellerScan: every SQLite call
// stays on it) into chunks of at most kSellers sellers or kEvents events
// and submits each chunk to a WorkerPool (worker_pool.hpp); a worker
// evaluates the chunk's sellers with the chunk's own Evaluator. next()
// waits for the oldest chunk and hands its sellers out in order, and a
// chunk consumed is filled again and resubmitted, so reading, evaluating
// and the caller's work on the rows overlap. Up to 2 × workers + 1 chunks
// are in flight.
//
// The rows, their order, every value and every error are those of one
// thread: an error met while reading (a bad row) is kept with the chunk and
// thrown after the sellers read before it have been handed out; an error
// of evaluation is thrown when its seller's turn comes. With 0 workers
// (threads = 1, or one seller pushed down) the same chunks are evaluated on
// the calling thread.
#pragma once

#include <atomic>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/engine.hpp"
#include "core/standing_output.hpp"
#include "core/worker_pool.hpp"
#include "sqlite/read/seller_scan.hpp"

namespace penalty::glue {

class StandingsPipeline {
public:
    static constexpr std::size_t kSellers = 256, kEvents = 32768;

    StandingsPipeline();
    ~StandingsPipeline();  // stops the workers (what they were doing is dropped)
    StandingsPipeline(const StandingsPipeline&) = delete;
    StandingsPipeline& operator=(const StandingsPipeline&) = delete;

    // Starts reading as SellerScan::start does, evaluating on the scan's
    // workers. Throws Error / SqliteError from the start of the read.
    void start(Connection& conn, sqlite3_value* ruleset, sqlite3_value* source, sqlite3_value* seller, Time as_of);

    // Moves to the next seller; false at the end. Throws the error met
    // before it (see above).
    bool next();

    const SellerBatch& batch() const;
    const StandingResult& result() const;
    const Ruleset& rules() const { return scan_.rules(); }

private:
    struct Chunk;

    void stop();             // cancels the chunks in flight and waits for them
    bool fill(Chunk& c);     // reads the next sellers into c; false when none (and no error)

    SellerScan scan_;
    std::vector<std::unique_ptr<Chunk>> chunks_;  // a ring, consumed from head_
    std::size_t head_ = 0, pos_ = 0, in_flight_ = 0;
    bool waited_ = false;    // the head chunk has run
    bool ended_ = true;      // nothing more to read
    Time as_of_ = 0;
    std::atomic<bool> cancel_{false};
};

}  // namespace penalty::glue
