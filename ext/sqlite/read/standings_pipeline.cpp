// standings_pipeline.cpp — sellers evaluated on worker threads, in order
// (standings_pipeline.hpp).
#include "sqlite/read/standings_pipeline.hpp"


namespace penalty::glue {

// Sellers read together and evaluated by one job.
struct StandingsPipeline::Chunk final : WorkerPool::Job {
    const std::atomic<bool>* cancel = nullptr;
    Time as_of = 0;
    std::shared_ptr<const Ruleset> rules;     // kept alive while the job may run
    std::shared_ptr<const Ruleset> ev_rules;  // ev's, held: a new ruleset never reuses its address
    std::optional<Evaluator> ev;
    std::vector<std::unique_ptr<SellerBatch>> batches;  // the first `size` are this chunk's
    std::vector<StandingResult> results;
    std::size_t size = 0;
    std::exception_ptr read_error;  // met reading the seller after the `size` read
    std::exception_ptr eval_error;  // met evaluating seller `failed`
    std::size_t failed = SIZE_MAX;

    void run() noexcept override {
        std::size_t k = 0;
        try {
            if (!ev || ev_rules != rules) {
                ev.emplace(*rules);
                ev_rules = rules;
            }
            if (results.size() < size) results.resize(size);
            for (; k < size && !cancel->load(std::memory_order_relaxed); ++k)
                evaluate_standing(*ev, *batches[k], as_of, results[k]);
        } catch (...) {
            eval_error = std::current_exception();
            failed = k;
        }
    }
};

StandingsPipeline::StandingsPipeline() = default;  // no allocation: made in xOpen, which must not throw

StandingsPipeline::~StandingsPipeline() { stop(); }

void StandingsPipeline::stop() {
    cancel_ = true;
    // Every chunk, not only those counted in flight: an exception between
    // taking a chunk back and resubmitting it leaves the count behind. A
    // chunk not submitted is waited for at once.
    // Null entries: out of memory while start() made the chunks, or the pool.
    if (WorkerPool* pool = scan_.pool_if_started())
        for (auto& c : chunks_)
            if (c) pool->wait(*c);
    in_flight_ = 0;
    cancel_ = false;
}

void StandingsPipeline::start(Connection& conn, sqlite3_value* ruleset, sqlite3_value* source, sqlite3_value* seller,
                              Time as_of) {
    stop();
    ended_ = true;
    scan_.start(conn, ruleset, source, seller, as_of);
    const std::size_t slots = 2 * std::size_t{scan_.workers().workers()} + 1;
    chunks_.resize(slots);
    for (auto& c : chunks_)
        if (!c) c = std::make_unique<Chunk>();
    as_of_ = as_of;
    head_ = pos_ = 0;
    waited_ = false;
    ended_ = false;
    for (std::size_t k = 0; k < slots && fill(*chunks_[k]); ++k) {
        scan_.workers().submit(*chunks_[k]);
        ++in_flight_;
    }
}

bool StandingsPipeline::fill(Chunk& c) {
    c.size = 0;
    c.read_error = nullptr;
    c.eval_error = nullptr;
    c.failed = SIZE_MAX;
    c.cancel = &cancel_;
    c.as_of = as_of_;
    c.rules = scan_.shared_rules();
    std::size_t events = 0;
    while (!ended_ && c.size < kSellers && events < kEvents) {
        if (c.batches.size() <= c.size) c.batches.push_back(std::make_unique<SellerBatch>());
        try {
            if (!scan_.read(*c.batches[c.size])) ended_ = true;
        } catch (...) {
            c.read_error = std::current_exception();
            ended_ = true;
            break;
        }
        if (ended_) break;
        events += c.batches[c.size]->events.size();
        ++c.size;
    }
    return c.size > 0 || c.read_error;
}

bool StandingsPipeline::next() {
    while (in_flight_ > 0) {
        Chunk& c = *chunks_[head_];
        if (!waited_) {
            scan_.workers().wait(c);
            waited_ = true;
            pos_ = 0;
        } else {
            ++pos_;
        }
        if (pos_ == c.failed) std::rethrow_exception(c.eval_error);
        if (pos_ < c.size) return true;
        if (c.read_error) {
            --in_flight_;  // the error ends the scan; nothing after it is in flight
            std::rethrow_exception(c.read_error);
        }
        // c is consumed: read into it again. Every chunk of the ring but c
        // is in flight or empty for good, so c comes last in the ring's
        // order from the next head on, as it does in submission order.
        --in_flight_;
        waited_ = false;
        if (fill(c)) {
            scan_.workers().submit(c);
            ++in_flight_;
        }
        head_ = (head_ + 1) % chunks_.size();
    }
    return false;
}

const SellerBatch& StandingsPipeline::batch() const { return *chunks_[head_]->batches[pos_]; }
const StandingResult& StandingsPipeline::result() const { return chunks_[head_]->results[pos_]; }

}  // namespace penalty::glue
