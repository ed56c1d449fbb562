// standings.cpp — penalty_standings(ruleset, source, as_of [, links]): one
// row per seller of the source (and of links) with its standing as of
// `as_of` (docs/model.md §4, §6; columns: docs/reference.md). Without links
// the sellers are evaluated on worker threads (standings_pipeline.hpp);
// with links, core/cluster_eval.hpp. seller_id = ? is pushed into the
// source query.
#include "core/standing_output.hpp"
#include "sqlite/read/cluster_scan.hpp"
#include "sqlite/read/standings_pipeline.hpp"
#include "sqlite/tables/vtab.hpp"
#include "sqlite/base/values.hpp"

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
            const Time as_of = time_arg(args[2], "as_of");
            linked_ = args[3] && sqlite3_value_type(args[3]) != SQLITE_NULL;
            if (linked_) {
                clusters_.run(conn, args[0], args[1], args[3], as_of, seller, false);
                at_ = 0;
                eof_ = clusters_.sellers().empty();
                return;
            }
            sellers_.start(conn, args[0], args[1], seller, as_of);
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
            const LinkedSeller* x = linked_ ? &clusters_.sellers()[at_] : nullptr;
            const StandingResult& r = x ? x->result : sellers_.result();
            const Standing& s = r.standing;
            switch (static_cast<Column>(col)) {
                case kSeller:
                    if (x) result_key(ctx, x->seller, false);
                    else result_key(ctx, sellers_.batch().key, sellers_.batch().key_real);
                    break;
                case kPoints: sqlite3_result_int64(ctx, s.points); break;
                case kTracks: result_text(ctx, tracks_json(x ? clusters_.rules() : sellers_.rules(), s)); break;
                case kOffences: sqlite3_result_int64(ctx, s.offences); break;
                case kDismissed: sqlite3_result_int64(ctx, s.dismissed); break;
                case kRepeats: sqlite3_result_int64(ctx, s.repeats); break;
                case kSanction: result_text(ctx, r.sanction); break;
                case kSanctionUntil: result_text(ctx, r.sanction_until); break;
                case kClosureAt: result_text(ctx, closure_at_text(s)); break;
                case kReason: result_text(ctx, r.reason); break;
                case kMerged: sqlite3_result_int64(ctx, s.merged); break;
                // cluster, linked_*: NULL without links
                case kCluster:
                    if (x) result_key(ctx, x->cluster, false);
                    else sqlite3_result_null(ctx);
                    break;
                case kLinkedClosureAt:
                    result_text(ctx, x && x->linked_closure ? std::optional<std::string>(format_timestamp(*x->linked_closure))
                                                            : std::nullopt);
                    break;
                case kLinkedSeller:
                    if (x && x->linked_seller) result_key(ctx, *x->linked_seller, false);
                    else sqlite3_result_null(ctx);
                    break;
            }
        }

    private:
        bool linked_ = false;        // with links: the rows of clusters_
        ClusterScan clusters_;
        std::size_t at_ = 0;
        StandingsPipeline sellers_;  // without links
        bool eof_ = true;
    };
};

}  // namespace

extern const sqlite3_module kStandingsModule = table_module<Standings>();

}  // namespace penalty::glue
