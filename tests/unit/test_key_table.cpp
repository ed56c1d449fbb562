// KeyTable (core/key_table.hpp): SQL equality of keys (INTEGER 5 = REAL 5.0,
// TEXT '5', BLOB x'35' apart), exact ids, growth past many resizes with ids
// stable; and LinkGraph's order of sellers (SQLite's) and clusters over it.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/key_table.hpp"
#include "core/link_graph.hpp"

using namespace penalty;

namespace {

constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

// A key as text for comparisons: kind and value.
std::string show(const ValueView& v) {
    switch (v.kind) {
        case Kind::Null: return "NULL";
        case Kind::Integer: return "I" + std::to_string(v.i);
        case Kind::Real: return "R" + std::to_string(v.r);
        case Kind::Text: return "T" + std::string(v.s);
        case Kind::Blob: return "B" + std::string(v.s);
    }
    return "?";
}

}  // namespace

TEST_CASE("key table: SQL equality and exact ids") {
    KeyTable t;
    using namespace std::string_literals;
    const std::string nul1 = "a\0b"s, nul2 = "a\0c"s;
    CHECK(t.find(ValueView::integer(5)) == KeyTable::npos);
    CHECK(t.intern(ValueView::integer(5)) == 0);
    CHECK(t.intern(ValueView::real(5.0)) == 0);  // REAL 5.0 = INTEGER 5
    CHECK(t.intern(ValueView::text("5")) == 1);  // TEXT '5' != 5
    CHECK(t.intern(ValueView::blob("5")) == 2);  // x'35' != '5'
    CHECK(t.intern(ValueView::real(0.5)) == 3);
    CHECK(t.intern(ValueView::real(-0.0)) == 4);
    CHECK(t.intern(ValueView::integer(0)) == 4);  // -0.0 = 0.0 = 0
    CHECK(t.intern(ValueView::real(0.0)) == 4);
    CHECK(t.intern(ValueView::integer(kMin)) == 5);
    CHECK(t.intern(ValueView::real(-9223372036854775808.0)) == 5);  // -2^63 is whole
    CHECK(t.intern(ValueView::integer(kMax)) == 6);
    CHECK(t.intern(ValueView::real(9223372036854775808.0)) == 7);  // 2^63: no int64
    CHECK(t.intern(ValueView::real(1e300)) == 8);
    CHECK(t.intern(ValueView::text("")) == 9);
    CHECK(t.intern(ValueView::blob("")) == 10);  // empty BLOB != empty TEXT
    CHECK(t.intern(ValueView::text(nul1)) == 11);
    CHECK(t.intern(ValueView::text(nul2)) == 12);
    CHECK(t.intern(ValueView::text("a")) == 13);  // not a prefix match
    CHECK(t.intern(ValueView::real(-0.5)) == 14);
    CHECK(t.intern(ValueView::null()) == 15);
    CHECK(t.intern(ValueView::null()) == 15);
    CHECK(t.size() == 16);
    CHECK_FALSE(t.all_integers());

    CHECK(t.find(ValueView::real(5.0)) == 0);
    CHECK(t.find(ValueView::text(nul1)) == 11);
    CHECK(t.find(ValueView::text("a\0"s)) == KeyTable::npos);
    CHECK(t.find(ValueView::real(5.5)) == KeyTable::npos);
    CHECK(t.find(ValueView::integer(kMax - 1)) == KeyTable::npos);
    CHECK(t.find(ValueView::text("6")) == KeyTable::npos);

    CHECK(show(t.view(0)) == "I5");
    CHECK(show(t.view(1)) == "T5");
    CHECK(show(t.view(2)) == "B5");
    CHECK(show(t.view(3)) == "R0.500000");
    CHECK(show(t.view(4)) == "I0");
    CHECK(t.view(5).i == kMin);
    CHECK(t.view(6).i == kMax);
    CHECK(t.view(7).kind == Kind::Real);
    CHECK(t.view(7).r == 9223372036854775808.0);
    CHECK(t.view(8).r == 1e300);
    CHECK(show(t.view(9)) == "T");
    CHECK(show(t.view(10)) == "B");
    CHECK(t.view(11).s == nul1);
    CHECK(t.view(11).s.size() == 3);
    CHECK(t.view(15).kind == Kind::Null);
    CHECK(t.key(0) == ValueKey::of(ValueView::real(5.0)));
    CHECK(t.key(11) == ValueKey::of(ValueView::text(nul1)));

    // SQLite's order: NULL, numbers by value, TEXT, BLOB.
    CHECK(t.compare(15, 5) < 0);
    CHECK(t.compare(5, 14) < 0);
    CHECK(t.compare(14, 4) < 0);
    CHECK(t.compare(3, 0) < 0);
    CHECK(t.compare(6, 7) < 0);  // 2^63 - 1 < 2^63
    CHECK(t.compare(7, 8) < 0);
    CHECK(t.compare(8, 9) < 0);  // numbers before TEXT
    CHECK(t.compare(9, 13) < 0);
    CHECK(t.compare(13, 11) < 0);
    CHECK(t.compare(11, 12) < 0);
    CHECK(t.compare(1, 10) < 0);  // TEXT before BLOB
    CHECK(t.compare(10, 2) < 0);
    CHECK(t.compare(6, 6) == 0);

    CHECK(t.is(0, ValueView::real(5.0)));
    CHECK(t.is(4, ValueView::real(-0.0)));
    CHECK_FALSE(t.is(1, ValueView::integer(5)));
    CHECK_FALSE(t.is(11, ValueView::text("a")));
    CHECK(t.is(11, ValueView::text(nul1)));

    t.seal();  // views and order stay
    CHECK(t.view(11).s == nul1);
    CHECK(show(t.view(0)) == "I5");
    CHECK(t.compare(1, 10) < 0);
}

TEST_CASE("key table: integers only") {
    KeyTable t;
    CHECK(t.all_integers());
    CHECK(t.intern(ValueView::integer(-3)) == 0);
    CHECK(t.intern(ValueView::real(7.0)) == 1);
    CHECK(t.all_integers());
    CHECK(t.integer(1) == 7);
    CHECK(t.compare(0, 1) < 0);
    t.intern(ValueView::real(7.25));
    CHECK_FALSE(t.all_integers());
}

TEST_CASE("key table: growth past many resizes keeps ids") {
    KeyTable t;
    constexpr std::int64_t n = 1'000'000;
    auto value = [](std::int64_t k) { return (k * 7919) ^ (k << 40); };  // spread, distinct
    for (std::int64_t k = 0; k < n; ++k) REQUIRE(t.intern(ValueView::integer(value(k))) == k);
    std::vector<std::string> texts;
    for (int k = 0; k < 200'000; ++k) texts.push_back("seller-" + std::to_string(k) + std::string(k % 13, 'x'));
    for (int k = 0; k < 200'000; ++k) REQUIRE(t.intern(ValueView::text(texts[k])) == n + k);
    CHECK(t.size() == n + 200'000);
    bool all = true;
    for (std::int64_t k = 0; k < n; ++k) all = all && t.find(ValueView::integer(value(k))) == k;
    std::int64_t reals = 0;  // the values a double holds exactly: found as REALs too
    for (std::int64_t k = 0; k < n; k += 3) {
        const double d = static_cast<double>(value(k));
        if (static_cast<std::int64_t>(d) != value(k)) continue;
        ++reals;
        all = all && t.find(ValueView::real(d)) == k;
    }
    for (int k = 0; k < 200'000; ++k) all = all && t.find(ValueView::text(texts[k])) == n + k;
    for (int k = 0; k < 200'000; ++k) all = all && t.find(ValueView::blob(texts[k])) == KeyTable::npos;
    CHECK(all);
    CHECK(reals > 1000);
    CHECK(t.view(999'999).i == value(999'999));
    CHECK(t.view(n + 12).s == texts[12]);
    // Records, slots and bytes: well under a node-based map's 100+ B a key.
    CHECK(t.memory() < 64 * t.size() + 8 * 1024 * 1024);

    KeyTable r;
    r.reserve(1000);
    const std::size_t before = r.memory();
    for (int k = 0; k < 1000; ++k) r.intern(ValueView::integer(k));
    CHECK(r.memory() == before);  // no growth within the reserve
}

TEST_CASE("link graph: sellers in SQLite's order, clusters by their smallest") {
    // Mixed kinds: REAL 3.0 is INTEGER 3; 'b' and -1 share entity 'e1'.
    LinkGraph g;
    g.add(ValueView::text("b"), ValueView::text("e1"));
    g.add(ValueView::integer(3), ValueView::integer(2));
    g.add(ValueView::real(2.5), ValueView::integer(3));
    g.add(ValueView::blob("a"), ValueView::integer(4));
    g.add(ValueView::text("a"), ValueView::integer(5));
    g.add(ValueView::integer(-1), ValueView::text("e1"));
    g.add(ValueView::real(3.0), ValueView::real(2.0));  // the same seller and entity as row 2
    g.finish();
    std::vector<std::string> order;
    for (std::uint32_t s : g.ordered()) order.push_back(show(g.seller_view(s)));
    CHECK(order == std::vector<std::string>{"I-1", "Tb", "R2.500000", "I3", "Ta", "Ba"});
    const std::int64_t b = g.find_seller(ValueView::text("b"));
    REQUIRE(b >= 0);
    CHECK(show(g.seller_view(g.cluster(static_cast<std::uint32_t>(b)))) == "I-1");
    CHECK(g.members(static_cast<std::uint32_t>(b)).size() == 2);
    CHECK(g.entities(static_cast<std::uint32_t>(b)) == 1);
    CHECK(g.find_seller(ValueView::real(3.0)) == g.find_seller(ValueKey::of(ValueView::integer(3))));
    CHECK(g.find_seller(ValueView::text("3")) == -1);
    CHECK(g.seller(static_cast<std::uint32_t>(b)) == ValueKey::of(ValueView::text("b")));

    // All INTEGERs: -5 and max share an entity, so max follows -5.
    LinkGraph h;
    h.add(ValueView::integer(10), ValueView::integer(1));
    h.add(ValueView::integer(-5), ValueView::integer(2));
    h.add(ValueView::integer(3), ValueView::integer(3));
    h.add(ValueView::integer(kMax), ValueView::integer(2));
    h.add(ValueView::integer(kMin), ValueView::integer(4));
    h.finish();
    std::vector<std::int64_t> ints;
    for (std::uint32_t s : h.ordered()) ints.push_back(h.seller_view(s).i);
    CHECK(ints == std::vector<std::int64_t>{kMin, -5, kMax, 3, 10});
    const auto path = h.paths_to(static_cast<std::uint32_t>(h.find_seller(ValueView::integer(-5))))
                          .path(static_cast<std::uint32_t>(h.find_seller(ValueView::integer(kMax))));
    REQUIRE(path.size() == 1);
    CHECK(path[0] == ValueKey::of(ValueView::integer(2)));
}
