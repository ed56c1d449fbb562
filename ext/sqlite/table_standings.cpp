// table_standings.cpp — penalty_standings(ruleset, source, as_of [, links]):
// one row per seller of the source (and of links), with its standing as of
// `as_of` (docs/model.md §4, §6).
//
//   SELECT seller_id, points, closure_at FROM penalty_standings('taobao', 'violations', '2017-12-31');
//
// Columns: seller_id, points, tracks (JSON), offences, dismissed, repeats,
// sanction, sanction_until, closure_at, reason, merged, cluster,
// linked_closure_at, linked_seller (the last three NULL without links;
// with links see cluster_scan.hpp). A seller whose
// events all come after as_of is listed with zero figures; events revoked
// at or before as_of are left out (§3a). The source is read one
// seller at a time (seller_scan.hpp) and the sellers of a whole source are
// evaluated on worker threads (standings_pipeline.hpp); seller_id = ? is
// pushed into the source query.
#include "../core/standing_output.hpp"
#include "cluster_scan.hpp"
#include "standings_pipeline.hpp"
#include "table_function.hpp"
#include "table_functions.hpp"
#include "values.hpp"

namespace penalty::glue {

namespace {

struct Standings {
    enum Column {  // the order of `columns`
        kSeller, kPoints, kTracks, kOffences, kDismissed, kRepeats, kSanction, kSanctionUntil, kClosureAt, kReason,
        kMerged, kCluster, kLinkedClosureAt, kLinkedSeller
    };
    static constexpr ColumnDef columns[] = {
        {"seller_id", ""},        {"points", "INTEGER"},  {"tracks", "TEXT"},         {"offences", "INTEGER"},
        {"dismissed", "INTEGER"}, {"repeats", "INTEGER"}, {"sanction", "TEXT"},       {"sanction_until", "TEXT"},
        {"closure_at", "TEXT"},   {"reason", "TEXT"},     {"merged", "INTEGER"},     {"cluster", ""},
        {"linked_closure_at", "TEXT"}, {"linked_seller", ""}};
    static constexpr const char* arguments[] = {"ruleset", "source", "as_of", "links"};
    // A whole source is assumed large: 10M events of 1M sellers.
    static constexpr TableShape shape{.required = 3, .seller_pushdown = true, .rows = 1e6, .cost = 1e8,
                                      .seller_rows = 1};

    class Cursor {
    public:
        void filter(Connection& conn, const char*, sqlite3_value* const* args, sqlite3_value* seller) {
            as_of_ = time_arg(args[2], "as_of");
            linked_ = args[3] && sqlite3_value_type(args[3]) != SQLITE_NULL;
            if (linked_) {
                clusters_.run(conn, args[0], args[1], args[3], as_of_, seller, false);
                at_ = 0;
                eof_ = clusters_.sellers().empty();
                return;
            }
            // Worker threads for a whole source; one seller is read and
            // evaluated here.
            const unsigned workers = seller ? 0u : static_cast<unsigned>(conn.settings().threads - 1);
            sellers_.start(conn, args[0], args[1], seller, as_of_, workers);
            next();
        }

        void next() {
            if (linked_) {
                eof_ = ++at_ >= clusters_.sellers().size();
                return;
            }
            eof_ = !sellers_.next();
        }

        bool eof() const { return eof_; }

        void column(sqlite3_context* ctx, int col) const {
            if (linked_) return linked_column(ctx, col, clusters_.sellers()[at_]);
            const Standing& s = sellers_.result().standing;
            switch (static_cast<Column>(col)) {
                case kSeller: result_seller(ctx, sellers_.batch()); break;
                case kPoints: sqlite3_result_int64(ctx, s.points); break;
                case kTracks: result_text(ctx, tracks_json(sellers_.rules(), s)); break;
                case kOffences: sqlite3_result_int64(ctx, s.offences); break;
                case kDismissed: sqlite3_result_int64(ctx, s.dismissed); break;
                case kRepeats: sqlite3_result_int64(ctx, s.repeats); break;
                case kSanction: result_text(ctx, sellers_.result().sanction); break;
                case kSanctionUntil: result_text(ctx, sellers_.result().sanction_until); break;
                case kClosureAt: result_text(ctx, closure_at_text(s)); break;
                case kReason: result_text(ctx, sellers_.result().reason); break;
                case kMerged: sqlite3_result_int64(ctx, s.merged); break;
                default: sqlite3_result_null(ctx); break;  // cluster, linked_*: NULL without links
            }
        }

    private:
        // A row computed with links (cluster_scan.hpp).
        static void linked_column(sqlite3_context* ctx, int col, const LinkedSeller& x) {
            const Standing& s = x.standing;
            switch (static_cast<Column>(col)) {
                case kSeller: result_view(ctx, x.seller.view()); break;
                case kPoints: sqlite3_result_int64(ctx, s.points); break;
                case kTracks: result_text(ctx, x.tracks); break;
                case kOffences: sqlite3_result_int64(ctx, s.offences); break;
                case kDismissed: sqlite3_result_int64(ctx, s.dismissed); break;
                case kRepeats: sqlite3_result_int64(ctx, s.repeats); break;
                case kSanction: result_text(ctx, x.sanction); break;
                case kSanctionUntil: result_text(ctx, x.sanction_until); break;
                case kClosureAt: result_text(ctx, x.closure_at); break;
                case kReason: result_text(ctx, x.reason); break;
                case kMerged: sqlite3_result_int64(ctx, s.merged); break;
                case kCluster: result_view(ctx, x.cluster.view()); break;
                case kLinkedClosureAt:
                    result_text(ctx, x.linked_closure ? std::optional<std::string>(format_timestamp(*x.linked_closure))
                                                      : std::nullopt);
                    break;
                case kLinkedSeller:
                    if (x.linked_seller) result_view(ctx, x.linked_seller->view());
                    else sqlite3_result_null(ctx);
                    break;
            }
        }

        bool linked_ = false;      // with links: the rows of clusters_
        ClusterScan clusters_;
        std::size_t at_ = 0;
        StandingsPipeline sellers_;  // without links
        Time as_of_ = 0;
        bool eof_ = true;
    };
};

}  // namespace

extern const sqlite3_module kStandingsModule = table_module<Standings>();

}  // namespace penalty::glue
