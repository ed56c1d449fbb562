// clusters.cpp — penalty_clusters(links): one row per seller of a
// links source, with its cluster (docs/model.md §6).
//
//   SELECT * FROM penalty_clusters('shop_links') WHERE seller_id = 42;
//
// Columns: seller_id, cluster (the smallest seller_id of its cluster, in
// SQLite's order), size (sellers in the cluster), entities (distinct
// non-NULL entities of the cluster). Rows come by cluster, then seller_id.
// Without a constraint the whole links source is read once (a disjoint-set
// forest, ext/core/link_graph.cpp); with seller_id = ? only that seller's
// cluster is read, through look-ups by seller_id and by entity.
#include "sqlite/read/links_reader.hpp"
#include "sqlite/tables/vtab.hpp"
#include "sqlite/base/values.hpp"

namespace penalty::glue {

namespace {

struct Clusters {
    enum Column { kSeller, kCluster, kSize, kEntities };  // the order of `columns`
    static constexpr ColumnDef columns[] = {
        {"seller_id", ""}, {"cluster", ""}, {"size", "INTEGER"}, {"entities", "INTEGER"}};
    static constexpr const char* arguments[] = {"links"};
    // A whole links source is assumed large: 1M rows of 500k sellers.
    static constexpr TableShape shape{.required = 1, .seller_pushdown = true, .rows = 5e5, .cost = 1e7,
                                      .seller_rows = 1};

    class Cursor {
    public:
        void filter(Connection& conn, const char*, sqlite3_value* const* args, sqlite3_value* seller) {
            const std::string_view links = text_arg(args[0], "links");
            graph_ = seller ? read_cluster(conn.db(), links, seller) : read_links(conn.db(), links);
            rows_.clear();
            if (seller) {
                const std::int64_t s = graph_.find_seller(view_of(seller));
                if (s >= 0) rows_.push_back(static_cast<std::uint32_t>(s));
            } else {
                rows_.assign(graph_.ordered().begin(), graph_.ordered().end());
            }
            at_ = 0;
        }
        void next() { ++at_; }
        bool eof() const { return at_ >= rows_.size(); }
        void column(sqlite3_context* ctx, int col) const {
            const std::uint32_t s = rows_[at_];
            switch (static_cast<Column>(col)) {
                case kSeller: result_view(ctx, graph_.seller_view(s)); break;
                case kCluster: result_view(ctx, graph_.seller_view(graph_.cluster(s))); break;
                case kSize: sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(graph_.members(s).size())); break;
                case kEntities: sqlite3_result_int64(ctx, graph_.entities(s)); break;
            }
        }

    private:
        LinkGraph graph_;
        std::vector<std::uint32_t> rows_;  // sellers to list, in order
        std::size_t at_ = 0;
    };
};

}  // namespace

extern const sqlite3_module kClustersModule = table_module<Clusters>();

}  // namespace penalty::glue
