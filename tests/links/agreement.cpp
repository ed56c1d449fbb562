// agreement.cpp — linked sellers (docs/model.md §6) through SQL against a
// deliberately naive reference written here.
//
// For each of many random cases (fixed seed): a random links table (chains,
// cycles, stars, isolated sellers, NULL entities; seller ids and entities
// that are INTEGER, REAL or TEXT, including 1 vs 1.0 vs '1') and random
// events for a small ruleset (a lifetime track; a code that closes, a
// threshold that closes, a code with min_prior 1), in four rulesets
// (prior_scope 'seller' | 'cluster' x link_closes 0 | 1). The reference:
//   clusters   by repeated relaxation over pairs of link rows (no union-find);
//   evaluation per cluster, events in one merged order (occurred_at,
//              seller_id BINARY, rowid) for 'cluster' or per seller
//              (occurred_at, rowid) for 'seller'; prior record counted over
//              the scope; points, offences, dismissed, own closure per seller;
//   as of T    linked_closure_at = the earliest own closure <= T of another
//              member (ties: smallest seller_id), closure_at = own, or
//              min(own, linked) with link_closes.
// Compared with penalty_clusters('links') (whole table and seller_id = ?)
// and penalty_standings(r, 'ev', T, 'links') (whole table and seller_id = ?)
// on every seller at several T, and with penalty_ledger(r, 'ev', NULL, 'links')
// on every event (status, points, closes). Prints the number of cases and comparisons.
// Each case runs under one of the settings in turn (read_strategy 'stream' |
// 'sort' | 'auto' x threads 1 | 2 | 4 x memory_budget large | 65536).
// PENALTY_LINKS_CASES=n overrides the number of cases; PENALTY_LINKS_SEED the seed.
#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "penalty.h"

namespace {

// A value as SQLite's BINARY comparison sees it: numbers (by value) before
// text (by bytes). Integers and reals share the class (1 == 1.0).
struct Key {
    int cls = 0;  // 0 number, 1 text
    double num = 0;
    std::string text;
    bool operator<(const Key& o) const {
        if (cls != o.cls) return cls < o.cls;
        if (cls == 0) return num < o.num;
        return text < o.text;  // std::string compares bytes as unsigned char
    }
    bool operator==(const Key& o) const { return !(*this < o) && !(o < *this); }
    std::string show() const {
        if (cls == 1) return "'" + text + "'";
        char b[64];
        std::snprintf(b, sizeof b, "%g", num);
        return b;
    }
};

// A concrete value to store: its key and its storage class.
struct Val {
    Key key;
    int type = SQLITE_INTEGER;  // SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT
    void bind(sqlite3_stmt* st, int i) const {
        if (type == SQLITE_INTEGER) sqlite3_bind_int64(st, i, static_cast<int64_t>(key.num));
        else if (type == SQLITE_FLOAT) sqlite3_bind_double(st, i, key.num);
        else sqlite3_bind_text(st, i, key.text.c_str(), -1, SQLITE_TRANSIENT);
    }
};

Key key_of(sqlite3_value* v) {
    Key k;
    switch (sqlite3_value_type(v)) {
        case SQLITE_INTEGER:
        case SQLITE_FLOAT: k.cls = 0; k.num = sqlite3_value_double(v); break;
        case SQLITE_TEXT:
            k.cls = 1;
            k.text.assign(reinterpret_cast<const char*>(sqlite3_value_text(v)), sqlite3_value_bytes(v));
            break;
        default: k.cls = 2; break;  // NULL / BLOB: never expected
    }
    return k;
}

std::optional<int64_t> opt_int(sqlite3_stmt* st, int c) {
    if (sqlite3_column_type(st, c) == SQLITE_NULL) return std::nullopt;
    return sqlite3_column_int64(st, c);
}

void exec(sqlite3* db, const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::fprintf(stderr, "SQL error: %s\n  in %s\n", err, sql.c_str());
        std::exit(2);
    }
}

constexpr int64_t kDay = 86400;
constexpr int64_t kBase = 1577836800;  // 2020-01-01 00:00:00 UTC
constexpr int64_t kRepeat = 10 * kDay;  // repeat_days 10
constexpr int kThreshold = 10;

const char* kRules =
    "SELECT penalty_install();"
    "INSERT INTO penalty_ruleset(ruleset, repeat_days, prior_scope, link_closes) VALUES"
    " ('s0', 10, 'seller', 0), ('s1', 10, 'seller', 1), ('c0', 10, 'cluster', 0), ('c1', 10, 'cluster', 1);"
    "INSERT INTO penalty_track(ruleset, track, period) SELECT ruleset, 't', 'lifetime' FROM penalty_ruleset;"
    "INSERT INTO penalty_violation(ruleset, code, track, points, closes, min_prior)"
    " SELECT ruleset, 'a', 't', 3, 0, 0 FROM penalty_ruleset UNION ALL"
    " SELECT ruleset, 'b', 't', 4, 0, 1 FROM penalty_ruleset UNION ALL"
    " SELECT ruleset, 'x', 't', 1, 1, 0 FROM penalty_ruleset;"
    "INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, closes)"
    " SELECT ruleset, 't', 10, 'ban', NULL, 1 FROM penalty_ruleset UNION ALL"
    " SELECT ruleset, 't', 6, 'warn', 3, 0 FROM penalty_ruleset;";

struct LinkRow {
    Val seller;
    std::optional<Val> entity;
};
struct Event {
    int64_t rowid;
    Val seller;
    char code;
    int64_t at;
};

struct Expected {  // one seller, as of T
    int64_t points = 0, offences = 0, dismissed = 0;
    std::optional<int64_t> closure_at, linked_closure_at;
    Key cluster;
    std::optional<Key> linked_seller;
};

struct Reference {
    std::map<Key, Key> cluster;             // every listed seller -> cluster name
    std::map<Key, int64_t> size, entities;  // by cluster name (sellers in links only)
    std::set<Key> in_links;
    // per seller: counted events (at, points), dismissed times, own closure
    struct Eval {
        std::vector<std::pair<int64_t, int>> counted;
        std::vector<int64_t> dismissed;
        std::optional<int64_t> closure;
    };
    struct Row {  // the ledger's row of one event
        bool counted;
        int points;
        bool closes;  // the seller's own first closing event
    };
    std::map<int64_t, Row> ledger[2];  // by rowid
    std::map<Key, Eval> eval[2];  // [0] prior_scope seller, [1] cluster
};

Reference reference(const std::vector<LinkRow>& links, const std::vector<Event>& events) {
    Reference r;
    // Clusters: every seller with a non-NULL entity starts as its own label;
    // relax over every pair of rows that share an entity until nothing moves.
    std::map<Key, Key> label;
    for (const auto& l : links)
        if (l.entity) label[l.seller.key] = l.seller.key;
    for (bool moved = true; moved;) {
        moved = false;
        for (const auto& a : links)
            for (const auto& b : links) {
                if (!a.entity || !b.entity || !(a.entity->key == b.entity->key)) continue;
                Key& la = label[a.seller.key];
                Key& lb = label[b.seller.key];
                if (la < lb) { lb = la; moved = true; }
                else if (lb < la) { la = lb; moved = true; }
            }
    }
    for (const auto& [s, c] : label) {
        r.cluster[s] = c;
        r.in_links.insert(s);
        r.size[c]++;
    }
    std::map<Key, std::set<Key>> ents;
    for (const auto& l : links)
        if (l.entity) ents[label[l.seller.key]].insert(l.entity->key);
    for (const auto& [c, e] : ents) r.entities[c] = static_cast<int64_t>(e.size());
    for (const auto& e : events)
        if (!r.cluster.count(e.seller.key)) r.cluster[e.seller.key] = e.seller.key;

    for (int scope = 0; scope < 2; ++scope) {
        // Groups evaluated together: a seller ('seller') or a cluster ('cluster').
        std::map<Key, std::vector<const Event*>> groups;
        for (const auto& e : events) groups[scope ? r.cluster[e.seller.key] : e.seller.key].push_back(&e);
        for (auto& [g, evs] : groups) {
            std::sort(evs.begin(), evs.end(), [](const Event* a, const Event* b) {
                if (a->at != b->at) return a->at < b->at;
                if (a->seller.key < b->seller.key) return true;
                if (b->seller.key < a->seller.key) return false;
                return a->rowid < b->rowid;
            });
            std::vector<int64_t> counted_at;  // counted events of the group, in order
            std::map<Key, int> balance;
            for (const Event* e : evs) {
                auto& ev = r.eval[scope][e->seller.key];
                int prior = 0;
                for (int64_t t : counted_at)
                    if (t > e->at - kRepeat) ++prior;
                if (e->code == 'b' && prior < 1) {
                    ev.dismissed.push_back(e->at);
                    r.ledger[scope][e->rowid] = {false, 0, false};
                    continue;
                }
                const int p = e->code == 'a' ? 3 : e->code == 'b' ? 4 : 1;
                int& bal = balance[e->seller.key];
                const bool closes = e->code == 'x' || (bal < kThreshold && kThreshold <= bal + p);
                bal += p;
                counted_at.push_back(e->at);
                ev.counted.emplace_back(e->at, p);
                r.ledger[scope][e->rowid] = {true, p, closes && !ev.closure};
                if (closes && !ev.closure) ev.closure = e->at;
            }
        }
    }
    return r;
}

Expected expected_at(const Reference& r, int scope, bool link_closes, const Key& s, int64_t T) {
    Expected x;
    x.cluster = r.cluster.at(s);
    auto it = r.eval[scope].find(s);
    std::optional<int64_t> own;
    if (it != r.eval[scope].end()) {
        for (auto [at, p] : it->second.counted)
            if (at <= T) { x.points += p; ++x.offences; }
        for (int64_t at : it->second.dismissed)
            if (at <= T) ++x.dismissed;
        if (it->second.closure && *it->second.closure <= T) own = it->second.closure;
    }
    for (const auto& [m, c] : r.cluster) {  // in seller order: ties go to the smallest
        if (m == s || !(c == x.cluster)) continue;
        auto mi = r.eval[scope].find(m);
        if (mi == r.eval[scope].end() || !mi->second.closure || *mi->second.closure > T) continue;
        if (!x.linked_closure_at || *mi->second.closure < *x.linked_closure_at) {
            x.linked_closure_at = mi->second.closure;
            x.linked_seller = m;
        }
    }
    x.closure_at = own;
    if (link_closes && x.linked_closure_at && (!own || *x.linked_closure_at < *own)) x.closure_at = x.linked_closure_at;
    return x;
}

std::string show(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : "NULL"; }
std::string show(const std::optional<Key>& v) { return v ? v->show() : "NULL"; }

struct Stats {
    long cases = 0, comparisons = 0, failures = 0;
    // coverage: standings rows with a linked closure, rows closed through a
    // link (link_closes), ledger events whose status differs between the
    // 'seller' and 'cluster' scopes, linked closures tied with another member
    long linked = 0, closed_by_link = 0, scope_differs = 0, linked_ties = 0;
};

std::string dump_case(const std::vector<LinkRow>& links, const std::vector<Event>& events) {
    auto lit = [](const Val& v) {
        if (v.type == SQLITE_INTEGER) return std::to_string(static_cast<int64_t>(v.key.num));
        if (v.type == SQLITE_FLOAT) {
            char b[64];
            std::snprintf(b, sizeof b, "%.1f", v.key.num);
            return std::string(b);
        }
        return "'" + v.key.text + "'";
    };
    std::string s = "  links:";
    for (const auto& l : links) s += " (" + lit(l.seller) + ", " + (l.entity ? lit(*l.entity) : "NULL") + ")";
    s += "\n  events:";
    for (const auto& e : events)
        s += " (" + lit(e.seller) + ", '" + e.code + "', " + std::to_string((e.at - kBase) / 3600) + "h)";
    return s + "\n";
}

bool g_dumped = false;
void fail(Stats& st, const std::string& what, const std::vector<LinkRow>& links, const std::vector<Event>& events) {
    ++st.failures;
    if (st.failures <= 20) std::printf("FAIL %s\n", what.c_str());
    if (!g_dumped) {
        g_dumped = true;
        std::printf("%s", dump_case(links, events).c_str());
    }
}

// The pools of values: numbers that may be stored as INTEGER or as REAL
// (1 and 1.0 are one value), and text (including '1', which is another).
Val make_number(double n, bool real) { return Val{Key{0, n, {}}, real ? SQLITE_FLOAT : SQLITE_INTEGER}; }
Val make_text(const std::string& t) { return Val{Key{1, 0, t}, SQLITE_TEXT}; }

void run_case(sqlite3* db, std::mt19937_64& rng, Stats& st) {
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
    // Sellers: numbers 1..6 (and 2.5), text '1', '2', 'a', 'b', 'B', 'ab'.
    std::vector<std::pair<bool, std::string>> pool;  // (is number, spelling)
    for (const char* n : {"1", "2", "3", "4", "5", "6", "2.5"}) pool.emplace_back(true, n);
    for (const char* t : {"1", "2", "a", "b", "B", "ab"}) pool.emplace_back(false, t);
    std::shuffle(pool.begin(), pool.end(), rng);
    const int nsellers = 2 + pick(9);
    auto seller_val = [&](int i) {
        const auto& [num, sp] = pool[static_cast<size_t>(i)];
        if (!num) return make_text(sp);
        const double v = std::strtod(sp.c_str(), nullptr);
        return make_number(v, v != static_cast<int64_t>(v) || pick(3) == 0);
    };
    auto entity_val = [&](int e) {
        switch (pick(4)) {
            case 0: return make_number(e, false);
            case 1: return make_number(e, true);
            case 2: return make_text(std::to_string(e));
            default: return make_text("e" + std::to_string(e));
        }
    };
    std::vector<LinkRow> links;
    int next_entity = 1;
    const int shapes = pick(5);
    for (int k = 0; k < shapes; ++k) {
        std::vector<int> members;
        const int m = 1 + pick(std::min(nsellers, 5));
        for (int i = 0; i < m; ++i) members.push_back(pick(nsellers));
        switch (pick(5)) {
            case 0:  // chain: s0 -e- s1 -e'- s2 ...
                for (size_t i = 0; i + 1 < members.size(); ++i) {
                    Val e = entity_val(next_entity++);
                    links.push_back({seller_val(members[i]), e});
                    links.push_back({seller_val(members[i + 1]), e});
                }
                break;
            case 1:  // cycle
                for (size_t i = 0; i < members.size(); ++i) {
                    Val e = entity_val(next_entity++);
                    links.push_back({seller_val(members[i]), e});
                    links.push_back({seller_val(members[(i + 1) % members.size()]), e});
                }
                break;
            case 2: {  // star: one entity shared by all
                Val e = entity_val(next_entity++);
                for (int s : members) links.push_back({seller_val(s), e});
                break;
            }
            case 3:  // isolated: one seller, own entities (one may repeat)
                for (int i = 0; i < 1 + pick(2); ++i) links.push_back({seller_val(members[0]), entity_val(next_entity++)});
                break;
            default:  // random rows over a few shared entities, reused numbers
                for (int s : members) links.push_back({seller_val(s), entity_val(1 + pick(next_entity + 1))});
                break;
        }
    }
    for (int i = pick(3); i > 0; --i) links.push_back({seller_val(pick(nsellers)), std::nullopt});  // NULL entities
    std::shuffle(links.begin(), links.end(), rng);

    std::vector<Event> events;
    const int nevents = pick(25);
    for (int i = 0; i < nevents; ++i) {
        const int r = pick(10);
        const char code = r < 5 ? 'a' : r < 9 ? 'b' : 'x';
        const int64_t at = kBase + pick(30) * kDay + (pick(3) == 0 ? 0 : pick(3) * 3600);  // many ties
        events.push_back({i + 1, seller_val(pick(nsellers)), code, at});
    }

    exec(db, "DELETE FROM links; DELETE FROM ev;");
    {
        sqlite3_stmt* ins = nullptr;
        sqlite3_prepare_v2(db, "INSERT INTO links(seller_id, entity) VALUES (?, ?)", -1, &ins, nullptr);
        for (const auto& l : links) {
            l.seller.bind(ins, 1);
            if (l.entity) l.entity->bind(ins, 2);
            else sqlite3_bind_null(ins, 2);
            sqlite3_step(ins);
            sqlite3_reset(ins);
        }
        sqlite3_finalize(ins);
        sqlite3_prepare_v2(db, "INSERT INTO ev(rowid, seller_id, code, occurred_at) VALUES (?, ?, ?, ?)", -1, &ins, nullptr);
        for (const auto& e : events) {
            sqlite3_bind_int64(ins, 1, e.rowid);
            e.seller.bind(ins, 2);
            sqlite3_bind_text(ins, 3, &e.code, 1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(ins, 4, e.at);
            sqlite3_step(ins);
            sqlite3_reset(ins);
        }
        sqlite3_finalize(ins);
    }
    ++st.cases;
    const Reference ref = reference(links, events);
    auto F = [&](const std::string& what) { fail(st, what, links, events); };

    // A representative value per seller, to bind for pushdown (a random spelling).
    std::map<Key, Val> spell;
    for (const auto& l : links) spell[l.seller.key] = l.seller;
    for (const auto& e : events) spell[e.seller.key] = e.seller;

    // penalty_clusters: whole table, then by seller_id = ?.
    {
        sqlite3_stmt* q = nullptr;
        sqlite3_prepare_v2(db, "SELECT seller_id, cluster, size, entities FROM penalty_clusters('links')", -1, &q, nullptr);
        std::set<Key> seen;
        int rc;
        while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
            const Key s = key_of(sqlite3_column_value(q, 0)), c = key_of(sqlite3_column_value(q, 1));
            ++st.comparisons;
            if (!seen.insert(s).second) F("penalty_clusters: seller " + s.show() + " listed twice");
            if (!ref.in_links.count(s)) { F("penalty_clusters: seller " + s.show() + " not in links"); continue; }
            const Key& ec = ref.cluster.at(s);
            if (!(c == ec) || sqlite3_column_int64(q, 2) != ref.size.at(ec) || sqlite3_column_int64(q, 3) != ref.entities.at(ec))
                F("penalty_clusters: seller " + s.show() + ": got cluster " + c.show() + " size " +
                  std::to_string(sqlite3_column_int64(q, 2)) + " entities " + std::to_string(sqlite3_column_int64(q, 3)) +
                  ", expected " + ec.show() + " " + std::to_string(ref.size.at(ec)) + " " + std::to_string(ref.entities.at(ec)));
        }
        if (rc != SQLITE_DONE) F(std::string("penalty_clusters: ") + sqlite3_errmsg(db));
        if (seen.size() != ref.in_links.size())
            F("penalty_clusters: " + std::to_string(seen.size()) + " rows, expected " + std::to_string(ref.in_links.size()));
        sqlite3_finalize(q);

        sqlite3_prepare_v2(db, "SELECT seller_id, cluster, size, entities FROM penalty_clusters('links') WHERE seller_id = ?", -1, &q, nullptr);
        for (const auto& [s, v] : spell) {
            v.bind(q, 1);
            int rows = 0;
            while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
                ++rows;
                const Key c = key_of(sqlite3_column_value(q, 1));
                if (ref.in_links.count(s) && !(c == ref.cluster.at(s)))
                    F("penalty_clusters WHERE seller_id = " + s.show() + ": cluster " + c.show() + ", expected " + ref.cluster.at(s).show());
            }
            if (rc != SQLITE_DONE) F(std::string("penalty_clusters pushdown: ") + sqlite3_errmsg(db));
            ++st.comparisons;
            if (rows != (ref.in_links.count(s) ? 1 : 0))
                F("penalty_clusters WHERE seller_id = " + s.show() + ": " + std::to_string(rows) + " rows");
            sqlite3_reset(q);
        }
        sqlite3_finalize(q);
    }

    // penalty_standings with links, four rulesets, several as_of.
    std::vector<int64_t> asofs = {kBase - 1, kBase + 8 * kDay, kBase + 16 * kDay + 3600, kBase + 40 * kDay};
    if (!events.empty()) asofs.push_back(events[static_cast<size_t>(pick(static_cast<int>(events.size())))].at);
    const char* cols =
        "SELECT seller_id, points, offences, dismissed, CAST(strftime('%s', closure_at) AS INTEGER), cluster,"
        " CAST(strftime('%s', linked_closure_at) AS INTEGER), linked_seller FROM penalty_standings(?1, 'ev', ?2, 'links')";
    sqlite3_stmt* all = nullptr;
    sqlite3_stmt* one = nullptr;
    sqlite3_prepare_v2(db, cols, -1, &all, nullptr);
    sqlite3_prepare_v2(db, (std::string(cols) + " WHERE seller_id = ?3").c_str(), -1, &one, nullptr);
    for (const char* rs : {"s0", "s1", "c0", "c1"}) {
        const int scope = rs[0] == 'c';
        const bool link_closes = rs[1] == '1';
        for (int64_t T : asofs) {
            const std::string where = std::string(rs) + " as of " + std::to_string((T - kBase) / 3600) + "h";
            auto check = [&](sqlite3_stmt* q, const std::string& how) {
                const Key s = key_of(sqlite3_column_value(q, 0));
                if (!ref.cluster.count(s)) { F(how + ": unexpected seller " + s.show()); return s; }
                const Expected x = expected_at(ref, scope, link_closes, s, T);
                Expected g;
                g.points = sqlite3_column_int64(q, 1);
                g.offences = sqlite3_column_int64(q, 2);
                g.dismissed = sqlite3_column_int64(q, 3);
                g.closure_at = opt_int(q, 4);
                g.cluster = key_of(sqlite3_column_value(q, 5));
                g.linked_closure_at = opt_int(q, 6);
                if (sqlite3_column_type(q, 7) != SQLITE_NULL) g.linked_seller = key_of(sqlite3_column_value(q, 7));
                ++st.comparisons;
                if (x.linked_closure_at) {
                    ++st.linked;
                    for (const auto& [m, c] : ref.cluster) {
                        auto mi = ref.eval[scope].find(m);
                        if (!(m == s) && c == x.cluster && !(m == *x.linked_seller) && mi != ref.eval[scope].end() &&
                            mi->second.closure == x.linked_closure_at) { ++st.linked_ties; break; }
                    }
                }
                if (link_closes && x.closure_at && x.closure_at == x.linked_closure_at &&
                    (!ref.eval[scope].count(s) || ref.eval[scope].at(s).closure != x.closure_at)) ++st.closed_by_link;
                if (g.points != x.points || g.offences != x.offences || g.dismissed != x.dismissed || g.closure_at != x.closure_at ||
                    !(g.cluster == x.cluster) || g.linked_closure_at != x.linked_closure_at ||
                    g.linked_seller.has_value() != x.linked_seller.has_value() || (g.linked_seller && !(*g.linked_seller == *x.linked_seller))) {
                    auto line = [&](const Expected& e) {
                        return std::to_string(e.points) + "/" + std::to_string(e.offences) + "/" + std::to_string(e.dismissed) +
                               " closure " + show(e.closure_at) + " cluster " + e.cluster.show() + " linked " +
                               show(e.linked_closure_at) + " by " + show(e.linked_seller);
                    };
                    F(how + " seller " + s.show() + ":\n    got      " + line(g) + "\n    expected " + line(x));
                }
                return s;
            };
            sqlite3_bind_text(all, 1, rs, -1, SQLITE_STATIC);
            sqlite3_bind_int64(all, 2, T);
            std::set<Key> seen;
            int rc;
            while ((rc = sqlite3_step(all)) == SQLITE_ROW)
                if (!seen.insert(check(all, "standings " + where)).second) F("standings " + where + ": a seller listed twice");
            if (rc != SQLITE_DONE) F("standings " + where + ": " + sqlite3_errmsg(db));
            if (seen.size() != ref.cluster.size())
                F("standings " + where + ": " + std::to_string(seen.size()) + " rows, expected " + std::to_string(ref.cluster.size()));
            sqlite3_reset(all);

            sqlite3_bind_text(one, 1, rs, -1, SQLITE_STATIC);
            sqlite3_bind_int64(one, 2, T);
            for (const auto& [s, v] : spell) {
                v.bind(one, 3);
                int rows = 0;
                while ((rc = sqlite3_step(one)) == SQLITE_ROW) {
                    ++rows;
                    if (!(check(one, "standings " + where + " WHERE seller_id = " + s.show()) == s)) F("pushdown returned another seller");
                }
                if (rc != SQLITE_DONE) F("standings pushdown " + where + ": " + sqlite3_errmsg(db));
                if (rows != (ref.cluster.count(s) ? 1 : 0)) F("standings " + where + " WHERE seller_id = " + s.show() + ": " + std::to_string(rows) + " rows");
                sqlite3_reset(one);
            }
        }
    }
    sqlite3_finalize(all);
    sqlite3_finalize(one);

    // penalty_ledger with links (as_of NULL): every event's status, points
    // and closes (the seller's own first closing event).
    for (const auto& [rowid, row] : ref.ledger[0])
        if (row.counted != ref.ledger[1].at(rowid).counted) ++st.scope_differs;
    sqlite3_stmt* led = nullptr;
    sqlite3_prepare_v2(db, "SELECT event_rowid, status, points, closes FROM penalty_ledger(?1, 'ev', NULL, 'links')", -1, &led, nullptr);
    for (const char* rs : {"s0", "s1", "c0", "c1"}) {
        const int scope = rs[0] == 'c';
        sqlite3_bind_text(led, 1, rs, -1, SQLITE_STATIC);
        int rc;
        std::set<int64_t> seen;
        while ((rc = sqlite3_step(led)) == SQLITE_ROW) {
            const int64_t rowid = sqlite3_column_int64(led, 0);
            const std::string status = reinterpret_cast<const char*>(sqlite3_column_text(led, 1));
            const int points = sqlite3_column_int(led, 2);
            const bool closes = sqlite3_column_int(led, 3) != 0;
            ++st.comparisons;
            seen.insert(rowid);
            auto it = ref.ledger[scope].find(rowid);
            if (it == ref.ledger[scope].end()) { F(std::string("ledger ") + rs + ": unexpected rowid " + std::to_string(rowid)); continue; }
            const auto& x = it->second;
            if (status != (x.counted ? "counted" : "dismissed") || points != x.points || closes != x.closes)
                F(std::string("ledger ") + rs + " rowid " + std::to_string(rowid) + ": got " + status + " " + std::to_string(points) +
                  " closes " + std::to_string(closes) + ", expected " + (x.counted ? "counted " : "dismissed ") +
                  std::to_string(x.points) + " closes " + std::to_string(x.closes));
        }
        if (rc != SQLITE_DONE) F(std::string("ledger: ") + sqlite3_errmsg(db));
        if (seen.size() != events.size()) F(std::string("ledger ") + rs + ": " + std::to_string(seen.size()) + " rows");
        sqlite3_reset(led);
    }
    sqlite3_finalize(led);
}

}  // namespace

int main() {
    if (sqlite3_auto_extension(reinterpret_cast<void (*)()>(sqlite3_penalty_init)) != SQLITE_OK) return 2;
    sqlite3* db = nullptr;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 2;
    exec(db, kRules);
    exec(db, "CREATE TABLE links(seller_id, entity); CREATE TABLE ev(seller_id, code, occurred_at);");
    const char* n_env = std::getenv("PENALTY_LINKS_CASES");
    const char* seed_env = std::getenv("PENALTY_LINKS_SEED");
    const long n = n_env ? std::atol(n_env) : 800;
    std::mt19937_64 rng(seed_env ? std::strtoull(seed_env, nullptr, 10) : 20261129);
    Stats st;
    for (long i = 0; i < n; ++i) {
        // Half the cases with indexes (pushdown by look-ups), half without.
        if (i == n / 2) exec(db, "CREATE INDEX links_s ON links(seller_id); CREATE INDEX links_e ON links(entity); CREATE INDEX ev_s ON ev(seller_id, occurred_at);");
        // Each case under one of the settings, in turn: read_strategy x
        // threads x memory_budget (the smallest: a sort spills).
        const char* const strategies[] = {"stream", "sort", "auto"};
        const int threads[] = {1, 2, 4};
        const char* const budgets[] = {"4294967296", "65536"};
        exec(db, std::string("SELECT penalty_config('read_strategy', '") + strategies[i % 3] + "'), penalty_config('threads', " +
                     std::to_string(threads[i / 3 % 3]) + "), penalty_config('memory_budget', " + budgets[i / 9 % 2] + ")");
        run_case(db, rng, st);
    }
    sqlite3_close(db);
    std::printf("%ld cases, %ld comparisons, %ld failures\n", st.cases, st.comparisons, st.failures);
    std::printf("coverage: %ld standings rows with a linked closure (%ld tied with another member), %ld closed through a link,"
                " %ld events counted in one prior_scope and dismissed in the other\n",
                st.linked, st.linked_ties, st.closed_by_link, st.scope_differs);
    return st.failures ? 1 : 0;
}
