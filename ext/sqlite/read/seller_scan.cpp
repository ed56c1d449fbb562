// seller_scan.cpp — reading a source seller by seller (seller_scan.hpp).
#include "sqlite/read/seller_scan.hpp"

#include <fmt/format.h>

#include "sqlite/base/errors.hpp"
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
        sorted_.read(reader_, reader_.query(), *rules_, revocations_until, settings.memory_budget, &workers(),
                     interrupt_poll(conn.db(), plan->query.literal));
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
    return parts.plan().readers > 1 && sorted_.read_parallel(parts, q, *rules_, revocations_until_,
                                                             settings.memory_budget, workers(),
                                                             interrupt_poll(db, q.literal));
}

// What the in-memory sort asks now and then (core/stop_check.hpp): a
// statement stepped on the caller's connection, which fails once the query
// is interrupted (sqlite3_interrupt, a progress handler's abort) while the
// sort reads no row.
std::function<void()> SellerScan::interrupt_poll(sqlite3* db, const std::string& source) {
    return [this, db, doing = fmt::format("reading source {}", source)] {
        if (!probe_.get())
            check_rc(db, sqlite3_prepare_v3(db, "SELECT 1", -1, SQLITE_PREPARE_PERSISTENT, probe_.out(), nullptr),
                     doing);
        sqlite3_reset(probe_.get());
        const int rc = sqlite3_step(probe_.get());
        if (rc != SQLITE_ROW) check_rc(db, rc, doing);
    };
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
