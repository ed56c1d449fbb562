// read_plan.hpp — how penalty_standings / penalty_ledger read a whole
// source: the read strategy and its one-line description
// (penalty_read_plan(source), docs/reference.md).
//
// 'stream' runs the source query in seller order (source_reader.hpp) and
// evaluates one seller at a time; 'sort' reads the source once in storage
// order and sorts compact records in memory (core/event_sort.hpp). 'auto'
// asks SQLite for the plan of the seller-order query (EXPLAIN QUERY PLAN)
// and streams only when SQLite delivers that order without sorting and
// without a table read per row: a covering index, or a table (a WITHOUT
// ROWID one) or view whose own order is already (seller_id, occurred_at).
// Otherwise (a temporary B-tree, an index that does not cover the query,
// an automatic index) it sorts. A pushed-down seller_id = ? always
// streams (one index look-up); this plan is for whole-source reads.
// With threads above 1, a sort ('sort', or 'auto' where it sorts) reads a
// large rowid table in parallel (parallel_read.hpp) where it is safe, and
// says why not where it is not; a stream stays on one connection.
#pragma once

#include <string>
#include <string_view>

#include "core/settings.hpp"
#include "sqlite/read/source_query.hpp"
#include "sqlite/base/sqlite_api.hpp"

namespace penalty::glue {

struct ReadPlan {
    bool sort = false;
    bool parallel = false;  // sort, in rowid ranges on several connections (parallel_read.hpp)
    SourceQuery query;  // the source's query (seller order), for the reader
    std::string text;  // e.g. sort: scan "violations" in storage order (index "v" does not cover the query)
};

// The plan for reading the whole of `source` under the settings `s`
// (read_strategy; threads and memory_budget for the parallel read, which
// 'auto' and 'sort' choose wherever parallel_read.hpp allows it). Throws
// Error / SqliteError (a missing source or column, as the tables do).
ReadPlan choose_read_plan(sqlite3* db, std::string_view source, const Settings& s);

}  // namespace penalty::glue
