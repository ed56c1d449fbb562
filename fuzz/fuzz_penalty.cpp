// fuzz_penalty.cpp — libFuzzer target: arbitrary rule rows, timestamps,
// codes and calls of every SQL function and table of the extension, in an
// in-memory database (static library, registered per connection).
//
// The input drives a FuzzedDataProvider: first the rule rows (any SQL type
// in any column, CHECK constraints off so invalid rules get through), then
// events, then a sequence of calls with fuzzed arguments. Errors are fine;
// crashes, sanitizer reports and leaks are not. One invariant is checked
// on every input: the table penalty_standings and the aggregate
// penalty_total agree on each seller's points whenever both succeed and no
// two events of a seller share an instant (ties are ordered differently
// by design).
//
// Build: cmake -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DPENALTY_FUZZ=ON
// Run:   build-fuzz/fuzz_penalty -max_total_time=60 fuzz/corpus
#include <fuzzer/FuzzedDataProvider.h>
#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "penalty.h"

namespace {

// Binds one fuzzed value of any SQL type to parameter i.
void bind_any(sqlite3_stmt* st, int i, FuzzedDataProvider& in, const std::vector<std::string>& words) {
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
        default: {  // a word of the vocabulary: names, periods, timestamps
            const std::string& w = words[in.ConsumeIntegralInRange<std::size_t>(0, words.size() - 1)];
            sqlite3_bind_text(st, i, w.data(), static_cast<int>(w.size()), SQLITE_TRANSIENT);
        }
    }
}

void run(sqlite3* db, const char* sql, FuzzedDataProvider& in, int nparams, const std::vector<std::string>& words) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) return;
    for (int p = 1; p <= nparams; ++p) bind_any(st, p, in, words);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); ++c) sqlite3_column_text(st, c);
    }
    sqlite3_finalize(st);
}

// Each seller's points from the table and from the aggregate, when both succeed.
void check_agreement(sqlite3* db) {
    const char* sql =
        "SELECT count(*) FROM penalty_standings('r', 'v', '2030-01-01') AS p "
        "JOIN (SELECT seller_id, penalty_total('r', code, occurred_at, '2030-01-01') AS t FROM v GROUP BY seller_id) AS a "
        "USING (seller_id) WHERE a.t IS NOT p.points "
        "AND NOT EXISTS (SELECT 1 FROM v AS x JOIN v AS y ON x.seller_id = y.seller_id AND x.rowid < y.rowid "
        "                AND unixepoch(x.occurred_at) = unixepoch(y.occurred_at) WHERE x.seller_id = p.seller_id)";
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) return;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) != 0) {
        std::fprintf(stderr, "penalty_standings and penalty_total disagree\n");
        std::abort();
    }
    sqlite3_finalize(st);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    sqlite3_auto_extension(reinterpret_cast<void (*)()>(sqlite3_penalty_init));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    static const std::vector<std::string> words = {
        "r", "t", "u", "x", "y", "year", "quarter", "month", "rolling", "lifetime", "+08:00", "-14:00", "+14:01",
        "2017-01-01", "2017-06-01 12:00:00", "2017-12-31T16:00:00Z", "2017-02-30", "2018-01-01 00:00+08:00",
        "9999-12-31 23:59:59", "0000-01-01", "warn", "seal", "v", "v\"; DROP TABLE v; --", "\xff\xfe"};
    sqlite3* db = nullptr;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 0;
    sqlite3_exec(db,
                 "PRAGMA ignore_check_constraints = ON; SELECT penalty_install();"
                 "CREATE TABLE v(seller_id, code, occurred_at);",
                 nullptr, nullptr, nullptr);
    // Rule rows: ruleset 'r' mostly, anything in the other columns.
    run(db, "INSERT OR IGNORE INTO penalty_ruleset VALUES('r', ?, ?, NULL)", in, 2, words);
    const int tracks = in.ConsumeIntegralInRange(0, 3);
    for (int k = 0; k < tracks; ++k) run(db, "INSERT OR IGNORE INTO penalty_track VALUES('r', ?, ?, ?)", in, 3, words);
    const int codes = in.ConsumeIntegralInRange(0, 4);
    for (int k = 0; k < codes; ++k)
        run(db, "INSERT OR IGNORE INTO penalty_violation VALUES('r', ?, ?, ?, ?, ?, ?, NULL)", in, 6, words);
    const int repeats = in.ConsumeIntegralInRange(0, 3);
    for (int k = 0; k < repeats; ++k) run(db, "INSERT OR IGNORE INTO penalty_repeat VALUES('r', ?, ?, ?)", in, 3, words);
    const int thresholds = in.ConsumeIntegralInRange(0, 4);
    for (int k = 0; k < thresholds; ++k)
        run(db, "INSERT OR IGNORE INTO penalty_threshold VALUES('r', ?, ?, ?, ?, ?)", in, 5, words);
    const int levels = in.ConsumeIntegralInRange(0, 2);
    for (int k = 0; k < levels; ++k) run(db, "INSERT OR IGNORE INTO penalty_level VALUES('r', ?, ?)", in, 2, words);
    const int events = in.ConsumeIntegralInRange(0, 30);
    for (int k = 0; k < events; ++k) run(db, "INSERT INTO v VALUES(?, ?, ?)", in, 3, words);

    static const std::pair<const char*, int> calls[] = {
        {"SELECT penalty_points(?, ?, ?)", 3},
        {"SELECT penalty_level(?, ?)", 2},
        {"SELECT * FROM penalty_check(?)", 1},
        {"SELECT penalty_total(?, code, occurred_at, ?) FROM v GROUP BY seller_id", 2},
        {"SELECT penalty_total('r', code, occurred_at, occurred_at, ?) OVER (PARTITION BY seller_id ORDER BY occurred_at) FROM v", 1},
        {"SELECT penalty_standing('r', code, occurred_at, ?), penalty_repeats('r', code, occurred_at, ?), "
         "penalty_closure('r', code, occurred_at, ?) FROM v GROUP BY seller_id", 3},
        {"SELECT * FROM penalty_ledger(?, ?)", 2},
        {"SELECT * FROM penalty_standings(?, ?, ?)", 3},
        {"SELECT * FROM penalty_standings('r', 'v', ?) WHERE seller_id = ?", 2},
        {"SELECT * FROM penalty_ledger('r', 'v') WHERE seller_id IN (?, ?)", 2},
    };
    while (in.remaining_bytes() > 0) {
        const auto& [sql, n] = calls[in.ConsumeIntegralInRange<std::size_t>(0, std::size(calls) - 1)];
        run(db, sql, in, n, words);
    }
    check_agreement(db);
    sqlite3_close(db);
    return 0;
}
