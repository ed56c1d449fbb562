// read_plan.cpp — choosing the read strategy from SQLite's plan (read_plan.hpp).
#include "sqlite/read/read_plan.hpp"

#include <fmt/format.h>

#include "sqlite/base/errors.hpp"
#include "sqlite/read/parallel_read.hpp"
#include "sqlite/read/source_reader.hpp"
#include "sqlite/read/source_table.hpp"
#include "sqlite/base/statement.hpp"

namespace penalty::glue {

namespace {

// How SQLite delivers the seller order, from the EXPLAIN QUERY PLAN rows.
struct Delivery {
    bool sorts = false;        // a temporary B-tree (ORDER BY sorted by SQLite)
    bool table_reads = false;  // an index that does not cover the query, or an automatic index
    std::string index;         // the (last) index named
};

// The name after `marker` up to the next space (or the end).
std::string word_after(const std::string& detail, std::size_t at) {
    const std::size_t end = detail.find(' ', at);
    return detail.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

Delivery inspect(sqlite3* db, const std::string& sql) {
    Statement st;
    check_rc(db, sqlite3_prepare_v3(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, 0, st.out(), nullptr),
             "planning the source query");
    Delivery d;
    for (;;) {
        const int rc = sqlite3_step(st.get());
        if (rc == SQLITE_DONE) break;
        check_rc(db, rc, "planning the source query");
        const unsigned char* text = sqlite3_column_text(st.get(), 3);
        if (!text) throw std::bad_alloc();  // the detail column is never NULL
        const std::string detail(reinterpret_cast<const char*>(text));
        if (detail.find("TEMP B-TREE") != std::string::npos) d.sorts = true;
        static constexpr std::string_view kCovering = "USING COVERING INDEX ", kIndex = "USING INDEX ";
        if (const std::size_t at = detail.find(kCovering); at != std::string::npos) {
            d.index = word_after(detail, at + kCovering.size());
        } else if (const std::size_t at2 = detail.find(kIndex); at2 != std::string::npos) {
            d.index = word_after(detail, at2 + kIndex.size());
            d.table_reads = true;
        }
        if (detail.find("AUTOMATIC") != std::string::npos) d.table_reads = true;
    }
    return d;
}

}  // namespace

ReadPlan choose_read_plan(sqlite3* db, std::string_view source, const Settings& s) {
    ReadPlan plan;
    plan.query = source_query(db, source, false, SourceQuery::Order::BySeller);
    const SourceQuery& q = plan.query;
    const std::string& name = q.quoted;
    if (s.read_strategy == ReadStrategy::Sort) {
        plan.sort = true;
        plan.text = fmt::format("sort: scan {} in storage order (read_strategy 'sort')", name);
    } else {
        const Delivery d = inspect(db, q.sql);
        std::string how;
        if (d.sorts) how = "sorted by SQLite (no index gives the order seller_id, occurred_at)";
        else if (d.table_reads) how = fmt::format("in index order (index \"{}\" does not cover the query: one table read per event)", d.index);
        else if (!d.index.empty()) how = fmt::format("in index order (covering index \"{}\")", d.index);
        else how = "in storage order (already ordered by seller_id, occurred_at)";
        if (s.read_strategy == ReadStrategy::Stream) {
            plan.text = fmt::format("stream: {} {} (read_strategy 'stream')", name, how);
            return plan;
        }
        plan.sort = d.sorts || d.table_reads;
        if (!plan.sort) plan.text = fmt::format("stream: {} {}", name, how);
        else if (d.sorts) plan.text = fmt::format("sort: scan {} in storage order (no index gives the order seller_id, occurred_at)", name);
        else plan.text = fmt::format("sort: scan {} in storage order (index \"{}\" does not cover the query)", name, d.index);
    }
    // A stream in index order stays one stream: on 2 cores the parallel
    // read (a sort) is no faster there, and holds every record in memory.
    if (!plan.sort) return plan;
    const ParallelPlan p = plan_parallel_read(db, q, s);
    if (p.readers > 1) {
        plan.sort = plan.parallel = true;
        plan.text = fmt::format("sort: scan {} in rowid ranges on {} connections (parallel read)", name, p.readers);
    } else if (!p.why_not.empty()) {
        plan.text += "; " + p.why_not;
    }
    return plan;
}

}  // namespace penalty::glue
