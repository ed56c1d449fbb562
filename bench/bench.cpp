// bench.cpp — the penalty benchmark (bench/README.md). For one size N and
// each source configuration asked for, it measures, each timed piece in a
// forked child so that its peak memory (max RSS) is its own:
//   (a) the bare scan      SELECT count(*), sum(unixepoch(occurred_at)), sum(length(code)) FROM <source>
//   (b) penalty_standings  SELECT count(*), count(closure_at), sum(points) FROM penalty_standings(...)
//   (c) the same figures in pure SQL in SQLite (bench/standings.sql)
//   (d) one seller's standing by pushdown (median of 2,001 look-ups), when
//       the source has an index on seller_id
//   (e) the same figures in pure SQL in DuckDB, 2 threads
//       (bench/duckdb/standings.mjs; skipped when its npm package is absent
//       or PENALTY_BENCH_DUCKDB=0)
// (c) is skipped when PENALTY_BENCH_PURE_SQL=0 (e.g. to rerun only the
// extension's figures).
// checks that (b), (c) and (e) of every configuration give the same answer
// (the data are the same rows in every configuration), and prints one
// Markdown table. (a), (b), (c) and (e) take the best of 3 runs when one run
// is shorter than kRepeatBelow seconds.
//
//   penalty_bench MODULE DATA_DIR N [CONFIG ...]
// CONFIG (default: all five):
//   covering  violations indexed on (seller_id, occurred_at, code)
//   pair      violations indexed on (seller_id, occurred_at)
//   none      violations without a secondary index
//   view      the view violations_v over the 'pair' table
//   text      seller_id stored as TEXT ('s000123'), indexed on (seller_id, occurred_at)
// The databases DATA_DIR/events-N-{none,covering,pair,text}.db are made on
// first use (see generate()) and reused. When the extension has
// penalty_read_plan (read strategies), the plan of each source is printed;
// PENALTY_BENCH_STRATEGY=auto|stream|sort forces one through penalty_config.
// PENALTY_BENCH_CONFIG="name=value[,name=value...]" applies any settings,
// `SELECT penalty_config(name, value)` on each measurement connection (the
// value an INTEGER when all digits, else TEXT; a refused one is fatal).
// Exit status 0 only when every answer agrees.
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "bench_db.hpp"

namespace {

const bench::Db kDb("penalty_bench");
const char* const kAsOf = "2018-12-31 23:59:59+08:00";  // the end of the data, Beijing time
constexpr double kRepeatBelow = 2.0;                    // seconds: shorter runs are taken best of 3

[[noreturn]] void die(const std::string& msg) { kDb.die(msg); }
void exec(sqlite3* db, const std::string& sql) { kDb.exec(db, sql); }
sqlite3* open_db(const std::string& path, const std::string& module) { return kDb.open(path, module); }
std::string one_row(sqlite3* db, const std::string& sql, const std::vector<std::string>& binds = {}) {
    return kDb.one_row(db, sql, binds);
}

std::string read_file(const std::string& path) {
    std::ifstream f(path);
    if (!f) die("cannot read " + path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

// One source configuration: which database file, which source name.
struct Config {
    std::string name;
    std::string file;    // events-N-<file>.db
    std::string source;  // table or view given to penalty_standings
    bool seller_index;   // an index leads with seller_id: (d) is measured
    bool text_ids;
};

const std::vector<Config>& all_configs() {
    static const std::vector<Config> configs = {
        {"covering", "covering", "violations", true, false}, {"pair", "pair", "violations", true, false},
        {"none", "none", "violations", false, false},        {"view", "pair", "violations_v", true, false},
        {"text", "text", "violations", true, true},
    };
    return configs;
}

std::string db_path(const std::string& dir, std::int64_t n, const std::string& file) {
    return fmt::format("{}/events-{}-{}.db", dir, n, file);
}

// A new database with the rule tables and the frozen Taobao 0.1.0 ruleset
// (frozen: runs stay comparable and the pure-SQL versions exact).
sqlite3* new_db(const std::string& path, const std::string& module) {
    std::filesystem::remove(path);
    sqlite3* db = open_db(path, module);
    exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; SELECT penalty_install();");
    exec(db, read_file("tests/sql/fixtures/taobao-0.1.0.sql"));
    return db;
}

// The base table, without a secondary index: N events, N/10 sellers, six
// codes, three years (2016-2018), stored in time order (id = time order).
// Every seller has one event; the other 90% go to sellers drawn as
// floor(S * u^2): a heavy tail of repeat offenders (at 1M events the worst
// seller has 2,794 events). Codes: mostly general violations, harassment
// 5%, severe harassment 0.05%. The same seed and draws as before the `id`
// column was added: the rows are those of the earlier runs.
void generate_base(const std::string& path, std::int64_t n, const std::string& module) {
    sqlite3* db = new_db(path, module);
    exec(db, "CREATE TABLE violations(id INTEGER PRIMARY KEY, seller_id INTEGER NOT NULL, code TEXT NOT NULL, "
             "occurred_at TEXT NOT NULL)");
    const std::int64_t sellers = std::max<std::int64_t>(1, n / 10);
    std::mt19937_64 rng(20171201);
    auto unit = [&] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
    struct Row {
        std::int64_t at;
        std::int32_t seller;
        std::uint8_t code;
    };
    std::vector<Row> rows(static_cast<std::size_t>(n));
    const std::int64_t start = 1451606400, span = 3 * 365 * 86400;  // 2016-01-01, three years
    const char* codes[] = {"not_as_described", "broken_promise", "counterfeit", "leak_personal_info", "harassment",
                           "harassment_severe"};
    for (std::int64_t i = 0; i < n; ++i) {
        Row& r = rows[static_cast<std::size_t>(i)];
        r.at = start + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(span));
        const double u = unit();
        r.seller = static_cast<std::int32_t>(i < sellers ? i : static_cast<std::int64_t>(static_cast<double>(sellers) * u * u));
        const std::uint64_t c = rng() % 10000;
        r.code = c < 4000 ? 0 : c < 7000 ? 1 : c < 8500 ? 2 : c < 9495 ? 3 : c < 9995 ? 4 : 5;
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.at < b.at; });
    exec(db, "BEGIN");
    sqlite3_stmt* ins = nullptr;
    if (sqlite3_prepare_v2(db, "INSERT INTO violations(seller_id, code, occurred_at) VALUES (?, ?, datetime(?, 'unixepoch'))",
                           -1, &ins, nullptr) != SQLITE_OK)
        die(sqlite3_errmsg(db));
    for (const Row& r : rows) {
        sqlite3_bind_int64(ins, 1, r.seller + 1);
        sqlite3_bind_text(ins, 2, codes[r.code], -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins, 3, r.at);
        if (sqlite3_step(ins) != SQLITE_DONE) die(sqlite3_errmsg(db));
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    exec(db, "COMMIT; ANALYZE");
    if (sqlite3_close(db) != SQLITE_OK) die("cannot close " + path);
}

// Makes DATA_DIR/events-N-<file>.db unless it exists with the current
// layout. Each is built under a temporary name and renamed when complete,
// so an interrupted run leaves no half-made database to be reused.
void ensure_db(const std::string& dir, std::int64_t n, const std::string& file, const std::string& module) {
    const std::string path = db_path(dir, n, file);
    if (std::filesystem::exists(path)) {
        // Databases made before the `id` column (same rows) are made again.
        sqlite3* db = open_db(path, module);
        const bool current = one_row(db, "SELECT count(*) FROM pragma_table_info('violations') WHERE name = 'id'") == "1";
        if (sqlite3_close(db) != SQLITE_OK) die("cannot close " + path);
        if (current) return;
        fmt::print("{} has an older layout (no id column): making it again\n", path);
    }
    const std::string base = db_path(dir, n, "none");
    if (file != "none") ensure_db(dir, n, "none", module);
    fmt::print("generating {} ...\n", path);
    std::fflush(stdout);
    const auto t0 = std::chrono::steady_clock::now();
    const std::string tmp = path + ".tmp";
    if (file == "none") {
        generate_base(tmp, n, module);
    } else if (file == "covering" || file == "pair") {
        std::filesystem::copy_file(base, tmp, std::filesystem::copy_options::overwrite_existing);
        sqlite3* db = open_db(tmp, module);
        exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF");
        exec(db, file == "covering" ? "CREATE INDEX violations_seller ON violations(seller_id, occurred_at, code)"
                                    : "CREATE INDEX violations_seller ON violations(seller_id, occurred_at)");
        exec(db, "CREATE VIEW violations_v AS SELECT seller_id, code, occurred_at FROM violations; ANALYZE");
        if (sqlite3_close(db) != SQLITE_OK) die("cannot close " + tmp);
    } else if (file == "text") {
        sqlite3* db = new_db(tmp, module);
        exec(db, "CREATE TABLE violations(id INTEGER PRIMARY KEY, seller_id TEXT NOT NULL, code TEXT NOT NULL, "
                 "occurred_at TEXT NOT NULL)");
        exec(db, fmt::format("ATTACH '{}' AS base", base));
        exec(db, "INSERT INTO violations SELECT id, printf('s%06d', seller_id), code, occurred_at "
                 "FROM base.violations ORDER BY id; DETACH base");
        exec(db, "CREATE INDEX violations_seller ON violations(seller_id, occurred_at); ANALYZE");
        if (sqlite3_close(db) != SQLITE_OK) die("cannot close " + tmp);
    } else {
        die("unknown database kind " + file);
    }
    std::filesystem::rename(tmp, path);
    fmt::print("generated in {:.1f} s\n", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
}

bool has_function(sqlite3* db, const std::string& name) {
    return one_row(db, "SELECT 1 FROM pragma_function_list WHERE name = ?1", {name}) == "1";
}

// `SELECT penalty_config(name, value)` on `db`, the value bound as INTEGER
// when it is all digits, else as TEXT; dies with penalty's error text when
// the setting or the value is refused. `from` names the variable it came from.
void set_config(sqlite3* db, const char* from, const std::string& name, const std::string& value) {
    if (!has_function(db, "penalty_config")) die(fmt::format("{} is set but this build has no penalty_config()", from));
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT penalty_config(?1, ?2)", -1, &st, nullptr) != SQLITE_OK) die(sqlite3_errmsg(db));
    sqlite3_bind_text(st, 1, name.c_str(), -1, SQLITE_TRANSIENT);
    const bool digits = !value.empty() && std::all_of(value.begin(), value.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (digits) {
        std::int64_t v = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
        if (ec != std::errc() || end != value.data() + value.size())
            die(fmt::format("{}: {}={}: the value does not fit a 64-bit INTEGER", from, name, value));
        sqlite3_bind_int64(st, 2, v);
    } else {
        sqlite3_bind_text(st, 2, value.c_str(), -1, SQLITE_TRANSIENT);
    }
    if (sqlite3_step(st) != SQLITE_ROW) die(fmt::format("{}: {}={}: {}", from, name, value, sqlite3_errmsg(db)));
    sqlite3_finalize(st);
}

// PENALTY_BENCH_CONFIG="name=value[,name=value...]" as (name, value) pairs;
// dies on an item without a name and '='.
std::vector<std::pair<std::string, std::string>> bench_config() {
    std::vector<std::pair<std::string, std::string>> out;
    const char* env = std::getenv("PENALTY_BENCH_CONFIG");
    if (!env || !*env) return out;
    const std::string list = env;
    for (std::size_t start = 0; start <= list.size();) {
        const std::size_t end = std::min(list.find(',', start), list.size());
        const std::string item = list.substr(start, end - start);
        const std::size_t eq = item.find('=');
        if (eq == 0 || eq == std::string::npos)
            die(fmt::format("PENALTY_BENCH_CONFIG: expected name=value[,name=value...], got '{}'", item));
        out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
        start = end + 1;
    }
    return out;
}

// A connection for one measurement: the module loaded, the settings of
// PENALTY_BENCH_CONFIG applied and, when PENALTY_BENCH_STRATEGY is set,
// that read strategy forced.
sqlite3* open_for_run(const std::string& path, const std::string& module) {
    sqlite3* db = open_db(path, module);
    for (const auto& [name, value] : bench_config()) set_config(db, "PENALTY_BENCH_CONFIG", name, value);
    if (const char* strategy = std::getenv("PENALTY_BENCH_STRATEGY"); strategy && *strategy)
        set_config(db, "PENALTY_BENCH_STRATEGY", "read_strategy", strategy);
    return db;
}

using Result = bench::Db::Result;

// `sql` (one row) on `path` in a child; best time of up to 3 runs when a run
// is short (and the least CPU time), the largest peak RSS of the runs. Every run must give the same answer.
Result measure(const std::string& path, const std::string& module, const std::string& sql,
               const std::vector<std::string>& binds = {}) {
    auto run = [&] {
        return kDb.in_child([&] {
            sqlite3* db = open_for_run(path, module);
            std::string r = one_row(db, sql, binds);
            sqlite3_close(db);
            return r;
        });
    };
    Result best = run();
    for (int k = 1; k < 3 && best.seconds < kRepeatBelow; ++k) {
        const Result r = run();
        if (r.answer != best.answer) die(fmt::format("two runs of the same query disagree: {}", sql.substr(0, 80)));
        best.max_rss_kb = std::max(best.max_rss_kb, r.max_rss_kb);
        best.seconds = std::min(best.seconds, r.seconds);
        best.cpu_seconds = std::min(best.cpu_seconds, r.cpu_seconds);
    }
    return best;
}

// bench/standings.sql over `source` instead of the table `violations`.
std::string pure_sql_for(const std::string& source) {
    std::string sql = read_file("bench/standings.sql");
    const std::string from = " violations AS v", to = " " + source + " AS v";
    int replaced = 0;
    for (std::size_t at = sql.find(from); at != std::string::npos; at = sql.find(from, at + to.size())) {
        sql.replace(at, from.size(), to);
        ++replaced;
    }
    if (replaced == 0) die("bench/standings.sql no longer reads ' violations AS v'");
    return sql;
}

// (d): the median of 2,001 look-ups of a seller with about 100 events.
struct Lookup {
    double median_us = 0;
    std::string seller;
};
Lookup one_seller(const std::string& path, const std::string& module, const std::string& source) {
    sqlite3* db = open_for_run(path, module);
    sqlite3_stmt* pick = nullptr;
    if (sqlite3_prepare_v2(db,
                           fmt::format("SELECT seller_id FROM {} GROUP BY seller_id HAVING count(*) BETWEEN 95 AND 105 "
                                       "LIMIT 1",
                                       source)
                               .c_str(),
                           -1, &pick, nullptr) != SQLITE_OK)
        die(sqlite3_errmsg(db));
    Lookup out;
    const int rc = sqlite3_step(pick);
    if (rc != SQLITE_ROW) {
        if (rc != SQLITE_DONE) die(sqlite3_errmsg(db));
        sqlite3_finalize(pick);
        sqlite3_close(db);
        return out;  // no seller with about 100 events (a small N)
    }
    sqlite3_value* seller = sqlite3_value_dup(sqlite3_column_value(pick, 0));
    if (!seller) die("out of memory");
    out.seller = reinterpret_cast<const char*>(sqlite3_column_text(pick, 0));
    sqlite3_finalize(pick);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db,
                           fmt::format("SELECT points, closure_at FROM penalty_standings('taobao', '{}', ?1) "
                                       "WHERE seller_id = ?2",
                                       source)
                               .c_str(),
                           -1, &st, nullptr) != SQLITE_OK)
        die(sqlite3_errmsg(db));
    std::vector<double> times;
    for (int k = 0; k < 2001; ++k) {
        const auto t0 = std::chrono::steady_clock::now();
        sqlite3_bind_text(st, 1, kAsOf, -1, SQLITE_STATIC);
        sqlite3_bind_value(st, 2, seller);
        int rows = 0, step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) ++rows;
        if (step != SQLITE_DONE || rows != 1) die(fmt::format("one seller by pushdown: {}", sqlite3_errmsg(db)));
        sqlite3_reset(st);
        times.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    }
    sqlite3_finalize(st);
    sqlite3_value_free(seller);
    sqlite3_close(db);
    std::sort(times.begin(), times.end());
    out.median_us = times[times.size() / 2];
    return out;
}

// (e): DuckDB on a CSV export of the database (made once, not timed).
// Returns nothing when DuckDB is not available.
struct Duck {
    double seconds = 0;
    std::string answer;
};
std::optional<Duck> duckdb(const std::string& dir, std::int64_t n, const std::string& path, const std::string& module,
                           bool text_ids) {
    if (const char* off = std::getenv("PENALTY_BENCH_DUCKDB"); off && std::string(off) == "0") return std::nullopt;
    if (access("bench/duckdb/node_modules/@duckdb/node-api", F_OK) != 0) return std::nullopt;
    const std::string csv = fmt::format("{}/events-{}{}.csv", dir, n, text_ids ? "-text" : "");
    sqlite3* db = open_db(path, module);
    auto export_csv = [&](const std::string& file, const std::string& sql) {
        const std::string tmp = file + ".tmp";
        std::FILE* out = std::fopen(tmp.c_str(), "w");
        if (!out) die("cannot write " + tmp);
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) die(sqlite3_errmsg(db));
        for (int c = 0; c < sqlite3_column_count(st); ++c) fmt::print(out, "{}{}", c ? "," : "", sqlite3_column_name(st, c));
        fmt::print(out, "\n");
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(st); ++c) {  // no cell holds a comma or a quote
                const unsigned char* t = sqlite3_column_text(st, c);
                fmt::print(out, "{}{}", c ? "," : "", t ? reinterpret_cast<const char*>(t) : "");
            }
            fmt::print(out, "\n");
        }
        if (rc != SQLITE_DONE) die(sqlite3_errmsg(db));
        sqlite3_finalize(st);
        if (std::fclose(out) != 0) die("cannot write " + tmp);
        std::filesystem::rename(tmp, file);
    };
    if (!std::filesystem::exists(csv))
        export_csv(csv, "SELECT id AS rid, seller_id, code, unixepoch(occurred_at) AS t FROM violations");
    export_csv(dir + "/violation.csv",
               "SELECT code, track, points, closes FROM penalty_violation WHERE ruleset = 'taobao'");
    export_csv(dir + "/threshold.csv", "SELECT track, points, closes FROM penalty_threshold WHERE ruleset = 'taobao'");
    const std::string as_of_unix = one_row(db, "SELECT unixepoch(?1)", {kAsOf});
    const std::string year = one_row(db, "SELECT strftime('%Y', ?1, '+8 hours')", {kAsOf});
    sqlite3_close(db);
    const std::string cmd = fmt::format("node bench/duckdb/standings.mjs '{}' '{}' {} {} {}", csv, dir, as_of_unix, year,
                                        text_ids ? "VARCHAR" : "BIGINT");
    std::FILE* p = popen(cmd.c_str(), "r");
    if (!p) die("cannot run " + cmd);
    std::string out;
    char buf[4096];
    std::size_t got;
    while ((got = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, got);
    if (pclose(p) != 0) die("failed: " + cmd);
    Duck d;
    const auto sp = out.find(' ');
    if (sp == std::string::npos) die("unexpected output of " + cmd + ": " + out);
    d.seconds = std::stod(out.substr(0, sp));
    d.answer = out.substr(sp + 1);
    while (!d.answer.empty() && (d.answer.back() == '\n' || d.answer.back() == '\r')) d.answer.pop_back();
    return d;
}

std::string short_n(std::int64_t n) {
    if (n % 1000000 == 0) return fmt::format("{}M", n / 1000000);
    if (n % 1000 == 0) return fmt::format("{}k", n / 1000);
    return std::to_string(n);
}

std::string grouped(double v) {  // 1234567 -> "1,234,567"
    std::string s = fmt::format("{:.0f}", v);
    for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) die("usage: penalty_bench MODULE DATA_DIR N [CONFIG ...]");
    const std::string module = argv[1], dir = argv[2];
    const std::int64_t n = std::atoll(argv[3]);
    if (n <= 0) die("N must be a positive number of events");
    std::vector<Config> configs;
    for (int k = 4; k < argc; ++k) {
        const auto& all = all_configs();
        const auto it = std::find_if(all.begin(), all.end(), [&](const Config& c) { return c.name == argv[k]; });
        if (it == all.end()) die(fmt::format("unknown CONFIG '{}': expected covering, pair, none, view or text", argv[k]));
        configs.push_back(*it);
    }
    if (configs.empty()) configs = all_configs();
    std::filesystem::create_directories(dir);
    // The settings are checked before any database is made (that can take an hour at 100M).
    sqlite3_close(open_for_run(":memory:", module));
    if (const char* env = std::getenv("PENALTY_BENCH_CONFIG"); env && *env) fmt::print("PENALTY_BENCH_CONFIG={}\n", env);

    std::vector<std::string> rows, notes;
    std::map<std::string, std::optional<Duck>> duck_runs;  // by CSV kind: the same rows give the same run
    std::string reference;                                 // the first answer of (b)
    bool agree = true;
    auto check = [&](const std::string& what, const std::string& answer) {
        if (reference.empty()) reference = answer;
        if (answer != reference) {
            agree = false;
            notes.push_back(fmt::format("DISAGREE: {} answers [{}], expected [{}]", what, answer, reference));
        }
    };
    for (const Config& cfg : configs) {
        ensure_db(dir, n, cfg.file, module);
        const std::string path = db_path(dir, n, cfg.file);
        fmt::print("== N={} source={} ({}, {})\n", n, cfg.name, path, cfg.source);
        std::fflush(stdout);
        {
            sqlite3* db = open_for_run(path, module);
            if (has_function(db, "penalty_read_plan")) {
                const std::string plan = one_row(db, "SELECT penalty_read_plan(?1)", {cfg.source});
                fmt::print("plan: {}\n", plan);
                notes.push_back(fmt::format("plan {} {}: {}", short_n(n), cfg.name, plan));
            }
            sqlite3_close(db);
        }
        const Result a = measure(
            path, module, fmt::format("SELECT count(*), sum(unixepoch(occurred_at)), sum(length(code)) FROM {}", cfg.source));
        const double events = std::atof(a.answer.c_str());
        fmt::print("(a) bare scan            {:8.3f} s  cpu {:7.3f} s  {:>12.0f} events/s  peak {:7.1f} MiB  [{}]\n",
                   a.seconds, a.cpu_seconds, events / a.seconds, a.max_rss_kb / 1024.0, a.answer);
        std::fflush(stdout);
        const Result b = measure(path, module,
                                 fmt::format("SELECT count(*), count(closure_at), sum(points) FROM "
                                             "penalty_standings('taobao', '{}', ?1)",
                                             cfg.source),
                                 {kAsOf});
        fmt::print("(b) penalty_standings    {:8.3f} s  cpu {:7.3f} s  {:>12.0f} events/s  peak {:7.1f} MiB  [{}]\n",
                   b.seconds, b.cpu_seconds, events / b.seconds, b.max_rss_kb / 1024.0, b.answer);
        std::fflush(stdout);
        check(fmt::format("(b) {}", cfg.name), b.answer);
        std::optional<Result> c;
        if (const char* off = std::getenv("PENALTY_BENCH_PURE_SQL"); !off || std::string(off) != "0") {
            c = measure(path, module, pure_sql_for(cfg.source), {kAsOf});
            fmt::print("(c) pure SQL in SQLite   {:8.3f} s  cpu {:7.3f} s  {:>12.0f} events/s  peak {:7.1f} MiB  [{}]\n",
                       c->seconds, c->cpu_seconds, events / c->seconds, c->max_rss_kb / 1024.0, c->answer);
            check(fmt::format("(c) {}", cfg.name), c->answer);
        } else {
            fmt::print("(c) pure SQL in SQLite: skipped (PENALTY_BENCH_PURE_SQL=0)\n");
        }
        std::fflush(stdout);
        Lookup d;
        if (cfg.seller_index) {
            d = one_seller(path, module, cfg.source);
            fmt::print("(d) one seller           {:8.1f} us median (seller {})\n", d.median_us, d.seller);
        }
        const std::string kind = cfg.text_ids ? "text" : "integer";
        if (!duck_runs.count(kind)) duck_runs[kind] = duckdb(dir, n, path, module, cfg.text_ids);
        const std::optional<Duck>& e = duck_runs[kind];
        if (e) {
            fmt::print("(e) DuckDB, 2 threads    {:8.3f} s  [{}] ({} seller ids)\n", e->seconds, e->answer, kind);
            check(fmt::format("(e) DuckDB, {} seller ids", kind), e->answer);
        } else {
            fmt::print("(e) DuckDB: skipped (no bench/duckdb/node_modules, or PENALTY_BENCH_DUCKDB=0)\n");
        }
        std::fflush(stdout);
        const double above = (b.max_rss_kb - a.max_rss_kb) * 1024.0 / events;
        rows.push_back(fmt::format(
            "| {} | {} | {:.3f} s | {:.3f} s | {:.2f} ({:.2f}) | {} | {:.1f} MiB | {:.1f} B | {} | {} | {} | {} |", short_n(n),
            cfg.name, a.seconds, b.seconds, b.seconds / a.seconds, b.cpu_seconds / a.cpu_seconds, grouped(events / b.seconds), b.max_rss_kb / 1024.0,
            above, c ? fmt::format("{:.3f} s", c->seconds) : "—", e ? fmt::format("{:.3f} s", e->seconds) : "—",
            e ? fmt::format("{:.2f}", e->seconds / b.seconds) : "—",
            cfg.seller_index && !d.seller.empty() ? fmt::format("{:.0f} µs", d.median_us) : "—"));
    }
    fmt::print("\n| N | source | (a) scan | (b) standings | b/a (CPU) | (b) events/s | (b) peak RSS | (b) above (a) per event "
               "| (c) SQLite SQL | (e) DuckDB | e/b | (d) one seller |\n");
    fmt::print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (const std::string& r : rows) fmt::print("{}\n", r);
    for (const std::string& note : notes) fmt::print("{}\n", note);
    fmt::print("answers {}: [{}] (count, closed, points)\n", agree ? "agree" : "DISAGREE", reference);
    return agree ? 0 : 1;
}
