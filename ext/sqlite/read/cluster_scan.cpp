// cluster_scan.cpp — evaluating a source with links (cluster_scan.hpp).
#include "sqlite/read/cluster_scan.hpp"

#include <algorithm>
#include <unordered_map>

#include "sqlite/read/links_reader.hpp"
#include "sqlite/base/values.hpp"

namespace penalty::glue {

void ClusterScan::run(Connection& conn, sqlite3_value* ruleset, sqlite3_value* source, sqlite3_value* links,
                      std::optional<Time> as_of, sqlite3_value* seller, bool ledger) {
    const std::string_view rules_name = text_arg(ruleset, "ruleset");
    const std::string_view source_name = text_arg(source, "source");
    const std::string_view links_name = text_arg(links, "links");
    rules_ = conn.ruleset(rules_name);
    sellers_.clear();
    graph_ = seller ? read_cluster(conn.db(), links_name, seller) : read_links(conn.db(), links_name);

    read_events(conn, source_name, seller, as_of);
    const std::int64_t asked = seller ? graph_.find_seller(ValueKey::of(view_of(seller))) : -1;
    // Sellers only in links are listed too; all in SQLite's order.
    std::unordered_map<ValueKey, std::size_t, ValueKeyHash> index;
    for (std::size_t k = 0; k < sellers_.size(); ++k) index.emplace(sellers_[k].seller, k);
    const auto link_sellers = seller && asked >= 0 ? graph_.members(static_cast<std::uint32_t>(asked))
                                                   : graph_.ordered();
    for (std::uint32_t id : link_sellers)
        if (!index.count(graph_.seller(id))) {
            LinkedSeller s;
            s.seller = graph_.seller(id);
            sellers_.push_back(std::move(s));
        }
    std::sort(sellers_.begin(), sellers_.end(),
              [](const LinkedSeller& a, const LinkedSeller& b) { return compare(a.seller, b.seller) < 0; });
    for (LinkedSeller& s : sellers_) s.link_id = graph_.find_seller(s.seller);

    // Cluster by cluster (a seller in no link row is a cluster of its own).
    std::unordered_map<std::uint32_t, std::vector<LinkedSeller*>> clusters;
    std::vector<std::vector<LinkedSeller*>> units;
    for (LinkedSeller& s : sellers_) {
        if (s.link_id < 0) units.push_back({&s});
        else clusters[graph_.cluster(static_cast<std::uint32_t>(s.link_id))].push_back(&s);
    }
    for (auto& [name, members] : clusters) units.push_back(std::move(members));
    for (auto& unit : units) evaluate_cluster(*rules_, graph_, unit, as_of, ledger);

    if (seller) {  // only the asked seller's row
        const ValueKey key = ValueKey::of(view_of(seller));
        std::erase_if(sellers_, [&](const LinkedSeller& s) { return !(s.seller == key); });
    }
}

// The events: every seller's, or those of the asked seller's cluster.
void ClusterScan::read_events(Connection& conn, std::string_view source, sqlite3_value* seller,
                              std::optional<Time> as_of) {
    SourceReader reader;
    auto read_one = [&]() {
        auto batch = std::make_unique<SellerBatch>();
        if (!reader.next(*rules_, as_of, *batch)) return false;
        LinkedSeller s;
        s.seller = batch->key;
        s.batch = std::move(batch);
        sellers_.push_back(std::move(s));
        return true;
    };
    if (!seller) {
        reader.start(conn.db(), source, nullptr);
        while (read_one()) {
        }
        return;
    }
    const ValueView asked = view_of(seller);
    const std::int64_t id = graph_.find_seller(ValueKey::of(asked));
    if (id < 0) {
        reader.start(conn.db(), source, &asked);
        read_one();
        return;
    }
    for (std::uint32_t m : graph_.members(static_cast<std::uint32_t>(id))) {
        const ValueView member = graph_.seller_view(m);
        reader.start(conn.db(), source, &member);
        read_one();
    }
}

}  // namespace penalty::glue
