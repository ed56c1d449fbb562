// links_reader.hpp — reading a links source (docs/model.md §6) into a
// LinkGraph (ext/core/link_graph.hpp).
//
// `links` names a table or view with the columns seller_id and entity
// (source_table.hpp). Rows whose entity is NULL are ignored; a NULL
// seller_id beside a non-NULL entity is an error naming the row. Entities
// are compared with SQLite's `=` on the stored values, BINARY collation.
#pragma once

#include <string_view>

#include "core/link_graph.hpp"
#include "sqlite/base/sqlite_api.hpp"

namespace penalty::glue {

// Every row of `links`, clusters computed. Throws Error / SqliteError.
LinkGraph read_links(sqlite3* db, std::string_view links);

// Only the cluster of `seller`, found through look-ups by seller_id and by
// entity (index links on both to make them cheap); an empty graph when the
// seller is in no row. Throws Error / SqliteError.
LinkGraph read_cluster(sqlite3* db, std::string_view links, sqlite3_value* seller);

}  // namespace penalty::glue
