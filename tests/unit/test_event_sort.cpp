// The sort read strategy (core/event_sort.hpp) fed by a vector of rows, and
// its seller interning and ranks (core/seller_table.hpp): sellers in
// SQLite's BINARY order, events by (occurred_at, rowid), the first bad
// row's error, the same batches with and without a worker and when the
// records spill to sorted runs.
#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <cstdlib>
#include <numeric>

#include <fmt/format.h>

#include "core/event_sort.hpp"
#include "core/seller_table.hpp"
#include "source_rows.hpp"

using namespace test;

namespace {

constexpr std::int64_t kUnlimited = std::int64_t{1} << 40;

// Offences 'a' and 'b', a credit 'c'.
std::shared_ptr<const Ruleset> sort_rules() {
    Rules r;
    r.track("t", "lifetime").violation("a", "t", 3).violation("b", "t", 1).violation("c", "t", -2);
    return r.compile();
}

RowShape shape(int rowid, int points = -1, int revoked = -1, int anchor = -1) {
    RowShape s;
    s.literal = "'ev'";
    s.rowid_col = rowid;
    s.points_col = points;
    s.revoked_col = revoked;
    s.anchor_col = anchor;
    s.columns = 3 + (rowid >= 0) + (points >= 0) + (revoked >= 0) + (anchor >= 0);
    return s;
}

// One batch as a line: "key[ REAL][ anchor=T]: at code[ #rowid][ p=points][ r=revoked_at] ...";
// a revoked row's code as ~text.
std::string line(const SellerBatch& b, const Ruleset& rules) {
    std::string out = sql_literal(b.key.view());
    if (b.key_real) out += " REAL";
    if (b.anchor) out += fmt::format(" anchor={}", *b.anchor);
    out += ":";
    for (std::size_t k = 0; k < b.events.size(); ++k) {
        const Event& e = b.events[k];
        out += fmt::format(" {} {}", e.at,
                           e.code >= 0 ? rules.codes[static_cast<std::size_t>(e.code)].name
                                       : "~" + b.unknown.at(static_cast<std::size_t>(-1 - e.code)));
        if (!b.rowids.empty()) out += fmt::format(" #{}", b.rowids.at(e.seq));
        if (const auto p = b.points_of(e)) out += fmt::format(" p={}", *p);
        if (const auto r = b.revoked_of(e)) out += fmt::format(" r={}", *r);
    }
    return out;
}

// Every batch of a read, one line each.
std::string drain(EventSorter& sorter, const Ruleset& rules) {
    std::string out;
    SellerBatch b;
    while (sorter.next(b)) out += line(b, rules) + "\n";
    CHECK_FALSE(sorter.next(b));  // stays at the end
    return out;
}

// Reads `rows` and returns every batch; with a pool of one worker or none.
std::string sorted(const std::vector<SourceValues>& rows, const RowShape& s, const Ruleset& rules,
                   std::optional<Time> until = std::nullopt, bool worker = false,
                   std::int64_t budget = kUnlimited, std::size_t* runs = nullptr) {
    WorkerPool pool(worker ? 1 : 0);
    EventSorter sorter;
    VectorSource source(rows);
    sorter.read(source, s, rules, until, budget, worker ? &pool : nullptr);
    if (runs) *runs = sorter.runs();
    return drain(sorter, rules);
}

}  // namespace

TEST_CASE("event sort: sellers in BINARY order, INTEGER 5 and REAL 5.0 one seller, events by (occurred_at, rowid)") {
    const auto rules = sort_rules();
    const std::vector<SourceValues> rows = {
        {T("b"), T("a"), I(300), I(1)},
        {I(5), T("b"), I(200), I(2)},
        {R(5.0), T("a"), I(100), I(9)},  // 5's first event by time: listed as REAL
        {N(), T("a"), I(50), I(3)},
        {B(std::string_view("\0", 1)), T("a"), I(1), I(12)},
        {R(2.5), T("a"), I(10), I(4)},
        {I(-3), T("a"), I(10), I(5)},
        {T("B"), T("a"), I(1), I(6)},
        {T("b"), T("b"), I(300), I(0)},  // same time as rowid 1: before it
        {I(7), T("b"), I(100), I(8)},
        {R(7.0), T("a"), I(100), I(7)},  // 7's first event by (time, rowid): REAL
        {I(9), T("a"), I(100), I(10)},
        {R(9.0), T("b"), I(100), I(11)},  // 9's first event is the INTEGER one
        {B("a"), T("a"), I(1), I(13)},
        {B(""), T("a"), I(1), I(14)},
        {T(""), T("a"), I(1), I(15)},
        {I(-3), T("b"), I(5), I(16)},
        {T("b"), T("a"), T("1970-01-01 00:04:10"), I(17)},
    };
    const std::string want =
        "NULL: 50 a #3\n"
        "-3: 5 b #16 10 a #5\n"
        "2.5: 10 a #4\n"
        "5 REAL: 100 a #9 200 b #2\n"
        "7 REAL: 100 a #7 100 b #8\n"
        "9: 100 a #10 100 b #11\n"
        "'': 1 a #15\n"
        "'B': 1 a #6\n"
        "'b': 250 a #17 300 b #0 300 a #1\n"
        "X'': 1 a #14\n"
        "X'00': 1 a #12\n"
        "X'61': 1 a #13\n";
    CHECK(sorted(rows, shape(3), *rules) == want);
    CHECK(sorted(rows, shape(3), *rules, std::nullopt, true) == want);
    // The reverse read order gives the same batches (rowids decide ties).
    const std::vector<SourceValues> reversed(rows.rbegin(), rows.rend());
    CHECK(sorted(reversed, shape(3), *rules) == want);
    CHECK(sorted(reversed, shape(3), *rules, std::nullopt, true) == want);
    // No rows: no batch.
    CHECK(sorted({}, shape(3), *rules).empty());
    CHECK(sorted({}, shape(3), *rules, std::nullopt, true).empty());
}

TEST_CASE("event sort: a view (rowid NULL) and a source without rowid keep read order for ties") {
    const auto rules = sort_rules();
    const std::vector<SourceValues> rows = {
        {I(1), T("b"), I(100), N()}, {I(2), T("a"), I(100), N()}, {I(1), T("a"), I(100), N()},
        {I(1), T("b"), I(50), N()},  {I(2), T("c"), I(100), N()}, {I(1), T("c"), I(100), N()},
    };
    const std::string want =
        "1: 50 b 100 b 100 a 100 c\n"
        "2: 100 a 100 c\n";
    CHECK(sorted(rows, shape(3), *rules) == want);  // no #rowid: the batches have none
    CHECK(sorted(rows, shape(3), *rules, std::nullopt, true) == want);
    std::vector<SourceValues> bare;
    for (const auto& r : rows) bare.push_back({r[0], r[1], r[2]});
    CHECK(sorted(bare, shape(-1), *rules) == want);
    CHECK(sorted(bare, shape(-1), *rules, std::nullopt, true) == want);
}

TEST_CASE("event sort: points and revoked_at are carried; a revoked row keeps its code text") {
    const auto rules = sort_rules();
    const std::vector<SourceValues> rows = {
        {I(1), T("a"), I(100), I(1), I(4), N()},
        {I(1), T("spam"), I(90), I(2), N(), I(95)},   // revoked: not looked up
        {I(2), I(7), I(10), I(3), N(), I(10)},        // revoked: a code that is not TEXT
        {I(2), T("c"), I(20), I(4), I(-1), I(500)},   // revoked after 400
        {I(1), T("b"), I(100), I(0), I(0), I(1000)},
    };
    const RowShape s = shape(3, 4, 5);
    CHECK(sorted(rows, s, *rules, Time{400}) ==
          "1: 90 ~spam #2 r=95 100 b #0 p=0 r=1000 100 a #1 p=4\n"
          "2: 10 ~7 #3 r=10 20 c #4 p=-1 r=500\n");
    CHECK(sorted(rows, s, *rules, Time{400}, true) ==
          "1: 90 ~spam #2 r=95 100 b #0 p=0 r=1000 100 a #1 p=4\n"
          "2: 10 ~7 #3 r=10 20 c #4 p=-1 r=500\n");
    // Every revocation applies: 'c' and 'b' are revoked too.
    CHECK(sorted(rows, s, *rules) ==
          "1: 90 ~spam #2 r=95 100 ~b #0 p=0 r=1000 100 a #1 p=4\n"
          "2: 10 ~7 #3 r=10 20 ~c #4 p=-1 r=500\n");
    // Only points, only revoked_at.
    std::vector<SourceValues> pts, rev;
    for (const auto& r : rows) {
        pts.push_back({r[0], r[1], r[2], r[3], r[4]});
        rev.push_back({r[0], r[1], r[2], r[3], r[5]});
    }
    pts[1][1] = T("a");
    pts[2][1] = T("b");
    CHECK(sorted(pts, shape(3, 4), *rules) ==
          "1: 90 a #2 100 b #0 p=0 100 a #1 p=4\n"
          "2: 10 b #3 20 c #4 p=-1\n");
    CHECK(sorted(rev, shape(3, -1, 4), *rules, Time{400}) ==
          "1: 90 ~spam #2 r=95 100 b #0 r=1000 100 a #1\n"
          "2: 10 ~7 #3 r=10 20 c #4 r=500\n");

    // SellerBatch::revoked on a sorted batch.
    WorkerPool none(0);
    EventSorter sorter;
    VectorSource source(rows);
    sorter.read(source, s, *rules, Time{400}, kUnlimited, &none);
    SellerBatch b;
    REQUIRE(sorter.next(b));
    std::vector<bool> revoked;
    for (const Event& e : b.events) revoked.push_back(b.revoked(e, Time{400}));
    CHECK(revoked == std::vector<bool>{true, false, false});
    CHECK(b.revoked(b.events[1], Time{1000}));
}

TEST_CASE("event sort: with a cycle track each batch has its seller's anchor_at") {
    Rules r;
    r.track("cy", "cycle", T("1 month")).violation("a", "cy", 3);
    const auto rules = r.compile();
    const std::vector<SourceValues> rows = {
        {I(2), T("a"), I(100), I(1), I(2000)},
        {I(1), T("a"), I(100), I(2), I(1000)},
        {I(2), T("a"), I(50), I(3), T("1970-01-01 00:33:20")},
    };
    CHECK(sorted(rows, shape(3, -1, -1, 4), *rules) ==
          "1 anchor=1000: 100 a #2\n"
          "2 anchor=2000: 50 a #3 100 a #1\n");
    std::vector<SourceValues> bad = rows;
    bad.push_back({I(1), T("a"), I(200), I(4), I(1001)});
    CHECK(error_of([&] { sorted(bad, shape(3, -1, -1, 4), *rules); }) ==
          "source 'ev', row with seller_id = 1, rowid 4: anchor_at 1970-01-01 00:16:41 differs from the seller's "
          "1970-01-01 00:16:40");
    CHECK(error_of([&] { sorted(bad, shape(3, -1, -1, 4), *rules, std::nullopt, true); }) ==
          "source 'ev', row with seller_id = 1, rowid 4: anchor_at 1970-01-01 00:16:41 differs from the seller's "
          "1970-01-01 00:16:40");
}

namespace {

// `n` good rows of sellers k % 7, rowid k; row `bad` has an unknown code,
// and each of `bad_times` a bad occurred_at.
std::vector<SourceValues> rows_with_errors(std::size_t n, std::vector<std::size_t> bad_times,
                                           std::size_t bad_code = SIZE_MAX) {
    std::vector<SourceValues> rows;
    for (std::size_t k = 0; k < n; ++k)
        rows.push_back({I(static_cast<std::int64_t>(k % 7)), T(k == bad_code ? "nope" : "a"),
                        std::count(bad_times.begin(), bad_times.end(), k) ? T("2017-13-01") : I(1000 + static_cast<std::int64_t>(k)),
                        I(static_cast<std::int64_t>(k))});
    return rows;
}

std::string bad_time(std::size_t k) {
    return fmt::format("source 'ev', row with seller_id = {}, rowid {}: occurred_at: invalid timestamp '2017-13-01' "
                       "(no such calendar date); expected INTEGER or REAL Unix seconds, or TEXT "
                       "'YYYY-MM-DD[ HH:MM[:SS[.fff]]][Z|+HH:MM|-HH:MM]'",
                       k % 7, k);
}

// The error of reading `rows`, with a source whose step() fails at row `fail_at`.
std::string read_error(const std::vector<SourceValues>& rows, bool worker, std::size_t fail_at = SIZE_MAX) {
    const auto rules = sort_rules();
    WorkerPool pool(worker ? 1 : 0);
    EventSorter sorter;
    VectorSource source(rows, fail_at);
    const std::string err =
        error_of([&] { sorter.read(source, shape(3), *rules, std::nullopt, kUnlimited, worker ? &pool : nullptr); });
    // The sorter reads again after an error.
    const std::vector<SourceValues> good = {{I(1), T("a"), I(5), I(1)}};
    VectorSource again(good);
    sorter.read(again, shape(3), *rules, std::nullopt, kUnlimited, worker ? &pool : nullptr);
    CHECK(drain(sorter, *rules) == "1: 5 a #1\n");
    return err;
}

}  // namespace

TEST_CASE("event sort: the first bad row's error is thrown, with a worker and without") {
    for (const bool worker : {false, true}) {
        CAPTURE(worker);
        CHECK(read_error(rows_with_errors(10, {2, 7}), worker) == bad_time(2));
        // Bad rows in later blocks of 2048 rows (the worker's unit).
        CHECK(read_error(rows_with_errors(9000, {3000, 2999 + 2048, 8000}), worker) == bad_time(3000));
        CHECK(read_error(rows_with_errors(9000, {6000}, 2500), worker) ==
              "unknown violation code 'nope' in ruleset 'r' at 1970-01-01 00:58:20");
        CHECK(read_error(rows_with_errors(9000, {2047}, 2048), worker) == bad_time(2047));
        CHECK(read_error(rows_with_errors(9000, {2048}, 2047), worker) ==
              "unknown violation code 'nope' in ruleset 'r' at 1970-01-01 00:50:47");
        // The source's own error when no row before it is bad; a bad row in
        // an earlier block comes first.
        CHECK(read_error(rows_with_errors(9000, {}), worker, 5000) == "step failed");
        CHECK(read_error(rows_with_errors(9000, {}), worker, 0) == "step failed");
        CHECK(read_error(rows_with_errors(9000, {100}), worker, 5000) == bad_time(100));
        CHECK(read_error(rows_with_errors(9000, {4900}), worker, 4100) == "step failed");  // after the failure: not read
    }
}

// With a worker, when the source's step() fails, the rows already copied
// into the block being filled are checked before the source's error is
// thrown: a bad row among them is the error, as without a worker
// (event_sort.hpp: "the same first error"). Was a bug: only the block
// before was finished.
TEST_CASE("event sort: a bad row before the source's failure in the same block comes first with a worker too") {
    CHECK(read_error(rows_with_errors(9000, {10}), false, 20) == bad_time(10));  // passes
    CHECK(read_error(rows_with_errors(9000, {10}), true, 20) == bad_time(10));   // "step failed"
    CHECK(read_error(rows_with_errors(9000, {2100}), true, 3000) == bad_time(2100));
}

namespace {

// A deterministic generator (the same sequence on every platform).
struct Lcg {
    std::uint64_t s;
    std::uint32_t next(std::uint32_t n) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::uint32_t>((s >> 33) % n);
    }
};

// 20,000 events over 3,000 sellers of every kind: INTEGER (some stored as
// a whole REAL on some rows), negative INTEGER, non-whole REAL, TEXT, BLOB,
// NULL; times with many ties; rowids a permutation; points and revoked_at.
std::vector<SourceValues> many_rows(std::size_t kRows = 20000) {
    Lcg g{42};
    constexpr std::uint32_t kSellers = 3000;
    std::vector<std::int64_t> rowid(kRows);
    std::iota(rowid.begin(), rowid.end(), 1);
    for (std::size_t k = kRows - 1; k > 0; --k) std::swap(rowid[k], rowid[g.next(static_cast<std::uint32_t>(k + 1))]);
    const char* codes[] = {"a", "b", "c"};
    std::vector<SourceValues> rows;
    for (std::size_t k = 0; k < kRows; ++k) {
        const std::uint32_t s = g.next(kSellers);
        Cell seller;
        switch (s % 10) {
            case 0: seller = T(fmt::format("s{}", s)); break;
            case 1: seller = g.next(2) ? R(static_cast<double>(s)) : I(s); break;
            case 2: seller = R(s + 0.5); break;
            case 3: seller = I(-static_cast<std::int64_t>(s) * 1000003); break;
            case 4: seller = B(fmt::format("b{}", s)); break;
            case 5: seller = s == 5 ? N() : I(s); break;
            default: seller = I(s);
        }
        const char* code = codes[g.next(3)];
        const Time when = 1000 + g.next(400);
        const Cell points = g.next(4) == 0 ? I(code[0] == 'c' ? -1 : 2) : N();
        const Cell revoked = g.next(5) == 0 ? I(when + g.next(300)) : N();
        rows.push_back({seller, T(code), I(when), I(rowid[k]), points, revoked});
    }
    return rows;
}

// The batches by a plain sort: sellers by compare(), events by (occurred_at,
// rowid or read order); the storage class of each seller's first event.
std::string reference(const std::vector<SourceValues>& rows, const RowShape& s, const Ruleset& rules,
                      std::optional<Time> until) {
    std::vector<std::size_t> order(rows.size());
    std::iota(order.begin(), order.end(), 0);
    auto tie = [&](std::size_t k) {
        return s.rowid_col >= 0 && rows[k][s.rowid_col].kind == Kind::Integer ? rows[k][s.rowid_col].i
                                                                              : static_cast<std::int64_t>(k);
    };
    std::vector<ValueKey> keys;
    for (const SourceValues& r : rows) keys.push_back(ValueKey::of(r[0].view()));
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const int c = compare(keys[a], keys[b]);
        if (c != 0) return c < 0;
        if (rows[a][2].i != rows[b][2].i) return rows[a][2].i < rows[b][2].i;
        return tie(a) < tie(b);
    });
    const bool rowids = s.rowid_col >= 0 && std::all_of(rows.begin(), rows.end(), [&](const SourceValues& r) {
                            return r[s.rowid_col].kind == Kind::Integer;
                        });
    std::string out;
    for (std::size_t k = 0; k < order.size();) {
        const ValueKey& key = keys[order[k]];
        std::string l = sql_literal(key.view());
        if (rows[order[k]][0].kind == Kind::Real && key.kind == Kind::Integer) l += " REAL";
        l += ":";
        for (; k < order.size() && keys[order[k]] == key; ++k) {
            const SourceValues& r = rows[order[k]];
            const std::optional<Time> rev =
                s.revoked_col >= 0 && r[s.revoked_col].kind == Kind::Integer ? std::optional<Time>(r[s.revoked_col].i)
                                                                            : std::nullopt;
            l += fmt::format(" {} {}{}", r[2].i, revoked_by(rev, until) ? "~" : "", r[1].s);
            if (rowids) l += fmt::format(" #{}", r[s.rowid_col].i);
            if (s.points_col >= 0 && r[s.points_col].kind == Kind::Integer) l += fmt::format(" p={}", r[s.points_col].i);
            if (rev) l += fmt::format(" r={}", *rev);
        }
        out += l + "\n";
    }
    (void)rules;
    return out;
}

// SQLITE_TMPDIR set to a new empty directory while it lives.
struct TempDir {
    std::string path;
    std::optional<std::string> old;
    TempDir() {
        char tmpl[] = "/tmp/penalty_unit_XXXXXX";
        REQUIRE(mkdtemp(tmpl) != nullptr);
        path = tmpl;
        if (const char* o = std::getenv("SQLITE_TMPDIR")) old = o;
        setenv("SQLITE_TMPDIR", path.c_str(), 1);
    }
    ~TempDir() {
        if (old) setenv("SQLITE_TMPDIR", old->c_str(), 1);
        else unsetenv("SQLITE_TMPDIR");
        rmdir(path.c_str());
    }
    std::size_t files() const {
        std::size_t n = 0;
        if (DIR* d = opendir(path.c_str())) {
            while (dirent* e = readdir(d))
                if (std::string_view(e->d_name) != "." && std::string_view(e->d_name) != "..") ++n;
            closedir(d);
        }
        return n;
    }
    // This process's open files that were made in the directory and deleted.
    std::size_t open_deleted() const {
        std::size_t n = 0;
        if (DIR* d = opendir("/proc/self/fd")) {
            while (dirent* e = readdir(d)) {
                char target[4096];
                const std::string link = std::string("/proc/self/fd/") + e->d_name;
                const ssize_t len = readlink(link.c_str(), target, sizeof target - 1);
                if (len <= 0) continue;
                const std::string t(target, static_cast<std::size_t>(len));
                if (t.rfind(path + "/penalty_runs_", 0) == 0 && t.ends_with(" (deleted)")) ++n;
            }
            closedir(d);
        }
        return n;
    }
};

}  // namespace

TEST_CASE("event sort: 20,000 events over 3,000 sellers: the same batches with or without a worker, in memory or "
          "spilled to runs") {
    const auto rules = sort_rules();
    const std::vector<SourceValues> wide = many_rows();
    std::vector<SourceValues> plain, view;
    for (const auto& r : wide) {
        plain.push_back({r[0], r[1], r[2], r[3]});
        view.push_back({r[0], r[1], r[2], N()});
    }
    struct Case {
        const char* name;
        const std::vector<SourceValues>& rows;
        RowShape shape;
    };
    const Case cases[] = {{"plain", plain, shape(3)}, {"points and revoked_at", wide, shape(3, 4, 5)},
                          {"view", view, shape(3)}};
    const std::optional<Time> until = 1200;
    TempDir tmp;
    for (const Case& c : cases) {
        CAPTURE(std::string(c.name));
        const std::string want = reference(c.rows, c.shape, *rules, until);
        CHECK(std::count(want.begin(), want.end(), '\n') == 2996);  // the sellers drawn (of 3,000)
        for (const bool worker : {false, true}) {
            CAPTURE(worker);
            std::size_t runs = 99;
            CHECK(sorted(c.rows, c.shape, *rules, until, worker, kUnlimited, &runs) == want);
            CHECK(runs == 0);
            WorkerPool pool(worker ? 1 : 0);
            EventSorter sorter;
            VectorSource source(c.rows);
            sorter.read(source, c.shape, *rules, until, 65536, worker ? &pool : nullptr);
            CHECK(sorter.runs() >= 8);  // at most 2730 records of 24 bytes (1365 of 48) in 64 KiB
            CHECK(tmp.files() == 0);    // the run file is unlinked as soon as it is made,
            CHECK(tmp.open_deleted() == 1);  // in $SQLITE_TMPDIR, and open while its runs are read
            CHECK(drain(sorter, *rules) == want);
            CHECK(tmp.files() == 0);
            CHECK(tmp.open_deleted() == 0);  // closed after the last seller
        }
    }
}

TEST_CASE("event sort: 70,000 records in memory, sorted by two threads with a worker: the same batches") {
    const auto rules = sort_rules();
    std::vector<SourceValues> rows;
    for (const auto& r : many_rows(70000)) rows.push_back({r[0], r[1], r[2], r[3]});
    const std::string want = reference(rows, shape(3), *rules, std::nullopt);
    CHECK(sorted(rows, shape(3), *rules) == want);
    CHECK(sorted(rows, shape(3), *rules, std::nullopt, true) == want);
}

namespace {

// A PartedSource over a vector of rows cut into parts of `size` rows;
// reader `refuse` (if any) cannot open; reader 0's step fails at row
// `fail_at` of the whole.
class VectorParts final : public PartedSource {
public:
    VectorParts(const std::vector<SourceValues>& rows, std::size_t size, unsigned readers, unsigned refuse = 0,
                std::size_t fail_at = SIZE_MAX)
        : rows_(rows), size_(size), refuse_(refuse), fail_at_(fail_at) {
        for (unsigned r = 0; r < readers; ++r) readers_.push_back(std::make_unique<Part>());
    }
    std::size_t parts() const override { return (rows_.size() + size_ - 1) / size_; }
    RowSource* part(unsigned reader, std::size_t p) override {
        if (reader != 0 && reader == refuse_) return nullptr;
        Part& r = *readers_[reader];
        r.rows.assign(rows_.begin() + static_cast<std::ptrdiff_t>(p * size_),
                      rows_.begin() + static_cast<std::ptrdiff_t>(std::min(rows_.size(), (p + 1) * size_)));
        const std::size_t fail = reader == 0 && fail_at_ >= p * size_ && fail_at_ < (p + 1) * size_
                                     ? fail_at_ - p * size_ : SIZE_MAX;
        r.source = std::make_unique<VectorSource>(r.rows, fail);
        return r.source.get();
    }
    void cancel() noexcept override { cancelled = true; }
    std::atomic<bool> cancelled{false};

private:
    struct Part {
        std::vector<SourceValues> rows;
        std::unique_ptr<VectorSource> source;
    };
    const std::vector<SourceValues>& rows_;
    std::size_t size_;
    unsigned refuse_;
    std::size_t fail_at_;
    std::vector<std::unique_ptr<Part>> readers_;
};

}  // namespace

TEST_CASE("event sort: the in-memory sort stops when its poll throws (an interrupt); the sorter reads again") {
    const auto rules = sort_rules();
    std::vector<SourceValues> rows;
    for (const auto& r : many_rows(70000)) rows.push_back({r[0], r[1], r[2], r[3]});
    const std::string want = reference(rows, shape(3), *rules, std::nullopt);
    for (const bool worker : {false, true}) {
        CAPTURE(worker);
        WorkerPool pool(worker ? 1 : 0);
        EventSorter sorter;
        int polls = 0;
        VectorSource source(rows);
        CHECK(error_of([&] {
                  sorter.read(source, shape(3), *rules, std::nullopt, kUnlimited, worker ? &pool : nullptr, [&] {
                      ++polls;
                      throw Error("interrupted");
                  });
              }) == "interrupted");
        CHECK(polls == 1);  // the first poll (at the 64th check) stops it, the worker's part too
        int quiet = 0;
        VectorSource again(rows);
        sorter.read(again, shape(3), *rules, std::nullopt, kUnlimited, worker ? &pool : nullptr, [&] { ++quiet; });
        CHECK(quiet >= 1);
        CHECK(drain(sorter, *rules) == want);
    }
}

TEST_CASE("event sort: the parallel read gives the batches of one read, whoever reads which part") {
    const auto rules = sort_rules();
    const std::vector<SourceValues> wide = many_rows();
    std::vector<SourceValues> plain;
    for (const auto& r : wide) plain.push_back({r[0], r[1], r[2], r[3]});
    const std::optional<Time> until = 1200;
    for (const bool extras : {false, true}) {
        CAPTURE(extras);
        const auto& rows = extras ? wide : plain;
        const RowShape s = extras ? shape(3, 4, 5) : shape(3);
        const std::string want = reference(rows, s, *rules, until);
        for (const unsigned workers : {0u, 1u, 3u})
            for (const unsigned refuse : {0u, 1u}) {
                CAPTURE(workers);
                CAPTURE(refuse);
                WorkerPool pool(workers);
                VectorParts parts(rows, 700, workers + 1, refuse);
                EventSorter sorter;
                CHECK(sorter.read_parallel(parts, s, *rules, until, kUnlimited, pool));
                CHECK_FALSE(parts.cancelled);
                CHECK(drain(sorter, *rules) == want);
            }
    }
}

TEST_CASE("event sort: the parallel read asks for the read alone on a bad row, throws reader 0's failure") {
    const auto rules = sort_rules();
    std::vector<SourceValues> rows;
    for (const auto& r : many_rows()) rows.push_back({r[0], r[1], r[2], r[3]});
    WorkerPool pool(1);
    EventSorter sorter;
    {
        std::vector<SourceValues> bad = rows;
        bad[15000][1] = T("nope");  // a code the ruleset lacks, in a late part
        VectorParts parts(bad, 700, 2);
        CHECK_FALSE(sorter.read_parallel(parts, shape(3), *rules, std::nullopt, kUnlimited, pool));
        SellerBatch b;
        CHECK_FALSE(sorter.next(b));  // nothing kept
    }
    {
        // Reader 1 cannot open, so reader 0 reads every part, and its step
        // fails in the fifth: the others are cancelled, its error thrown.
        VectorParts parts(rows, 700, 2, 1, 3000);
        CHECK(error_of([&] { sorter.read_parallel(parts, shape(3), *rules, std::nullopt, kUnlimited, pool); }) ==
              "step failed");
        CHECK(parts.cancelled);
    }
    // The sorter reads again after both.
    VectorParts parts(rows, 700, 2);
    CHECK(sorter.read_parallel(parts, shape(3), *rules, std::nullopt, kUnlimited, pool));
    CHECK(drain(sorter, *rules) == reference(rows, shape(3), *rules, std::nullopt));
}

namespace {

// The ranks that compare() gives the table's sellers.
std::vector<std::uint32_t> compare_ranks(const SellerTable& t) {
    std::vector<std::uint32_t> ids(t.size()), rank(t.size());
    std::iota(ids.begin(), ids.end(), 0u);
    std::stable_sort(ids.begin(), ids.end(), [&](std::uint32_t a, std::uint32_t b) { return compare(t.key(a), t.key(b)) < 0; });
    for (std::size_t k = 0; k < ids.size(); ++k) rank[ids[k]] = static_cast<std::uint32_t>(k);
    return rank;
}

std::vector<std::uint32_t> intern_all(SellerTable& t, const std::vector<ValueView>& values) {
    std::vector<std::uint32_t> ids;
    for (const ValueView& v : values) ids.push_back(t.intern(ValueKey::of(v)));
    return ids;
}

}  // namespace

TEST_CASE("seller table: ids in order of first appearance, keys as ValueKey::view() gives them") {
    SellerTable t;
    CHECK(intern_all(t, {ValueView::integer(10), ValueView::text("x"), ValueView::integer(3), ValueView::integer(10),
                         ValueView::real(3.0), ValueView::null(), ValueView::text("x"), ValueView::blob("x"),
                         ValueView::real(2.5), ValueView::integer(-4), ValueView::null(), ValueView::real(2.5)}) ==
          std::vector<std::uint32_t>{0, 1, 2, 0, 2, 3, 1, 4, 5, 6, 3, 5});
    REQUIRE(t.size() == 7);
    CHECK(t.key(0).kind == Kind::Integer);
    CHECK(t.key(0).i == 10);
    CHECK(t.key(1).kind == Kind::Text);
    CHECK(t.key(1).s == "x");
    CHECK(t.key(2).i == 3);
    CHECK(t.key(3).kind == Kind::Null);
    CHECK(t.key(4).kind == Kind::Blob);
    CHECK(t.key(4).s == "x");
    CHECK(t.key(5).kind == Kind::Real);
    CHECK(t.key(5).r == 2.5);
    CHECK(t.key(6).i == -4);
    t.clear();
    CHECK(t.size() == 0);
    CHECK(intern_all(t, {ValueView::text("y"), ValueView::integer(10)}) == std::vector<std::uint32_t>{0, 1});
    CHECK(t.key(0).s == "y");
}

TEST_CASE("seller table: ranks() in each of its three paths is the order of compare()") {
    SUBCASE("small non-negative INTEGERs (the direct array)") {
        SellerTable t;
        intern_all(t, {ValueView::integer(5), ValueView::integer(0), ValueView::integer(17), ValueView::real(3.0),
                       ValueView::integer(5), ValueView::integer(100000)});
        CHECK(t.ranks() == std::vector<std::uint32_t>{2, 0, 3, 1, 4});
        CHECK(t.ranks() == compare_ranks(t));
    }
    SUBCASE("a large INTEGER hashed first, in the direct array once the table has grown") {
        SellerTable t;
        CHECK(t.intern(ValueKey::of(ValueView::integer(600000))) == 0);  // beyond 8 per seller + 64Ki
        for (std::int64_t k = 9999; k >= 0; --k) t.intern(ValueKey::of(ValueView::integer(k)));
        CHECK(t.intern(ValueKey::of(ValueView::integer(600000))) == 0);
        CHECK(t.intern(ValueKey::of(ValueView::integer(600000))) == 0);
        REQUIRE(t.size() == 10001);
        const auto rank = t.ranks();
        CHECK(rank[0] == 10000);
        CHECK(rank[1] == 9999);      // 9999
        CHECK(rank[10000] == 0);     // 0
        CHECK(rank == compare_ranks(t));
    }
    SUBCASE("all INTEGERs, negative and large") {
        SellerTable t;
        intern_all(t, {ValueView::integer(5), ValueView::integer(-2), ValueView::integer(1000000000000),
                       ValueView::integer(0), ValueView::integer(INT64_MIN), ValueView::integer(INT64_MAX),
                       ValueView::real(-2.0), ValueView::integer(3)});
        CHECK(t.ranks() == std::vector<std::uint32_t>{4, 1, 5, 2, 0, 6, 3});
        CHECK(t.ranks() == compare_ranks(t));
    }
    SUBCASE("mixed kinds") {
        SellerTable t;
        intern_all(t, {ValueView::text("b"), ValueView::integer(2), ValueView::null(), ValueView::real(1.5),
                       ValueView::blob("a"), ValueView::integer(-1), ValueView::text("a"),
                       ValueView::real(std::numeric_limits<double>::infinity()), ValueView::text("B"),
                       ValueView::blob(""), ValueView::real(-0.5)});
        // NULL, -1, -0.5, 1.5, 2, inf, 'B', 'a', 'b', X'', X'61'
        CHECK(t.ranks() == std::vector<std::uint32_t>{8, 4, 0, 3, 10, 1, 7, 5, 6, 9, 2});
        CHECK(t.ranks() == compare_ranks(t));
    }
    SUBCASE("many sellers of every kind") {
        const auto rows = many_rows();
        SellerTable t;
        for (const auto& r : rows) t.intern(ValueKey::of(r[0].view()));
        CHECK(t.size() == 2996);
        CHECK(t.ranks() == compare_ranks(t));
        SellerTable ints;
        for (const auto& r : rows)
            if (r[0].kind == Kind::Integer || r[0].kind == Kind::Real) ints.intern(ValueKey::of(r[0].view()));
        CHECK(ints.ranks() == compare_ranks(ints));
    }
}

// The mixed path of ranks() (a std::sort by compare()) and the sort
// strategy's seller order are SQLite's near 2^63: ORDER BY gives
// 9223372036854775806, 9223372036854775807, 9223372036854775808.0. Was a
// bug: compare() took the REAL equal to those INTEGERs.
TEST_CASE("seller table and event sort: INTEGERs near 2^63 before REAL 2^63") {
    SellerTable t;
    intern_all(t, {ValueView::real(9223372036854775808.0), ValueView::integer(INT64_MAX),
                   ValueView::integer(INT64_MAX - 1)});
    CHECK(t.ranks() == std::vector<std::uint32_t>{2, 1, 0});

    const auto rules = sort_rules();
    const std::vector<SourceValues> rows = {{R(9223372036854775808.0), T("a"), I(1), I(1)},
                                            {I(INT64_MAX), T("a"), I(1), I(2)},
                                            {I(INT64_MAX - 1), T("a"), I(1), I(3)}};
    CHECK(sorted(rows, shape(3), *rules) ==
          "9223372036854775806: 1 a #3\n9223372036854775807: 1 a #2\n9.223372036854776e+18: 1 a #1\n");
}
