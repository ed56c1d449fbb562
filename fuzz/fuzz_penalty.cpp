// fuzz_penalty.cpp — libFuzzer target: arbitrary rule rows (rules model v3),
// events and calls of every SQL function and table of the extension, in an
// in-memory database (static library, registered per connection).
//
// The input drives a FuzzedDataProvider: first the rule rows of all eight
// tables (CHECK constraints off so invalid rules get through), then a source
// table v of events, then a sequence of calls with fuzzed arguments. Every
// value is usually drawn from a generator that makes it likely to be valid
// (durations of every form of docs/model.md §1.4, timestamps of every form of
// §1.2 around 2016-2018, small points including credits, names of a small
// vocabulary) and sometimes a value of any SQL type. Errors are fine;
// crashes, sanitizer reports and leaks are not.
//
// Rules covered: penalty_ruleset (tz_offset, repeat_days, prior_scope,
// link_closes), penalty_track (every period including 'cycle', period_days,
// daily_cap, merge_days), penalty_carry, penalty_violation (negative points,
// expires_days, merge_days; v3 clean_days, restore_days), penalty_repeat,
// penalty_threshold (days, every; v3 reset_to, reset_on),
// penalty_sanction_repeat (v3), penalty_level. The source v(seller_id, code, occurred_at) has, by a flag
// of the input, the optional columns points, revoked_at and anchor_at (§3a),
// their names in varying letter case; anchor_at is mostly the same instant
// on every row of a seller.
//
// Invariant (checked on every input, by check_agreement, as of 2030-01-01
// and as of a fuzzed instant among the events): for each seller, the
// points of penalty_standings('r', 'v', as_of) equal the aggregate
// penalty_total('r', code, occurred_at, as_of) over the seller's rows of v,
// whenever
//   - both calls succeed (an error of either makes the check statement fail,
//     and nothing is compared: so a ruleset with a 'cycle' track or
//     prior_scope = 'cluster', which the aggregates refuse, is never
//     compared);
//   - no two events of the seller evaluated as of as_of are at the same
//     instant (same occurred_at in penalty_ledger('r', 'v', as_of), so
//     instants are compared as the extension reads them): ties are
//     ordered differently by design (§3);
//   - no row of the seller has a non-NULL points or revoked_at column: the
//     aggregates never see per-case points or revocations (§3a). anchor_at
//     is only read for cycle tracks, which are excluded above.
//
// Links (docs/model.md §6): every input also builds a links source lk(seller_id,
// entity) (make_links: the events' seller ids mostly, 1.0 / '1' / NULL now and
// then, shared entities of every type, sometimes NULL; sometimes a view of a
// table lk_rows, rarely without its entity column), copies the rules of 'r' to
// 'rc' (prior_scope 'cluster', link_closes 1) and 'rs' (prior_scope 'seller',
// link_closes 1), and calls penalty_clusters, penalty_standings and
// penalty_ledger with it, whole and pushed down. Invariants (check_links, as of
// the same two instants, compared only when the calls succeed):
//   - each seller_id of penalty_clusters('lk') appears once, and its cluster is
//     a seller_id of penalty_clusters('lk') whose own cluster is itself;
//   - with prior_scope 'seller' (rulesets 'r' and 'rs'), links change only
//     closures (§6.3): for each seller with events, points of
//     penalty_standings(r, 'v', as_of, 'lk') = those of
//     penalty_standings(r, 'v', as_of).
//
// Set PENALTY_FUZZ_TRACE=1 to print every statement an input runs (a reproduction as SQL).
//
// Build: cmake --preset fuzz && cmake --build build-fuzz --target fuzz_penalty
// Run:   build-fuzz/fuzz_penalty -max_total_time=300 -rss_limit_mb=2048 /tmp/corpus-new fuzz/corpus
// (Debian 12's clang 14, as ./run.sh test installs it.)
#include <fuzzer/FuzzedDataProvider.h>
#include <sqlite3.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "penalty.h"

namespace {

const std::vector<std::string> kWords = {
    "r", "t", "u", "x", "a", "b", "c", "year", "quarter", "month", "rolling", "lifetime", "cycle", "seller",
    "cluster", "+08:00", "-14:00", "+14:01", "2017-01-01", "2017-06-01 12:00:00", "2017-12-31T16:00:00Z",
    "2017-02-30", "2018-01-01 00:00+08:00", "9999-12-31 23:59:59", "0000-01-01", "warn", "seal", "v",
    "v\"; DROP TABLE v; --", "\xff\xfe", "1 year", "3 days", "12 hours"};

// Binds one fuzzed value of any SQL type to parameter i.
void bind_any(sqlite3_stmt* st, int i, FuzzedDataProvider& in) {
    switch (in.ConsumeIntegralInRange<int>(0, 7)) {
        case 0: sqlite3_bind_null(st, i); break;
        case 1: sqlite3_bind_int64(st, i, in.ConsumeIntegral<std::int64_t>()); break;
        case 2: sqlite3_bind_int64(st, i, in.ConsumeIntegralInRange<std::int64_t>(-3, 60)); break;
        case 3: sqlite3_bind_double(st, i, in.ConsumeFloatingPoint<double>()); break;
        case 4: {
            const std::string s = in.ConsumeRandomLengthString(40);
            sqlite3_bind_blob(st, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
            break;
        }
        case 5: {
            const std::string s = in.ConsumeRandomLengthString(40);
            sqlite3_bind_text(st, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
            break;
        }
        default: {  // a word of the vocabulary: names, periods, timestamps, durations
            const std::string& w = kWords[in.ConsumeIntegralInRange<std::size_t>(0, kWords.size() - 1)];
            sqlite3_bind_text(st, i, w.data(), static_cast<int>(w.size()), SQLITE_TRANSIENT);
        }
    }
}

void bind_text(sqlite3_stmt* st, int i, const std::string& s) {
    sqlite3_bind_text(st, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
}

// One in eight values is of any type; the rest come from the column's generator.
bool wild(FuzzedDataProvider& in) { return in.ConsumeIntegralInRange<int>(0, 7) == 0; }

template <class T>
const T& pick(FuzzedDataProvider& in, const std::vector<T>& v) {
    return v[in.ConsumeIntegralInRange<std::size_t>(0, v.size() - 1)];
}

// A name of a small vocabulary, so rows refer to each other.
void bind_name(sqlite3_stmt* st, int i, FuzzedDataProvider& in, const std::vector<std::string>& names) {
    if (wild(in)) return bind_any(st, i, in);
    bind_text(st, i, pick(in, names));
}

void bind_int(sqlite3_stmt* st, int i, FuzzedDataProvider& in, std::int64_t lo, std::int64_t hi) {
    if (wild(in)) return bind_any(st, i, in);
    sqlite3_bind_int64(st, i, in.ConsumeIntegralInRange<std::int64_t>(lo, hi));
}

// A duration (docs/model.md §1.4) of every form, valid and malformed.
void bind_duration(sqlite3_stmt* st, int i, FuzzedDataProvider& in, bool nullable) {
    static const std::vector<std::string> units = {"hour", "day", "week", "month", "year"};
    static const std::vector<std::int64_t> limits = {87660000, 3652500, 521785, 120000, 10000};
    switch (in.ConsumeIntegralInRange<int>(0, 11)) {
        case 0: return nullable ? (void)sqlite3_bind_null(st, i) : bind_any(st, i, in);
        case 1: return (void)sqlite3_bind_null(st, i);
        case 2:
        case 3:  // INTEGER days, 0 to a few years
            return (void)sqlite3_bind_int64(st, i, in.ConsumeIntegralInRange<std::int64_t>(0, 800));
        case 4:  // INTEGER days at and beyond the bounds
            return (void)sqlite3_bind_int64(st, i, pick(in, std::vector<std::int64_t>{-1, 0, 1, 3652500, 3652501,
                                                                                 INT64_MAX, INT64_MIN}));
        case 5:
        case 6:
        case 7: {  // TEXT 'n unit', small n, any unit, singular or plural, any case
            const std::size_t u = in.ConsumeIntegralInRange<std::size_t>(0, units.size() - 1);
            const std::int64_t n = in.ConsumeIntegralInRange<std::int64_t>(1, u == 0 ? 200 : 30);
            std::string unit = units[u];
            if (in.ConsumeBool()) unit += 's';
            const int cas = in.ConsumeIntegralInRange<int>(0, 3);
            for (std::size_t k = 0; k < unit.size(); ++k) {
                if (cas == 1 || (cas == 2 && k == 0) || (cas == 3 && in.ConsumeBool()))
                    unit[k] = static_cast<char>(unit[k] - 'a' + 'A');
            }
            return bind_text(st, i, std::to_string(n) + " " + unit);
        }
        case 8: {  // TEXT at and beyond a unit's bound
            const std::size_t u = in.ConsumeIntegralInRange<std::size_t>(0, units.size() - 1);
            const std::int64_t n = limits[u] + in.ConsumeIntegralInRange<std::int64_t>(-1, 1);
            return bind_text(st, i, std::to_string(n) + " " + units[u] + "s");
        }
        case 9: {  // malformed
            static const std::vector<std::string> bad = {
                "3", "0 days", "1.5 years", "2 fortnights", "3  days", " 3 days", "3 days ", "-3 days", "+3 days",
                "3days", "3 dayss", "03 days", "99999999999999999999 years", "18446744073709551617 hours",
                "3 d\xc3\xa4ys", "", "3 Days\n", "1 year 2 months", "0x10 days", "1e3 days"};
            return bind_text(st, i, pick(in, bad));
        }
        case 10: return (void)sqlite3_bind_double(st, i, pick(in, std::vector<double>{3.0, 1.5, -0.0, 1e300}));
        default: return bind_any(st, i, in);
    }
}

// Unix seconds 2015-12-25 .. 2019-01-07, in steps of a quarter hour mostly, so that
// ties, same days and period boundaries are all likely.
std::int64_t instant(FuzzedDataProvider& in) {
    const std::int64_t base = 1451001600;  // 2015-12-25 00:00:00
    std::int64_t t = base + in.ConsumeIntegralInRange<std::int64_t>(0, 1110) * 86400;
    switch (in.ConsumeIntegralInRange<int>(0, 3)) {
        case 0: break;                                                               // midnight UTC
        case 1: t += 16 * 3600; break;                                               // midnight +08:00
        case 2: t += in.ConsumeIntegralInRange<std::int64_t>(0, 95) * 900; break;    // a quarter hour
        default: t += in.ConsumeIntegralInRange<std::int64_t>(0, 86399); break;      // any second
    }
    return t;
}

std::string utc_text(std::int64_t t, const char* fmt) {
    const std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, fmt, &tm);
    return buf;
}

// Timestamp t (docs/model.md §1.2) in one of its forms.
void bind_instant(sqlite3_stmt* st, int i, FuzzedDataProvider& in, std::int64_t t) {
    switch (in.ConsumeIntegralInRange<int>(0, 7)) {
        case 0: return (void)sqlite3_bind_int64(st, i, t);
        case 1: return (void)sqlite3_bind_double(st, i, static_cast<double>(t) + 0.25);
        case 2:
        case 3: return bind_text(st, i, utc_text(t, "%Y-%m-%d %H:%M:%S"));
        case 4: return bind_text(st, i, utc_text(t, "%Y-%m-%dT%H:%M:%SZ"));
        case 5: return bind_text(st, i, utc_text(t, "%Y-%m-%d"));
        case 6: return bind_text(st, i, utc_text(t + 8 * 3600, "%Y-%m-%dT%H:%M:%S.123+08:00"));
        default: return bind_text(st, i, utc_text(t, "%Y-%m-%d %H:%M"));
    }
}

void bind_timestamp(sqlite3_stmt* st, int i, FuzzedDataProvider& in) {
    if (wild(in)) return bind_any(st, i, in);
    bind_instant(st, i, in, instant(in));
}

// Prepares sql, binds parameters with bind(st, in), runs it to the end reading every column.
template <class Bind>
void exec(sqlite3* db, const std::string& sql, FuzzedDataProvider& in, Bind bind) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
        sqlite3_finalize(st);
        return;
    }
    bind(st, in);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); ++c) sqlite3_column_text(st, c);
    }
    sqlite3_finalize(st);
}

// Runs sql with every parameter of any type.
void run(sqlite3* db, const std::string& sql, FuzzedDataProvider& in, int nparams) {
    exec(db, sql, in, [nparams](sqlite3_stmt* st, FuzzedDataProvider& f) {
        for (int p = 1; p <= nparams; ++p) bind_any(st, p, f);
    });
}

const std::vector<std::string> kTracks = {"t", "u", "x"};
const std::vector<std::string> kCodes = {"a", "b", "c", "d"};

void insert_rules(sqlite3* db, FuzzedDataProvider& in) {
    const auto prepared = [&](const char* sql, auto bind) { exec(db, sql, in, bind); };
    // penalty_ruleset: 'r' mostly.
    prepared("INSERT OR IGNORE INTO penalty_ruleset(ruleset, tz_offset, repeat_days, prior_scope, link_closes) "
             "VALUES(?, ?, ?, ?, ?)",
             [](sqlite3_stmt* st, FuzzedDataProvider& f) {
                 if (f.ConsumeIntegralInRange<int>(0, 15) == 0) bind_any(st, 1, f); else bind_text(st, 1, "r");
                 bind_name(st, 2, f, {"+00:00", "+08:00", "-05:30", "+14:00", "-14:00", "+14:01", "+08:60"});
                 bind_duration(st, 3, f, true);
                 if (f.ConsumeIntegralInRange<int>(0, 15) == 0) bind_any(st, 4, f);
                 else bind_text(st, 4, f.ConsumeIntegralInRange<int>(0, 7) == 0 ? "cluster" : "seller");
                 if (f.ConsumeIntegralInRange<int>(0, 15) == 0) bind_any(st, 5, f);
                 else sqlite3_bind_int(st, 5, f.ConsumeIntegralInRange<int>(0, 3) == 0);
             });
    const int tracks = in.ConsumeIntegralInRange(0, 3);
    for (int k = 0; k < tracks; ++k)
        prepared("INSERT OR IGNORE INTO penalty_track(ruleset, track, period, period_days, daily_cap, merge_days) "
                 "VALUES('r', ?, ?, ?, ?, ?)",
                 [](sqlite3_stmt* st, FuzzedDataProvider& f) {
                     bind_name(st, 1, f, kTracks);
                     bind_name(st, 2, f, {"year", "quarter", "month", "rolling", "lifetime", "cycle", "week"});
                     bind_duration(st, 3, f, true);
                     if (f.ConsumeIntegralInRange<int>(0, 2) == 0) bind_int(st, 4, f, 0, 40);
                     else sqlite3_bind_null(st, 4);
                     if (f.ConsumeIntegralInRange<int>(0, 2) == 0) bind_duration(st, 5, f, true);
                     else sqlite3_bind_null(st, 5);
                 });
    const int carries = in.ConsumeIntegralInRange(0, 3);
    for (int k = 0; k < carries; ++k)
        prepared("INSERT OR IGNORE INTO penalty_carry(ruleset, track, min_points, carry) VALUES('r', ?, ?, ?)",
                 [](sqlite3_stmt* st, FuzzedDataProvider& f) {
                     bind_name(st, 1, f, kTracks);
                     const std::int64_t min = f.ConsumeIntegralInRange<std::int64_t>(0, 60);
                     if (wild(f)) bind_any(st, 2, f); else sqlite3_bind_int64(st, 2, min);
                     if (f.ConsumeIntegralInRange<int>(0, 3) == 0) sqlite3_bind_null(st, 3);
                     else bind_int(st, 3, f, 0, min + 1);
                 });
    const int codes = in.ConsumeIntegralInRange(0, 5);
    for (int k = 0; k < codes; ++k)
        prepared("INSERT OR IGNORE INTO penalty_violation(ruleset, code, valid_from, track, points, closes, "
                 "min_prior, expires_days, merge_days, clean_days, restore_days) VALUES('r', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 [](sqlite3_stmt* st, FuzzedDataProvider& f) {
                     bind_name(st, 1, f, kCodes);
                     if (f.ConsumeBool()) bind_text(st, 2, "0001-01-01"); else bind_timestamp(st, 2, f);
                     bind_name(st, 3, f, kTracks);
                     bind_int(st, 4, f, -8, 30);  // negative: a credit code (§3.5b)
                     bind_int(st, 5, f, 0, f.ConsumeIntegralInRange<int>(0, 3) == 0 ? 1 : 0);
                     bind_int(st, 6, f, 0, f.ConsumeBool() ? 0 : 2);
                     if (f.ConsumeIntegralInRange<int>(0, 2) == 0) bind_duration(st, 7, f, true);
                     else sqlite3_bind_null(st, 7);
                     if (f.ConsumeIntegralInRange<int>(0, 2) == 0) bind_duration(st, 8, f, true);
                     else sqlite3_bind_null(st, 8);
                     for (int col : {9, 10}) {  // v3: clean_days, restore_days (§3b.c, §3b.d)
                         if (f.ConsumeIntegralInRange<int>(0, 2) == 0) bind_duration(st, col, f, true);
                         else sqlite3_bind_null(st, col);
                     }
                 });
    const int repeats = in.ConsumeIntegralInRange(0, 3);
    for (int k = 0; k < repeats; ++k)
        prepared("INSERT OR IGNORE INTO penalty_repeat(ruleset, code, nth, points) VALUES('r', ?, ?, ?)",
                 [](sqlite3_stmt* st, FuzzedDataProvider& f) {
                     bind_name(st, 1, f, kCodes);
                     bind_int(st, 2, f, 0, 4);
                     bind_int(st, 3, f, -8, 30);
                 });
    const int thresholds = in.ConsumeIntegralInRange(0, 4);
    for (int k = 0; k < thresholds; ++k)
        prepared("INSERT OR IGNORE INTO penalty_threshold(ruleset, track, points, sanction, days, closes, every, "
                 "reset_to, reset_on) VALUES('r', ?, ?, ?, ?, ?, ?, ?, ?)",
                 [](sqlite3_stmt* st, FuzzedDataProvider& f) {
                     bind_name(st, 1, f, kTracks);
                     bind_int(st, 2, f, 0, 60);
                     bind_name(st, 3, f, {"warn", "seal", "shield"});
                     bind_duration(st, 4, f, true);
                     bind_int(st, 5, f, 0, f.ConsumeIntegralInRange<int>(0, 3) == 0 ? 1 : 0);
                     if (f.ConsumeBool()) sqlite3_bind_null(st, 6); else bind_int(st, 6, f, 0, 20);
                     if (f.ConsumeBool()) sqlite3_bind_null(st, 7); else bind_int(st, 7, f, -1, 20);  // v3 (§3b.a)
                     if (wild(f)) bind_any(st, 8, f);
                     else bind_text(st, 8, f.ConsumeBool() ? "start" : "end");
                 });
    const int escalations = in.ConsumeIntegralInRange(0, 3);  // v3 (§3b.b)
    for (int k = 0; k < escalations; ++k)
        prepared("INSERT OR IGNORE INTO penalty_sanction_repeat(ruleset, track, points, nth, sanction, days, closes) "
                 "VALUES('r', ?, ?, ?, ?, ?, ?)",
                 [](sqlite3_stmt* st, FuzzedDataProvider& f) {
                     bind_name(st, 1, f, kTracks);
                     bind_int(st, 2, f, 0, 60);
                     bind_int(st, 3, f, 0, 4);
                     bind_name(st, 4, f, {"warn", "seal", "shield"});
                     bind_duration(st, 5, f, true);
                     bind_int(st, 6, f, 0, f.ConsumeIntegralInRange<int>(0, 3) == 0 ? 1 : 0);
                 });
    const int levels = in.ConsumeIntegralInRange(0, 2);
    for (int k = 0; k < levels; ++k) run(db, "INSERT OR IGNORE INTO penalty_level(ruleset, min_credit, label) VALUES('r', ?, ?)", in, 2);
}

// The source v: flags say which optional columns it has, how their names are spelt and
// whether v is a table or a view (no rowid) of one.
struct Source {
    bool points = false, revoked = false, anchor = false;
};

Source make_source(sqlite3* db, FuzzedDataProvider& in) {
    const unsigned flags = in.ConsumeIntegral<std::uint8_t>();
    const Source s{(flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0};
    const bool odd_case = (flags & 8) != 0, view = (flags & 16) != 0;
    const std::string table = view ? "v_rows" : "v";
    std::string ddl = "CREATE TABLE " + table + "(seller_id, code, occurred_at";
    if (s.points) ddl += odd_case ? ", Points" : ", points";
    if (s.revoked) ddl += odd_case ? ", REVOKED_AT" : ", revoked_at";
    if (s.anchor) ddl += odd_case ? ", Anchor_At" : ", anchor_at";
    ddl += ");";
    if (view) ddl += "CREATE VIEW v AS SELECT * FROM v_rows;";
    sqlite3_exec(db, ddl.c_str(), nullptr, nullptr, nullptr);

    std::int64_t anchors[4];  // each seller's cycle anchor, mostly the same on all its rows
    for (auto& a : anchors) a = instant(in) - 400 * 86400;
    std::string sql = "INSERT INTO " + table + " VALUES(?, ?, ?";
    for (int k = 0; k < s.points + s.revoked + s.anchor; ++k) sql += ", ?";
    sql += ")";
    const int events = in.ConsumeIntegralInRange(0, 30);
    for (int k = 0; k < events; ++k) {
        exec(db, sql, in, [&](sqlite3_stmt* st, FuzzedDataProvider& f) {
            // seller: 1..4 mostly, 1.0 and '1' now and then (5 and 5.0 are one seller, '5' another)
            const int seller = f.ConsumeIntegralInRange<int>(0, 3);
            switch (f.ConsumeIntegralInRange<int>(0, 15)) {
                case 0: bind_any(st, 1, f); break;
                case 1: sqlite3_bind_double(st, 1, seller + 1); break;
                case 2: bind_text(st, 1, std::to_string(seller + 1)); break;
                default: sqlite3_bind_int(st, 1, seller + 1);
            }
            bind_name(st, 2, f, kCodes);
            const std::int64_t at = instant(f);
            if (wild(f)) bind_any(st, 3, f); else bind_instant(st, 3, f, at);
            int p = 4;
            if (s.points) {  // per-case points: NULL mostly, small (negative for credits), or anything
                switch (f.ConsumeIntegralInRange<int>(0, 7)) {
                    case 0: case 1: case 2: case 3: sqlite3_bind_null(st, p); break;
                    case 4: case 5: sqlite3_bind_int64(st, p, f.ConsumeIntegralInRange<std::int64_t>(-6, 20)); break;
                    case 6: sqlite3_bind_int64(st, p, pick(f, std::vector<std::int64_t>{INT64_MAX, INT64_MIN, INT64_MAX / 2})); break;
                    default: bind_any(st, p, f);
                }
                ++p;
            }
            if (s.revoked) {  // NULL mostly, at or after the event, before it, or anything
                switch (f.ConsumeIntegralInRange<int>(0, 7)) {
                    case 0: case 1: case 2: sqlite3_bind_null(st, p); break;
                    case 3: bind_instant(st, p, f, at); break;
                    case 4: case 5: bind_instant(st, p, f, at + f.ConsumeIntegralInRange<std::int64_t>(0, 400) * 43200); break;
                    case 6: bind_instant(st, p, f, at - f.ConsumeIntegralInRange<std::int64_t>(1, 100000)); break;
                    default: bind_any(st, p, f);
                }
                ++p;
            }
            if (s.anchor) {  // the seller's anchor mostly, in any form; else another instant, NULL or anything
                switch (f.ConsumeIntegralInRange<int>(0, 7)) {
                    case 0: sqlite3_bind_null(st, p); break;
                    case 1: bind_timestamp(st, p, f); break;
                    default: bind_instant(st, p, f, anchors[seller]);
                }
            }
        });
    }
    return s;
}

// Each seller's points from the table and from the aggregate, as of as_of, where the
// invariant applies (see the top of this file).
void check_agreement(sqlite3* db, const Source& src, const std::string& as_of) {
    std::string sql =
        "WITH p AS (SELECT seller_id, points FROM penalty_standings('r', 'v', ?1)), "
        "a AS (SELECT seller_id, penalty_total('r', code, occurred_at, ?1) AS t FROM v GROUP BY seller_id), "
        "l AS (SELECT seller_id, occurred_at FROM penalty_ledger('r', 'v', ?1)) "
        "SELECT count(*), group_concat(quote(p.seller_id) || ': ' || p.points || ' vs ' || a.t, '; ') "
        "FROM p JOIN a USING (seller_id) WHERE a.t IS NOT p.points "
        "AND NOT EXISTS (SELECT 1 FROM l WHERE l.seller_id = p.seller_id GROUP BY l.occurred_at HAVING count(*) > 1)";
    if (src.points || src.revoked) {
        sql += " AND NOT EXISTS (SELECT 1 FROM v AS x WHERE x.seller_id = p.seller_id AND (";
        if (src.points) sql += "x.points IS NOT NULL";
        if (src.points && src.revoked) sql += " OR ";
        if (src.revoked) sql += "x.revoked_at IS NOT NULL";
        sql += "))";
    }
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "check_agreement: %s\n", sqlite3_errmsg(db));
        std::abort();  // the check itself must always compile
    }
    bind_text(st, 1, as_of);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) != 0) {
        std::fprintf(stderr, "penalty_standings and penalty_total disagree as of %s: %s\n", as_of.c_str(),
                     reinterpret_cast<const char*>(sqlite3_column_text(st, 1)));
        std::abort();
    }
    sqlite3_finalize(st);
}

// The links source lk(seller_id, entity) (docs/model.md §6): seller ids mostly those of
// the events (1..4, and 5, a seller only in links), now and then 1.0, '1', NULL or anything;
// entities of a small shared vocabulary of every SQL type, sometimes NULL or anything. By
// flags of the input lk is sometimes a view of a table lk_rows, and rarely lacks its entity
// column (every call with lk must then fail cleanly).
void make_links(sqlite3* db, FuzzedDataProvider& in) {
    const unsigned flags = in.ConsumeIntegral<std::uint8_t>();
    const bool view = (flags & 1) != 0, missing = (flags & 0x70) == 0x70, odd_case = (flags & 2) != 0;
    const std::string table = view ? "lk_rows" : "lk";
    std::string ddl = "CREATE TABLE " + table + "(" + (odd_case ? "Seller_Id, " : "seller_id, ") +
                      (missing ? "phone" : odd_case ? "ENTITY" : "entity") + ");";
    if (view) ddl += "CREATE VIEW lk AS SELECT * FROM lk_rows;";
    sqlite3_exec(db, ddl.c_str(), nullptr, nullptr, nullptr);
    const int rows = in.ConsumeIntegralInRange(0, 16);
    for (int k = 0; k < rows; ++k) {
        exec(db, "INSERT INTO " + table + " VALUES(?, ?)", in, [](sqlite3_stmt* st, FuzzedDataProvider& f) {
            const int seller = f.ConsumeIntegralInRange<int>(1, 5);
            switch (f.ConsumeIntegralInRange<int>(0, 19)) {
                case 0: bind_any(st, 1, f); break;
                case 1: sqlite3_bind_double(st, 1, 1.0); break;
                case 2: bind_text(st, 1, "1"); break;
                case 3: sqlite3_bind_null(st, 1); break;
                case 4: sqlite3_bind_double(st, 1, seller); break;
                default: sqlite3_bind_int(st, 1, seller);
            }
            switch (f.ConsumeIntegralInRange<int>(0, 15)) {
                case 0: bind_any(st, 2, f); break;
                case 1: sqlite3_bind_null(st, 2); break;
                case 2: sqlite3_bind_int(st, 2, f.ConsumeIntegralInRange<int>(1, 3)); break;
                case 3: sqlite3_bind_double(st, 2, f.ConsumeIntegralInRange<int>(1, 3)); break;
                case 4: sqlite3_bind_blob(st, 2, "e1", 2, SQLITE_STATIC); break;
                default: bind_text(st, 2, pick(f, std::vector<std::string>{"e1", "e2", "e3", "e4", "1", ""}));
            }
        });
    }
}

// Copies the rules of 'r' to 'rc' (prior_scope 'cluster', link_closes 1) and to 'rs'
// (prior_scope 'seller', link_closes 1), so both settings are exercised with valid rules.
void copy_rulesets(sqlite3* db) {
    static const char* tables[] = {"penalty_ruleset", "penalty_track", "penalty_carry", "penalty_violation",
                                   "penalty_repeat", "penalty_threshold", "penalty_sanction_repeat", "penalty_level"};
    for (const char* to : {"rc", "rs"}) {
        for (const char* t : tables) {
            sqlite3_stmt* st = nullptr;
            std::string cols, sel;
            if (sqlite3_prepare_v2(db, (std::string("SELECT name FROM pragma_table_info('") + t + "')").c_str(), -1,
                                   &st, nullptr) == SQLITE_OK) {
                while (sqlite3_step(st) == SQLITE_ROW) {
                    const std::string c = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
                    if (!cols.empty()) { cols += ", "; sel += ", "; }
                    cols += "\"" + c + "\"";
                    sel += c == "ruleset" ? std::string("'") + to + "'" : "\"" + c + "\"";
                }
            }
            sqlite3_finalize(st);
            if (cols.empty()) continue;
            const std::string sql = std::string("INSERT OR IGNORE INTO ") + t + "(" + cols + ") SELECT " + sel +
                                    " FROM " + t + " WHERE ruleset = 'r'";
            sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
        }
    }
    sqlite3_exec(db,
                 "UPDATE penalty_ruleset SET prior_scope = 'cluster', link_closes = 1 WHERE ruleset = 'rc';"
                 "UPDATE penalty_ruleset SET prior_scope = 'seller', link_closes = 1 WHERE ruleset = 'rs';",
                 nullptr, nullptr, nullptr);
}

// Invariants of links (checked whenever the calls succeed):
//   - every seller_id of penalty_clusters('lk') appears once, and its cluster is a
//     seller_id of penalty_clusters('lk') whose own cluster is itself (a fixed point);
//   - with prior_scope 'seller', links change only closures (§6.3): for each seller with
//     events, the points of penalty_standings(r, 'v', as_of, 'lk') equal those of
//     penalty_standings(r, 'v', as_of).
void check_links(sqlite3* db, const std::string& as_of) {
    const auto fail_if = [db](const std::string& sql, const std::string& p1, const std::string& p2,
                              const char* what) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
            std::fprintf(stderr, "check_links: %s\n", sqlite3_errmsg(db));
            std::abort();  // the check itself must always compile
        }
        if (!p1.empty()) bind_text(st, 1, p1);
        if (!p2.empty()) bind_text(st, 2, p2);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) != 0) {
            std::fprintf(stderr, "%s %s %s: %s\n", what, p1.c_str(), p2.c_str(),
                         reinterpret_cast<const char*>(sqlite3_column_text(st, 1)));
            std::abort();
        }
        sqlite3_finalize(st);
    };
    fail_if("WITH c AS (SELECT seller_id, cluster FROM penalty_clusters('lk')) "
            "SELECT (SELECT count(*) FROM (SELECT 1 FROM c GROUP BY seller_id HAVING count(*) > 1)) + "
            "(SELECT count(*) FROM c AS x WHERE NOT EXISTS (SELECT 1 FROM c AS y WHERE y.seller_id = x.cluster "
            "AND y.cluster = y.seller_id)), "
            "(SELECT group_concat(quote(seller_id) || ' -> ' || quote(cluster), ', ') FROM c)",
            "", "", "penalty_clusters('lk'): duplicate seller_id or cluster not a fixed point:");
    for (const char* r : {"r", "rs"}) {
        fail_if("WITH a AS (SELECT seller_id, points FROM penalty_standings(?1, 'v', ?2)), "
                "b AS (SELECT seller_id, points FROM penalty_standings(?1, 'v', ?2, 'lk')) "
                "SELECT count(*), group_concat(quote(a.seller_id) || ': ' || a.points || ' vs ' || b.points, '; ') "
                "FROM a JOIN b ON a.seller_id = b.seller_id "
                "WHERE a.points IS NOT b.points "
                "AND (SELECT prior_scope FROM penalty_ruleset WHERE ruleset = ?1) = 'seller'",
                r, as_of, "penalty_standings with and without links 'lk' disagree on points (ruleset, as_of):");
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    sqlite3_auto_extension(reinterpret_cast<void (*)()>(sqlite3_penalty_init));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    sqlite3* db = nullptr;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 0;
    if (std::getenv("PENALTY_FUZZ_TRACE")) {  // print every statement as run, to reproduce a finding as SQL
        sqlite3_trace_v2(db, SQLITE_TRACE_STMT, [](unsigned, void*, void* p, void*) {
            char* sql = sqlite3_expanded_sql(static_cast<sqlite3_stmt*>(p));
            std::fprintf(stderr, "%s;\n", sql ? sql : "");
            sqlite3_free(sql);
            return 0;
        }, nullptr);
    }
    sqlite3_exec(db, "PRAGMA ignore_check_constraints = ON; SELECT penalty_install();", nullptr, nullptr, nullptr);
    insert_rules(db, in);
    const Source src = make_source(db, in);
    make_links(db, in);
    copy_rulesets(db);
    const std::string check_as_of = utc_text(instant(in), "%Y-%m-%d %H:%M:%S");

    // Each call with the kinds of its parameters: R a ruleset ('r' mostly), S a source ('v' mostly),
    // T a timestamp, C a code, K a track, N a number, I a seller id, G a read strategy, H a number of
    // threads, B a memory budget; any of them may be of any type.
    static const std::pair<const char*, const char*> calls[] = {
        {"SELECT penalty_points(?, ?, ?)", "RCT"},
        {"SELECT penalty_level(?, ?)", "RN"},
        {"SELECT * FROM penalty_check(?)", "R"},
        {"SELECT penalty_total(?, code, occurred_at, ?) FROM v GROUP BY seller_id", "RT"},
        {"SELECT penalty_total(?, code, occurred_at, ?, ?) FROM v GROUP BY seller_id", "RTK"},
        {"SELECT penalty_total('r', code, occurred_at, occurred_at, ?) OVER (PARTITION BY seller_id ORDER BY occurred_at) FROM v", "K"},
        {"SELECT penalty_standing('r', code, occurred_at, ?), penalty_repeats('r', code, occurred_at, ?), "
         "penalty_closure('r', code, occurred_at, ?) FROM v GROUP BY seller_id", "TTT"},
        {"SELECT * FROM penalty_ledger(?, ?)", "RS"},
        {"SELECT * FROM penalty_ledger(?, ?, ?)", "RST"},
        {"SELECT * FROM penalty_standings(?, ?, ?)", "RST"},
        {"SELECT * FROM penalty_standings('r', 'v', ?) WHERE seller_id = ?", "TI"},
        {"SELECT * FROM penalty_ledger('r', 'v') WHERE seller_id IN (?, ?)", "II"},
        {"SELECT * FROM penalty_ledger('r', 'v', ?) WHERE seller_id = ?", "TI"},
        {"SELECT * FROM penalty_clusters(?)", "L"},
        {"SELECT * FROM penalty_clusters('lk') WHERE seller_id = ?", "I"},
        {"SELECT * FROM penalty_clusters('lk') WHERE seller_id IN (?, ?)", "II"},
        {"SELECT * FROM penalty_standings(?, ?, ?, ?)", "RSTL"},
        {"SELECT * FROM penalty_standings(?, 'v', ?, 'lk') WHERE seller_id = ?", "RTI"},
        {"SELECT * FROM penalty_ledger(?, ?, ?, ?)", "RSTL"},
        {"SELECT * FROM penalty_ledger(?, 'v', ?, 'lk') WHERE seller_id = ?", "RTI"},
        {"SELECT * FROM penalty_ledger(?, 'v', NULL, 'lk') WHERE seller_id IN (?, ?)", "RII"},
        {"SELECT penalty_install()", ""},
        {"SELECT penalty_config('read_strategy', ?), penalty_config('threads', ?), penalty_config('memory_budget', ?)",
         "GHB"},
        {"SELECT penalty_copy_ruleset(?, ?)", "RR"},
    };
    while (in.remaining_bytes() > 0) {
        const auto& [sql, kinds] = calls[in.ConsumeIntegralInRange<std::size_t>(0, std::size(calls) - 1)];
        exec(db, sql, in, [kinds = std::string(kinds)](sqlite3_stmt* st, FuzzedDataProvider& f) {
            for (std::size_t p = 0; p < kinds.size(); ++p) {
                const int i = static_cast<int>(p) + 1;
                switch (kinds[p]) {
                    case 'R': bind_name(st, i, f, {"r", "r", "r", "rc", "rc", "rs", "s"}); break;
                    case 'L': bind_name(st, i, f, {"lk", "lk", "lk", "lk_rows", "v", "nosuch"}); break;
                    case 'S':
                        bind_name(st, i, f, {"v", "v", "v", "v_rows", "penalty_track", "nosuch", "main.v", "\"main\".\"v\"",
                                             "temp.v", "nosuch.v"});
                        break;
                    case 'G': bind_name(st, i, f, {"auto", "stream", "sort", "bogus"}); break;
                    case 'H': bind_int(st, i, f, 0, 4); break;
                    case 'B': bind_int(st, i, f, 65000, 70000); break;
                    case 'T': bind_timestamp(st, i, f); break;
                    case 'C': bind_name(st, i, f, kCodes); break;
                    case 'K': bind_name(st, i, f, kTracks); break;
                    case 'N': bind_int(st, i, f, -5, 100); break;
                    default: bind_int(st, i, f, 1, 5); break;
                }
            }
        });
    }
    check_agreement(db, src, "2030-01-01");
    check_agreement(db, src, check_as_of);
    check_links(db, "2030-01-01");
    check_links(db, check_as_of);
    sqlite3_close(db);
    return 0;
}
