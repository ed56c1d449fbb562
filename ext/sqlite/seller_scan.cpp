// seller_scan.cpp — reading a source seller by seller (seller_scan.hpp).
#include "seller_scan.hpp"

#include "read_plan.hpp"
#include "values.hpp"

namespace penalty::glue {

void SellerScan::start(Connection& conn, sqlite3_value* ruleset, sqlite3_value* source, sqlite3_value* seller,
                       std::optional<Time> revocations_until) {
    const std::string_view name = text_arg(ruleset, "ruleset");
    const std::string_view table = text_arg(source, "source");
    rules_ = conn.ruleset(name);
    ev_.emplace(*rules_);
    revocations_until_ = revocations_until;
    const Settings& settings = conn.settings();
    // A whole source under 'auto': the plan's query is handed to the reader.
    std::optional<ReadPlan> plan;
    if (!seller && settings.read_strategy == ReadStrategy::Auto)
        plan = choose_read_plan(conn.db(), table, settings.read_strategy);
    const SourceQuery* known = plan ? &plan->query : nullptr;
    sorting_ = !seller && (settings.read_strategy == ReadStrategy::Sort || (plan && plan->sort));
    if (sorting_)
        sorted_.start(conn.db(), table, *rules_, revocations_until, settings.memory_budget,
                      static_cast<unsigned>(settings.threads - 1), known);
    else
        reader_.start(conn.db(), table, seller, SourceReader::Order::BySeller, known);
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
