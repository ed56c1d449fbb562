// source_table.cpp — opening a user's table or view (source_table.hpp).
#include "source_table.hpp"

#include <new>
#include <strings.h>

#include <fmt/format.h>

#include "../core/error.hpp"
#include "../core/value.hpp"
#include "statement.hpp"

namespace penalty::glue {

std::string quote_identifier(std::string_view name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

int SourceTable::column(const char* want) const {
    for (std::size_t c = 0; c < columns.size(); ++c)
        if (strcasecmp(columns[c].c_str(), want) == 0) return static_cast<int>(c);
    return -1;
}

SourceTable open_source_table(sqlite3* db, std::string_view name, const char* what,
                              std::initializer_list<const char*> required) {
    SourceTable t{std::string(name), quote_identifier(name), sql_literal(ValueView::text(name)), {}};
    if (name.find('\0') != std::string_view::npos)
        throw Error(fmt::format("{} {} contains a NUL character", what, t.literal));
    Statement probe;
    const int rc = sqlite3_prepare_v3(db, ("SELECT * FROM " + t.quoted).c_str(), -1, 0, probe.out(), nullptr);
    if (rc != SQLITE_OK) {
        if (rc == SQLITE_NOMEM) throw std::bad_alloc();
        throw Error(fmt::format("{} {}: {}", what, t.literal, sqlite3_errmsg(db)));
    }
    for (int c = 0; c < sqlite3_column_count(probe.get()); ++c) {
        const char* col = sqlite3_column_name(probe.get(), c);
        if (!col) throw std::bad_alloc();
        t.columns.emplace_back(col);
    }
    std::string expected;
    for (const char* want : required) expected += fmt::format("{}{}", expected.empty() ? "" : ", ", want);
    for (const char* want : required)
        if (t.column(want) < 0)
            throw Error(fmt::format("{} {} has no column {} (expected {}; adapt other schemas with a view)", what,
                                    t.literal, want, expected));
    return t;
}

}  // namespace penalty::glue
