// table_ledger.cpp — penalty_ledger(ruleset, source): one row per source
// event, in seller, time order, with what docs/model.md §3 made of it.
//
//   SELECT * FROM penalty_ledger('taobao', 'violations') WHERE seller_id = 1;
//
// Columns: seller_id, event_rowid (the source row's rowid; NULL for a view),
// occurred_at, code, track, status ('counted' | 'dismissed'), nth (NULL when
// dismissed), points, track_points (the track's balance after the event),
// sanction (the highest threshold it fired, or NULL), closes (1 on the
// seller's first closing event), note (why, in words).
// The source is read one seller at a time (seller_scan.hpp); a constraint
// seller_id = ? (or IN (...), one xFilter per value) is pushed into the
// source query.
#include "../core/engine.hpp"
#include "seller_scan.hpp"
#include "table_function.hpp"
#include "table_functions.hpp"
#include "values.hpp"

namespace penalty::glue {

namespace {

struct Ledger {
    enum Column {  // the order of `columns`
        kSeller, kEventRowid, kOccurredAt, kCode, kTrack, kStatus, kNth, kPoints, kTrackPoints, kSanction,
        kCloses, kNote
    };
    static constexpr ColumnDef columns[] = {
        {"seller_id", ""},        {"event_rowid", "INTEGER"}, {"occurred_at", "TEXT"}, {"code", "TEXT"},
        {"track", "TEXT"},        {"status", "TEXT"},         {"nth", "INTEGER"},      {"points", "INTEGER"},
        {"track_points", "INTEGER"}, {"sanction", "TEXT"},    {"closes", "INTEGER"},   {"note", "TEXT"}};
    static constexpr const char* arguments[] = {"ruleset", "source"};
    static constexpr std::size_t required = 2;
    static constexpr bool seller_pushdown = true;

    static void estimate(sqlite3_index_info* info, bool by_seller) {
        info->estimatedRows = by_seller ? 20 : 10000000;
        info->estimatedCost = by_seller ? 30 : 1e8;  // an index look-up, or a whole source of ~10M events
    }

    class Cursor {
    public:
        void filter(Connection& conn, const char*, sqlite3_value* const* args, sqlite3_value* seller) {
            scan_.start(conn, text_arg(args[0], "ruleset"), text_arg(args[1], "source"), seller);
            eof_ = false;
            next_seller();
        }

        void next() {
            if (pos_ + 1 < scan_.batch().events.size()) entry_ = scan_.push(scan_.batch().events[++pos_]);
            else next_seller();
        }

        bool eof() const { return eof_; }

        void column(sqlite3_context* ctx, int col) const {
            const SellerBatch& b = scan_.batch();
            const Event& e = b.events[pos_];
            const LedgerEntry& x = entry_;
            const Ruleset& r = scan_.rules();
            switch (static_cast<Column>(col)) {
                case kSeller: sqlite3_result_value(ctx, b.seller); break;
                case kEventRowid:
                    if (b.rowids.empty()) sqlite3_result_null(ctx);
                    else sqlite3_result_int64(ctx, b.rowids[e.seq]);
                    break;
                case kOccurredAt: result_text(ctx, format_timestamp(e.at)); break;
                case kCode: result_text(ctx, r.codes[static_cast<std::size_t>(e.code)].name); break;
                case kTrack: result_text(ctx, r.tracks[x.track].name); break;
                case kStatus: sqlite3_result_text(ctx, x.counted ? "counted" : "dismissed", -1, SQLITE_STATIC); break;
                case kNth:
                    if (x.counted) sqlite3_result_int64(ctx, x.nth);
                    else sqlite3_result_null(ctx);
                    break;
                case kPoints: sqlite3_result_int64(ctx, x.points); break;
                case kTrackPoints: sqlite3_result_int64(ctx, x.after); break;
                case kSanction:
                    if (x.fired_hi > x.fired_lo) result_text(ctx, r.tracks[x.track].thresholds[x.fired_hi - 1].sanction);
                    else sqlite3_result_null(ctx);
                    break;
                case kCloses: sqlite3_result_int(ctx, x.first_closing ? 1 : 0); break;
                case kNote: result_text(ctx, scan_.evaluator().note(x, e.at, e.code)); break;
            }
        }

    private:
        // The first event of the next seller that has one; eof at the end.
        void next_seller() {
            while (scan_.next_seller()) {
                if (scan_.batch().events.empty()) continue;
                pos_ = 0;
                entry_ = scan_.push(scan_.batch().events[0]);
                return;
            }
            eof_ = true;
        }

        SellerScan scan_;
        std::size_t pos_ = 0;  // the current event: scan_.batch().events[pos_]
        LedgerEntry entry_;    // and what it did
        bool eof_ = true;
    };
};

}  // namespace

extern const sqlite3_module kLedgerModule = table_module<Ledger>();

}  // namespace penalty::glue
