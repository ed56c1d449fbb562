// cluster_scan.cpp — evaluating a source with links (cluster_scan.hpp).
#include "sqlite/read/cluster_scan.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <limits>

#include "sqlite/read/links_reader.hpp"
#include "sqlite/base/values.hpp"

namespace penalty::glue {

namespace {

// A part of the clusters, evaluated by one thread: whole clusters of about
// kSellers sellers or kEvents events.
constexpr std::size_t kSellers = 256, kEvents = 16384;

}  // namespace

void ClusterScan::run(Connection& conn, sqlite3_value* ruleset, sqlite3_value* source, sqlite3_value* links,
                      std::optional<Time> as_of, sqlite3_value* seller, bool ledger) {
    const std::string_view rules_name = text_arg(ruleset, "ruleset");
    const std::string_view source_name = text_arg(source, "source");
    const std::string_view links_name = text_arg(links, "links");
    rules_ = conn.ruleset(rules_name);
    sellers_.clear();
    members_.clear();
    unit_begin_.clear();
    graph_ = seller ? read_cluster(conn.db(), links_name, seller) : read_links(conn.db(), links_name);

    std::vector<std::uint32_t> link_sellers;
    WorkerPool* pool = nullptr;  // none: on this thread
    if (seller) {
        read_cluster_events(conn, source_name, seller, as_of);
        const std::int64_t asked = graph_.find_seller(ValueKey::of(view_of(seller)));
        if (asked >= 0) {
            const auto members = graph_.members(static_cast<std::uint32_t>(asked));
            link_sellers.assign(members.begin(), members.end());
        }
    } else {
        // The whole source, read as without links (seller_scan.hpp), one
        // seller at a time in SQLite's order.
        scan_.start(conn, ruleset, source, nullptr, as_of);
        rules_ = scan_.shared_rules();
        for (;;) {
            auto batch = std::make_unique<SellerBatch>();
            if (!scan_.read(*batch)) break;
            LinkedSeller& s = sellers_.emplace_back();
            s.seller = batch->key;
            s.batch = std::move(batch);
        }
        const auto sorted = graph_.sorted();
        link_sellers.assign(sorted.begin(), sorted.end());
        pool = &scan_.workers();
    }
    add_link_sellers(std::move(link_sellers));
    group_clusters();
    evaluate(pool, as_of, ledger);

    if (seller) {  // only the asked seller's row
        const ValueKey key = ValueKey::of(view_of(seller));
        std::erase_if(sellers_, [&](const LinkedSeller& s) { return !(s.seller == key); });
    }
}

// The events of the asked seller's cluster, member by member (in SQLite's
// order), or the asked seller's alone when it is in no links row.
void ClusterScan::read_cluster_events(Connection& conn, std::string_view source, sqlite3_value* seller,
                                      std::optional<Time> as_of) {
    auto read_one = [&](const ValueView& one) {
        reader_.start(conn.db(), source, &one);
        auto batch = std::make_unique<SellerBatch>();
        if (!reader_.next(*rules_, as_of, *batch)) return;
        LinkedSeller& s = sellers_.emplace_back();
        s.seller = batch->key;
        s.batch = std::move(batch);
    };
    const ValueView asked = view_of(seller);
    const std::int64_t id = graph_.find_seller(ValueKey::of(asked));
    if (id < 0) return read_one(asked);
    for (std::uint32_t m : graph_.members(static_cast<std::uint32_t>(id))) read_one(graph_.seller_view(m));
}

// Sets the link id of every seller read (sellers_, in SQLite's order) and
// adds the sellers only in links, keeping that order: one merge of the two
// sorted lists (`link_sellers`: ids in the graph in SQLite's order, a
// cluster's members or LinkGraph::sorted()).
void ClusterScan::add_link_sellers(std::vector<std::uint32_t> link_sellers) {
    std::size_t j = 0, only_links = 0;
    for (LinkedSeller& s : sellers_) {
        int c = -1;
        for (; j < link_sellers.size() && (c = compare(graph_.seller_view(link_sellers[j]), s.seller.view())) < 0; ++j)
            ++only_links;
        if (j < link_sellers.size() && c == 0) s.link_id = link_sellers[j++];
    }
    only_links += link_sellers.size() - j;
    if (only_links == 0) return;
    std::vector<LinkedSeller> all;
    all.reserve(sellers_.size() + only_links);
    auto add_only_link = [&](std::uint32_t id) {
        LinkedSeller& s = all.emplace_back();
        s.seller = graph_.seller(id);
        s.link_id = id;
    };
    j = 0;
    for (LinkedSeller& s : sellers_) {
        for (; j < link_sellers.size() && static_cast<std::int64_t>(link_sellers[j]) != s.link_id &&
               compare(graph_.seller_view(link_sellers[j]), s.seller.view()) < 0;
             ++j)
            add_only_link(link_sellers[j]);
        if (j < link_sellers.size() && static_cast<std::int64_t>(link_sellers[j]) == s.link_id) ++j;
        all.push_back(std::move(s));
    }
    for (; j < link_sellers.size(); ++j) add_only_link(link_sellers[j]);
    sellers_ = std::move(all);
}

// The clusters of sellers_ (a seller in no links row is one of its own):
// members_ and unit_begin_, with a vector indexed by cluster id (a cluster
// is named by one of the graph's sellers).
void ClusterScan::group_clusters() {
    constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::uint32_t> unit_of_cluster(graph_.ordered().size(), kNone);
    std::vector<std::uint32_t> unit_of(sellers_.size());
    std::vector<std::size_t> sizes;
    for (std::size_t k = 0; k < sellers_.size(); ++k) {
        const LinkedSeller& s = sellers_[k];
        std::uint32_t* unit = nullptr;
        if (s.link_id >= 0) unit = &unit_of_cluster[graph_.cluster(static_cast<std::uint32_t>(s.link_id))];
        if (!unit || *unit == kNone) {
            const auto u = static_cast<std::uint32_t>(sizes.size());
            sizes.push_back(0);
            if (unit) *unit = u;
            unit_of[k] = u;
        } else {
            unit_of[k] = *unit;
        }
        ++sizes[unit_of[k]];
    }
    unit_begin_.assign(sizes.size() + 1, 0);
    for (std::size_t u = 0; u < sizes.size(); ++u) unit_begin_[u + 1] = unit_begin_[u] + sizes[u];
    std::vector<std::size_t> at(unit_begin_.begin(), unit_begin_.end() - 1);
    members_.resize(sellers_.size());
    for (std::size_t k = 0; k < sellers_.size(); ++k) members_[at[unit_of[k]]++] = &sellers_[k];
}

// Evaluates every cluster: in parts of whole clusters, claimed in order by
// this thread and the pool's workers. Each cluster writes only into its
// own sellers (cluster_eval.hpp); rules_ and graph_ are read-only. A part
// that fails keeps its error and the parts after it are skipped; the
// error thrown is that of the first part that failed, whose earlier
// clusters all ran: the error of one thread.
void ClusterScan::evaluate(WorkerPool* pool, std::optional<Time> as_of, bool ledger) {
    const std::size_t units = unit_begin_.empty() ? 0 : unit_begin_.size() - 1;
    std::vector<std::size_t> part_begin{0};  // in units
    std::size_t sellers = 0, events = 0;
    for (std::size_t u = 0; u < units; ++u) {
        for (std::size_t k = unit_begin_[u]; k < unit_begin_[u + 1]; ++k)
            events += members_[k]->batch ? members_[k]->batch->events.size() : 0;
        sellers += unit_begin_[u + 1] - unit_begin_[u];
        if (sellers >= kSellers || events >= kEvents || u + 1 == units) {
            part_begin.push_back(u + 1);
            sellers = events = 0;
        }
    }
    const std::size_t parts = part_begin.size() - 1;
    std::vector<std::exception_ptr> errors(parts);
    std::atomic<std::size_t> next{0}, failed{parts};  // failed: the first part that failed, or parts
    auto work = [&]() noexcept {
        for (std::size_t p; (p = next.fetch_add(1)) < parts;) {
            if (failed.load() < p) continue;  // an earlier part failed: this one's rows are not needed
            try {
                for (std::size_t u = part_begin[p]; u < part_begin[p + 1]; ++u)
                    evaluate_cluster(*rules_, graph_,
                                     std::span(members_.data() + unit_begin_[u], unit_begin_[u + 1] - unit_begin_[u]),
                                     as_of, ledger);
            } catch (...) {
                errors[p] = std::current_exception();
                for (std::size_t f = failed.load(); p < f && !failed.compare_exchange_weak(f, p);) {
                }
            }
        }
    };
    struct Worker final : WorkerPool::Job {
        decltype(work)* f = nullptr;
        void run() noexcept override { (*f)(); }
    };
    const unsigned n = pool && parts > 1 ? std::min<unsigned>(pool->workers(), static_cast<unsigned>(parts - 1)) : 0;
    std::vector<Worker> workers(n);
    try {
        for (Worker& w : workers) {
            w.f = &work;
            pool->submit(w);
        }
    } catch (...) {  // out of memory queueing: stop, and wait for those queued
        next = parts;
        for (Worker& w : workers) pool->wait(w);
        throw;
    }
    work();
    for (Worker& w : workers) pool->wait(w);
    if (failed < parts) std::rethrow_exception(errors[failed]);
}

}  // namespace penalty::glue
