// ledger.cpp — penalty_ledger(ruleset, source [, as_of [, links]]): one row
// per source event, in seller, time order, with what docs/model.md §3 made
// of it (columns: docs/reference.md). With as_of only events and
// revocations at or before it count (§3a); with links, core/cluster_eval.hpp.
// seller_id = ? (or IN (...), one xFilter per value) is pushed into the
// source query.
#include <fmt/format.h>

#include "core/engine.hpp"
#include "sqlite/read/cluster_scan.hpp"
#include "sqlite/read/seller_scan.hpp"
#include "sqlite/tables/vtab.hpp"
#include "sqlite/base/values.hpp"

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
    static constexpr const char* arguments[] = {"ruleset", "source", "as_of", "links"};
    // A whole source is assumed large: 10M events.
    static constexpr TableShape shape{.required = 2, .seller_pushdown = true, .rows = 1e7, .cost = 1e8,
                                      .seller_rows = 20};

    class Cursor {
    public:
        void filter(Connection& conn, const char*, sqlite3_value* const* args, sqlite3_value* seller) {
            as_of_.reset();
            if (args[2] && sqlite3_value_type(args[2]) != SQLITE_NULL) as_of_ = time_arg(args[2], "as_of");
            eof_ = false;
            linked_ = args[3] && sqlite3_value_type(args[3]) != SQLITE_NULL;
            if (linked_) {  // with links: every row computed ahead (cluster_scan.hpp)
                clusters_.run(conn, args[0], args[1], args[3], as_of_, seller, true);
                seller_at_ = 0;
                row_at_ = 0;
                settle();
                return;
            }
            scan_.start(conn, args[0], args[1], seller, as_of_);
            next_seller();
        }

        void next() {
            if (linked_) {
                ++row_at_;
                settle();
            } else if (!load(pos_ + 1)) {
                next_seller();
            }
        }

        bool eof() const { return eof_; }

        void column(sqlite3_context* ctx, int col) const {
            const SellerBatch& b = *batch_;
            const Event& e = b.events[pos_];
            switch (static_cast<Column>(col)) {  // the columns every row has, revoked or not
                case kSeller: return result_key(ctx, b.key, b.key_real);
                case kEventRowid:
                    if (b.rowids.empty()) return sqlite3_result_null(ctx);
                    return sqlite3_result_int64(ctx, b.rowids[e.seq]);
                case kOccurredAt: return result_text(ctx, format_timestamp(e.at));
                default: break;
            }
            if (revoked_) return revoked_column(ctx, col);
            const LedgerEntry& x = *entry_;  // set for every row that is not revoked
            const Ruleset& r = linked_ ? clusters_.rules() : scan_.rules();
            switch (static_cast<Column>(col)) {
                case kSeller:
                case kEventRowid:
                case kOccurredAt: break;  // above
                case kCode: result_text(ctx, r.codes[static_cast<std::size_t>(e.code)].name); break;
                case kTrack: result_text(ctx, r.tracks[x.track].name); break;
                case kStatus: sqlite3_result_text(ctx, status_name(x.status), -1, SQLITE_STATIC); break;
                case kNth:
                    if (x.status == Status::Counted || x.status == Status::Credit) sqlite3_result_int64(ctx, x.nth);
                    else sqlite3_result_null(ctx);
                    break;
                case kPoints: sqlite3_result_int64(ctx, x.points); break;
                case kTrackPoints: sqlite3_result_int64(ctx, x.after); break;
                case kSanction: {
                    if (linked_) {
                        result_text(ctx, row().sanction);
                        break;
                    }
                    const auto fired = scan_.evaluator().fired();
                    if (fired.empty()) sqlite3_result_null(ctx);
                    else result_text(ctx, *fired.back().sanction);
                    break;
                }
                case kCloses: sqlite3_result_int(ctx, x.first_closing ? 1 : 0); break;
                case kNote: result_text(ctx, linked_ ? row().note : scan_.evaluator().note(x, e.at, e.code)); break;
            }
        }

    private:
        // Makes events[k] of the current seller the current row (evaluated,
        // unless revoked); false past the seller's last event (or as_of).
        bool load(std::size_t k) {
            const auto& events = scan_.batch().events;
            if (k >= events.size() || (as_of_ && events[k].at > *as_of_)) return false;
            batch_ = &scan_.batch();
            pos_ = k;
            revoked_ = scan_.revoked(events[k]);
            if (!revoked_) {
                entry_copy_ = scan_.push(events[k]);
                entry_ = &entry_copy_;
            }
            return true;
        }

        // The first event of the next seller that has one; eof at the end.
        void next_seller() {
            while (scan_.next_seller())
                if (load(0)) return;
            eof_ = true;
        }

        // With links: moves to the row at (seller_at_, row_at_) or past it.
        void settle() {
            const auto& sellers = clusters_.sellers();
            while (seller_at_ < sellers.size() && row_at_ >= sellers[seller_at_].ledger.size()) {
                ++seller_at_;
                row_at_ = 0;
            }
            eof_ = seller_at_ >= sellers.size();
            if (eof_) return;
            const LedgerRow& x = row();
            batch_ = sellers[seller_at_].batch.get();
            pos_ = x.event;
            revoked_ = x.revoked;
            entry_ = &x.entry;
        }
        const LedgerRow& row() const { return clusters_.sellers()[seller_at_].ledger[row_at_]; }

        // A revoked event's row (§3a): its code, time and when it was revoked.
        void revoked_column(sqlite3_context* ctx, int col) const {
            const SellerBatch& b = *batch_;
            const Event& e = b.events[pos_];
            const std::string& code = b.unknown[static_cast<std::size_t>(-1 - e.code)];
            switch (static_cast<Column>(col)) {
                case kCode: result_text(ctx, code); break;
                case kStatus: sqlite3_result_text(ctx, "revoked", -1, SQLITE_STATIC); break;
                case kCloses: sqlite3_result_int(ctx, 0); break;
                case kNote: result_text(ctx, fmt::format("{}: revoked {}", code, format_timestamp(*b.revoked_of(e)))); break;
                default: sqlite3_result_null(ctx); break;
            }
        }

        SellerScan scan_;            // without links: one seller at a time
        bool linked_ = false;        // with links: the rows of clusters_
        ClusterScan clusters_;
        std::size_t seller_at_ = 0, row_at_ = 0;
        std::optional<Time> as_of_;  // the cut: events and revocations at or before it
        // The current row: an event of a batch, and what it did.
        const SellerBatch* batch_ = nullptr;
        std::size_t pos_ = 0;
        bool revoked_ = false;
        const LedgerEntry* entry_ = nullptr;
        LedgerEntry entry_copy_;     // without links, the entry of the last push
        bool eof_ = true;
    };
};

}  // namespace

extern const sqlite3_module kLedgerModule = table_module<Ledger>();

}  // namespace penalty::glue
