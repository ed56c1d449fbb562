// vtab_reports.cpp — the table-valued functions penalty_ledger(ruleset,
// source) and penalty_standings(ruleset, source, as_of).
//
//   penalty_ledger: one row per source event, in seller, time order:
//     seller_id, event_rowid, occurred_at, code, track, status, nth, points,
//     track_points, sanction, closes, note
//   penalty_standings: one row per seller of the source:
//     seller_id, points, tracks, offences, dismissed, repeats, sanction,
//     sanction_until, closure_at, reason
//
// Both read the source one seller at a time (source_reader.hpp) and run the
// engine (ext/core/engine.hpp) on each seller; nothing is materialised
// beyond one seller. A constraint seller_id = ? (or IN (...), which SQLite
// turns into one xFilter per value) is pushed into the source query.
//
// Both are eponymous-only and SQLITE_VTAB_INNOCUOUS, deliberately: reporting
// scripts put them in views, and with trusted_schema=OFF (the safe setting)
// SQLite refuses a non-innocuous table inside a view. They are safe there:
// read-only, no side effects, and they read only tables of this same
// connection that the view's author could have selected directly.
#include <fmt/format.h>

#include "../core/standing_json.hpp"
#include "functions.hpp"
#include "glue.hpp"
#include "source_reader.hpp"
#include "vtab_args.hpp"

namespace penalty::glue {

namespace {

enum class Report { Ledger, Standings };

// Column numbers. The hidden argument columns follow the data columns.
enum LedgerColumn {
    kLSeller, kLEventRowid, kLOccurredAt, kLCode, kLTrack, kLStatus, kLNth, kLPoints, kLTrackPoints,
    kLSanction, kLCloses, kLNote, kLRuleset, kLSource
};
enum StandingsColumn {
    kSSeller, kSPoints, kSTracks, kSOffences, kSDismissed, kSRepeats, kSSanction, kSSanctionUntil,
    kSClosureAt, kSReason, kSRuleset, kSSource, kSAsOf
};

// idxNum bits (xBestIndex -> xFilter). argv holds the hidden arguments in
// column order (ruleset, source[, as_of]), then seller_id when kBySeller.
constexpr int kBySeller = 1;

struct ReportTable {
    sqlite3_vtab base;  // must be first
    Connection* conn;
    Report kind;
};

struct ReportCursor {
    sqlite3_vtab_cursor base;  // must be first
    Report kind;
    std::shared_ptr<const Ruleset> rules;
    std::optional<Evaluator> ev;
    SourceReader reader;
    SellerBatch batch;
    Time as_of = 0;
    bool eof = true;
    sqlite3_int64 rowid = 0;
    // Ledger: the event at batch.events[pos] and its entry.
    std::size_t pos = 0;
    LedgerEntry entry;
    // Standings: the current seller's standing.
    Standing standing;
    // The arguments (ruleset, source[, as_of]), echoed by the hidden columns.
    sqlite3_value* args[3] = {nullptr, nullptr, nullptr};

    ~ReportCursor() { free_args(); }
    void free_args() {
        for (sqlite3_value*& v : args) {
            sqlite3_value_free(v);
            v = nullptr;
        }
    }
};

const char* fn_name(Report k) { return k == Report::Ledger ? "penalty_ledger" : "penalty_standings"; }
int first_hidden(Report k) { return k == Report::Ledger ? int{kLRuleset} : int{kSRuleset}; }
int hidden_count(Report k) { return k == Report::Ledger ? 2 : 3; }

template <Report K>
int report_connect(sqlite3* db, void* aux, int, const char* const*, sqlite3_vtab** out, char**) {
    const char* schema =
        K == Report::Ledger
            ? "CREATE TABLE x(seller_id, event_rowid INTEGER, occurred_at TEXT, code TEXT, track TEXT, status TEXT,"
              " nth INTEGER, points INTEGER, track_points INTEGER, sanction TEXT, closes INTEGER, note TEXT,"
              " ruleset HIDDEN, source HIDDEN)"
            : "CREATE TABLE x(seller_id, points INTEGER, tracks TEXT, offences INTEGER, dismissed INTEGER,"
              " repeats INTEGER, sanction TEXT, sanction_until TEXT, closure_at TEXT, reason TEXT,"
              " ruleset HIDDEN, source HIDDEN, as_of HIDDEN)";
    int rc = sqlite3_declare_vtab(db, schema);
    if (rc != SQLITE_OK) return rc;
    rc = sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
    if (rc != SQLITE_OK) return rc;
    auto* t = static_cast<ReportTable*>(sqlite3_malloc(sizeof(ReportTable)));
    if (!t) return SQLITE_NOMEM;
    *t = {};
    t->conn = static_cast<Connection*>(aux);
    t->kind = K;
    *out = &t->base;
    return SQLITE_OK;
}

int report_disconnect(sqlite3_vtab* vtab) {
    sqlite3_free(vtab);
    return SQLITE_OK;
}

// xBestIndex. Every hidden argument needs a usable equality constraint:
// when one exists but is unusable, SQLITE_CONSTRAINT makes the planner pick
// another join order; when one is missing altogether it is an error.
// seller_id = ? is optional and makes the plan a per-seller look-up.
int report_best_index(sqlite3_vtab* vtab, sqlite3_index_info* info) {
    const Report kind = reinterpret_cast<ReportTable*>(vtab)->kind;
    const int nh = hidden_count(kind);
    const int rc = plan_arguments(vtab, info, first_hidden(kind), nh, fn_name(kind),
                                  kind == Report::Ledger ? "penalty_ledger(ruleset, source)"
                                                         : "penalty_standings(ruleset, source, as_of)");
    if (rc != SQLITE_OK) return rc;
    int seller = -1;
    for (int k = 0; k < info->nConstraint; ++k) {
        const auto& c = info->aConstraint[k];
        if (c.op == SQLITE_INDEX_CONSTRAINT_EQ && c.iColumn == 0 && c.usable) seller = k;  // seller_id: column 0 of both
    }
    if (seller >= 0) {
        // The source compares seller_id with its own affinity and collation,
        // exactly; SQLite need not check again.
        info->aConstraintUsage[seller].argvIndex = nh + 1;
        info->aConstraintUsage[seller].omit = 1;
        info->idxNum = kBySeller;
        info->idxStr = const_cast<char*>("seller_id=?");  // static: needToFreeIdxStr stays 0
        info->estimatedRows = kind == Report::Ledger ? 20 : 1;
        info->estimatedCost = 30;  // an index look-up and one seller's events
        if (kind == Report::Standings) info->idxFlags |= SQLITE_INDEX_SCAN_UNIQUE;
    } else {
        info->idxNum = 0;
        info->estimatedRows = kind == Report::Ledger ? 10000000 : 1000000;
        info->estimatedCost = 1e8;  // a scan of a whole source, assumed large: 10M events
    }
    return SQLITE_OK;
}

int report_open(sqlite3_vtab* vtab, sqlite3_vtab_cursor** out) {
    try {
        auto* c = new ReportCursor();
        c->kind = reinterpret_cast<ReportTable*>(vtab)->kind;
        *out = &c->base;
        return SQLITE_OK;
    } catch (...) {
        return SQLITE_NOMEM;
    }
}

int report_close(sqlite3_vtab_cursor* cur) {
    delete reinterpret_cast<ReportCursor*>(cur);
    return SQLITE_OK;
}

// Evaluates the event `e`, or throws the engine's error for an unknown code.
const LedgerEntry& push_event(ReportCursor& c, const Event& e) {
    if (e.code < 0) unknown_code_error(*c.rules, c.batch.unknown[static_cast<std::size_t>(-1 - e.code)], e.at);
    return c.ev->push(e.at, e.code);
}

// Moves to the next seller that yields a row; sets eof at the end.
void load_seller(ReportCursor& c) {
    while (c.reader.next(*c.rules, c.batch)) {
        c.ev->reset();
        if (c.kind == Report::Ledger) {
            if (c.batch.events.empty()) continue;
            c.pos = 0;
            c.entry = push_event(c, c.batch.events[0]);
        } else {
            for (const Event& e : c.batch.events) {
                if (e.at > c.as_of) break;
                push_event(c, e);
            }
            c.standing = c.ev->standing(c.as_of);
        }
        ++c.rowid;
        return;
    }
    c.eof = true;
}

int report_filter(sqlite3_vtab_cursor* cur, int idx_num, const char*, int argc, sqlite3_value** argv) {
    auto* c = reinterpret_cast<ReportCursor*>(cur);
    auto* t = reinterpret_cast<ReportTable*>(cur->pVtab);
    return vtab_guard(cur->pVtab, fn_name(c->kind), [&] {
        const int nh = hidden_count(c->kind);
        if (argc < nh) throw Error("missing argument");
        c->free_args();
        for (int j = 0; j < nh; ++j)
            if (!(c->args[j] = sqlite3_value_dup(argv[j]))) throw std::bad_alloc();
        const std::string_view name = text_arg(argv[0], "ruleset");
        const std::string_view source = text_arg(argv[1], "source");
        if (c->kind == Report::Standings) c->as_of = time_arg(argv[2], "as_of");
        c->rules = t->conn->ruleset(name);
        c->ev.emplace(*c->rules);
        c->reader.start(t->conn->db(), fn_name(c->kind), source, (idx_num & kBySeller) ? argv[nh] : nullptr);
        c->eof = false;
        c->rowid = 0;
        load_seller(*c);
        return SQLITE_OK;
    });
}

int report_next(sqlite3_vtab_cursor* cur) {
    auto* c = reinterpret_cast<ReportCursor*>(cur);
    return vtab_guard(cur->pVtab, fn_name(c->kind), [&] {
        if (c->kind == Report::Ledger && c->pos + 1 < c->batch.events.size()) {
            c->entry = push_event(*c, c->batch.events[++c->pos]);
            ++c->rowid;
        } else {
            load_seller(*c);
        }
        return SQLITE_OK;
    });
}

int report_eof(sqlite3_vtab_cursor* cur) { return reinterpret_cast<ReportCursor*>(cur)->eof; }

void ledger_column(ReportCursor& c, sqlite3_context* ctx, int col) {
    const Event& e = c.batch.events[c.pos];
    const LedgerEntry& x = c.entry;
    const Ruleset& r = *c.rules;
    switch (col) {
        case kLSeller: sqlite3_result_value(ctx, c.batch.seller); break;
        case kLEventRowid:
            if (c.batch.rowids.empty()) sqlite3_result_null(ctx);
            else sqlite3_result_int64(ctx, c.batch.rowids[e.seq]);
            break;
        case kLOccurredAt: result_text(ctx, format_timestamp(e.at)); break;
        case kLCode: result_text(ctx, r.codes[static_cast<std::size_t>(e.code)].name); break;
        case kLTrack: result_text(ctx, r.tracks[x.track].name); break;
        case kLStatus: sqlite3_result_text(ctx, x.counted ? "counted" : "dismissed", -1, SQLITE_STATIC); break;
        case kLNth:
            if (x.counted) sqlite3_result_int64(ctx, x.nth);
            else sqlite3_result_null(ctx);
            break;
        case kLPoints: sqlite3_result_int64(ctx, x.points); break;
        case kLTrackPoints: sqlite3_result_int64(ctx, x.after); break;
        case kLSanction:
            if (x.fired_hi > x.fired_lo) result_text(ctx, r.tracks[x.track].thresholds[x.fired_hi - 1].sanction);
            else sqlite3_result_null(ctx);
            break;
        case kLCloses: sqlite3_result_int(ctx, x.first_closing ? 1 : 0); break;
        case kLNote: result_text(ctx, c.ev->note(x, e.at, e.code)); break;
        default: sqlite3_result_value(ctx, c.args[col - kLRuleset]); break;  // the arguments, echoed
    }
}

void standings_column(ReportCursor& c, sqlite3_context* ctx, int col) {
    const Standing& s = c.standing;
    switch (col) {
        case kSSeller: sqlite3_result_value(ctx, c.batch.seller); break;
        case kSPoints: sqlite3_result_int64(ctx, s.points); break;
        case kSTracks: result_text(ctx, tracks_json(*c.rules, s)); break;
        case kSOffences: sqlite3_result_int64(ctx, s.offences); break;
        case kSDismissed: sqlite3_result_int64(ctx, s.dismissed); break;
        case kSRepeats: sqlite3_result_int64(ctx, s.repeats); break;
        case kSSanction:
            if (s.sanction) result_text(ctx, s.sanction->why.threshold->sanction);
            else sqlite3_result_null(ctx);
            break;
        case kSSanctionUntil:
            if (s.sanction && s.sanction->end) result_text(ctx, format_timestamp(*s.sanction->end));
            else sqlite3_result_null(ctx);
            break;
        case kSClosureAt:
            if (s.closure_at) result_text(ctx, format_timestamp(*s.closure_at));
            else sqlite3_result_null(ctx);
            break;
        case kSReason: {
            const std::string why = c.ev->reason(s);
            if (why.empty()) sqlite3_result_null(ctx);
            else result_text(ctx, why);
            break;
        }
        default: sqlite3_result_value(ctx, c.args[col - kSRuleset]); break;  // the arguments, echoed
    }
}

int report_column(sqlite3_vtab_cursor* cur, sqlite3_context* ctx, int col) {
    auto* c = reinterpret_cast<ReportCursor*>(cur);
    try {
        if (c->kind == Report::Ledger) ledger_column(*c, ctx, col);
        else standings_column(*c, ctx, col);
    } catch (...) {
        result_exception(ctx, fn_name(c->kind));
    }
    return SQLITE_OK;
}

int report_rowid(sqlite3_vtab_cursor* cur, sqlite3_int64* rowid) {
    *rowid = reinterpret_cast<ReportCursor*>(cur)->rowid;
    return SQLITE_OK;
}

template <Report K>
sqlite3_module make_report_module() {
    sqlite3_module m{};
    m.iVersion = 0;
    m.xCreate = nullptr;                // eponymous-only: CREATE VIRTUAL TABLE is refused
    m.xConnect = report_connect<K>;     // declares the schema, marks the table innocuous
    m.xBestIndex = report_best_index;   // required arguments, optional seller_id = ?
    m.xDisconnect = report_disconnect;
    m.xDestroy = report_disconnect;
    m.xOpen = report_open;              // a cursor owns the source statement and one seller
    m.xClose = report_close;
    m.xFilter = report_filter;          // loads the ruleset, starts the source query
    m.xNext = report_next;              // next event (ledger) or seller (standings)
    m.xEof = report_eof;
    m.xColumn = report_column;
    m.xRowid = report_rowid;            // a row counter
    // xUpdate, xBegin, xSync, xCommit, xRollback, xFindFunction, xRename: NULL (read-only, no transactions)
    return m;
}

const sqlite3_module kLedgerModule = make_report_module<Report::Ledger>();
const sqlite3_module kStandingsModule = make_report_module<Report::Standings>();

}  // namespace

int register_report_tables(sqlite3* db, Connection* conn) {
    conn->retain();  // released by SQLite through Connection::release, also on failure
    int rc = sqlite3_create_module_v2(db, "penalty_ledger", &kLedgerModule, conn, &Connection::release);
    if (rc != SQLITE_OK) return rc;
    conn->retain();
    return sqlite3_create_module_v2(db, "penalty_standings", &kStandingsModule, conn, &Connection::release);
}

}  // namespace penalty::glue
