// seller_scan.cpp — reading a source seller by seller (seller_scan.hpp).
#include "seller_scan.hpp"

namespace penalty::glue {

void SellerScan::start(Connection& conn, std::string_view ruleset, std::string_view source, sqlite3_value* seller) {
    rules_ = conn.ruleset(ruleset);
    ev_.emplace(*rules_);
    reader_.start(conn.db(), source, seller);
}

bool SellerScan::next_seller() {
    if (!reader_.next(*rules_, batch_)) return false;
    ev_->reset();
    return true;
}

const LedgerEntry& SellerScan::push(const Event& e) {
    if (e.code < 0) unknown_code_error(*rules_, batch_.unknown[static_cast<std::size_t>(-1 - e.code)], e.at);
    return ev_->push(e.at, e.code);
}

}  // namespace penalty::glue
