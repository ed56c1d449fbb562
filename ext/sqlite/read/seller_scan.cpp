// seller_scan.cpp — reading a source seller by seller (seller_scan.hpp).
#include "sqlite/read/seller_scan.hpp"

#include "sqlite/base/values.hpp"
#include "sqlite/read/parallel_read.hpp"
#include "sqlite/read/read_plan.hpp"

namespace penalty::glue {

void SellerScan::start(Connection& conn, sqlite3_value* ruleset, sqlite3_value* source, sqlite3_value* seller,
                       std::optional<Time> revocations_until) {
    const std::string_view name = text_arg(ruleset, "ruleset");
    const std::string_view table = text_arg(source, "source");
    const Settings settings = conn.settings();  // read once: the query's
    rules_ = conn.ruleset(name);
    ev_.emplace(*rules_);
    revocations_until_ = revocations_until;
    workers_ = seller ? 0u : static_cast<unsigned>(settings.threads - 1);
    if (pool_ && pool_->requested() != workers_) pool_.reset();
    // A whole source under 'auto' or 'sort': the plan's query is handed to the reader.
    std::optional<ReadPlan> plan;
    if (!seller && settings.read_strategy != ReadStrategy::Stream)
        plan = choose_read_plan(conn.db(), table, settings);
    const SourceQuery* known = plan ? &plan->query : nullptr;
    sorting_ = plan && plan->sort;
    if (sorting_) {
        if (plan->parallel && read_parallel(conn.db(), plan->query, settings)) return;
        reader_.start(conn.db(), table, nullptr, SourceReader::Order::Storage, known);
        sorted_.read(reader_, reader_.query(), *rules_, revocations_until, settings.memory_budget, &workers());
    } else {
        const ValueView one = seller ? view_of(seller) : ValueView{};
        reader_.start(conn.db(), table, seller ? &one : nullptr, SourceReader::Order::BySeller, known);
    }
}

// The parallel read, planned again under the caller's read lock; false
// when it must read on the caller's connection alone (the plan changed,
// a bad row, another connection failed).
bool SellerScan::read_parallel(sqlite3* db, const SourceQuery& q, const Settings& settings) {
    ParallelSource parts(db, q, settings);
    return parts.plan().readers > 1 &&
           sorted_.read_parallel(parts, q, *rules_, revocations_until_, settings.memory_budget, workers());
}

WorkerPool& SellerScan::workers() {
    if (!pool_) pool_ = std::make_unique<WorkerPool>(workers_);
    return *pool_;
}

bool SellerScan::next_seller() {
    if (!read(batch_)) return false;
    ev_->reset(batch_.anchor);
    return true;
}

bool SellerScan::read(SellerBatch& out) {
    return sorting_ ? sorted_.next(out) : reader_.next(*rules_, revocations_until_, out);
}

}  // namespace penalty::glue
