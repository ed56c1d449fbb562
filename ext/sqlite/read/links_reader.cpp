// links_reader.cpp — a links source into a LinkGraph (links_reader.hpp).
#include "sqlite/read/links_reader.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/key_table.hpp"
#include "sqlite/base/errors.hpp"
#include "sqlite/read/source_table.hpp"
#include "sqlite/base/statement.hpp"
#include "sqlite/base/values.hpp"

namespace penalty::glue {

namespace {

class LinksQuery {
public:
    LinksQuery(sqlite3* db, std::string_view links, const char* where) : db_(db) {
        table_ = open_source_table(db, links, "links", {"seller_id", "entity"});
        const std::string sql = fmt::format("SELECT seller_id, entity FROM {}{}", table_.quoted, where);
        check_rc(db, sqlite3_prepare_v3(db, sql.c_str(), -1, 0, st_.out(), nullptr),
                 fmt::format("links {}", table_.literal));
    }

    // Runs the query (with ?1 = `key` when given) and hands each row that
    // links (core's links_row) to `row(seller, entity)`.
    template <class F>
    void each(sqlite3_value* key, F&& row) {
        // Messages are formatted only on an error: a look-up allocates nothing.
        if (const int rc = sqlite3_reset(st_.get()); rc != SQLITE_OK)
            check_rc(db_, rc, fmt::format("links {}", table_.literal));
        if (key) check_rc(db_, sqlite3_bind_value(st_.get(), 1, key), "binding links");
        int rc;
        while ((rc = sqlite3_step(st_.get())) == SQLITE_ROW) {
            const ValueView entity = column_view(st_.get(), 1);
            const ValueView seller = column_view(st_.get(), 0);
            if (links_row(seller, entity, table_.literal)) row(seller, entity);
        }
        if (rc != SQLITE_DONE) check_rc(db_, rc, fmt::format("reading links {}", table_.literal));
    }

    sqlite3_value* column(int c) { return sqlite3_column_value(st_.get(), c); }

    // The table's rows as ANALYZE last counted them (sqlite_stat1: the
    // largest first figure of its rows), or 0 when not known. A hint only
    // (it may be stale): no extra scan of the links.
    std::size_t rows_hint() {
        if (table_.home.empty()) return 0;
        const std::string sql =
            fmt::format("SELECT max(CAST(stat AS INTEGER)) FROM {}.sqlite_stat1 WHERE tbl = ?1 COLLATE NOCASE",
                        quote_identifier(table_.home));
        Statement st;
        if (sqlite3_prepare_v3(db_, sql.c_str(), -1, 0, st.out(), nullptr) != SQLITE_OK) return 0;  // no ANALYZE
        sqlite3_bind_text(st.get(), 1, table_.table.data(), static_cast<int>(table_.table.size()), SQLITE_STATIC);
        if (sqlite3_step(st.get()) != SQLITE_ROW) return 0;
        const sqlite3_int64 n = sqlite3_column_int64(st.get(), 0);
        return n > 0 ? static_cast<std::size_t>(std::min<sqlite3_int64>(n, sqlite3_int64{1} << 26)) : 0;
    }

private:
    sqlite3* db_;
    SourceTable table_;
    Statement st_;
};

}  // namespace

LinkGraph read_links(sqlite3* db, std::string_view links) {
    LinkGraph g;
    LinksQuery all(db, links, "");
    g.reserve(all.rows_hint());
    all.each(nullptr, [&](const ValueView& s, const ValueView& e) { g.add(s, e); });
    g.finish();
    return g;
}

LinkGraph read_cluster(sqlite3* db, std::string_view links, sqlite3_value* seller) {
    // Breadth-first: a seller's rows give entities, an entity's rows give
    // sellers; each is looked up once. Every row of the cluster is added
    // (twice over: once from each end; the graph does not mind).
    LinksQuery by_seller(db, links, " WHERE seller_id = ?1");
    LinksQuery by_entity(db, links, " WHERE entity = ?1 COLLATE BINARY");
    LinkGraph g;
    KeyTable sellers_seen, entities_seen;
    std::vector<sqlite3_value*> sellers, entities;
    auto free_all = [&] {
        for (sqlite3_value* v : sellers) sqlite3_value_free(v);
        for (sqlite3_value* v : entities) sqlite3_value_free(v);
    };
    try {
        sellers.push_back(nullptr);
        sellers.back() = sqlite3_value_dup(seller);
        if (!sellers.back()) throw std::bad_alloc();
        sellers_seen.intern(view_of(seller));
        std::size_t next_seller = 0, next_entity = 0;
        while (next_seller < sellers.size() || next_entity < entities.size()) {
            // New sellers and entities are kept as values (the column's
            // own), so that the next look-up compares like with like.
            auto add = [&](LinksQuery& q, int col, KeyTable& seen,
                           std::vector<sqlite3_value*>& queue, const ValueView& v) {
                const std::size_t before = seen.size();
                if (seen.intern(v) < before) return;  // seen already
                queue.push_back(nullptr);  // room first: the copy is owned by the queue at once
                queue.back() = sqlite3_value_dup(q.column(col));
                if (!queue.back()) throw std::bad_alloc();
            };
            if (next_seller < sellers.size()) {
                by_seller.each(sellers[next_seller++], [&](const ValueView& s, const ValueView& e) {
                    g.add(s, e);
                    add(by_seller, 1, entities_seen, entities, e);
                });
            } else {
                by_entity.each(entities[next_entity++], [&](const ValueView& s, const ValueView& e) {
                    g.add(s, e);
                    add(by_entity, 0, sellers_seen, sellers, s);
                });
            }
        }
    } catch (...) {
        free_all();
        throw;
    }
    free_all();
    g.finish();
    return g;
}

}  // namespace penalty::glue
