// source_table.cpp — opening a user's table or view (source_table.hpp).
#include "sqlite/read/source_table.hpp"

#include <new>
#include <optional>
#include <strings.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.hpp"
#include "core/value.hpp"
#include "sqlite/base/errors.hpp"
#include "sqlite/base/statement.hpp"

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

namespace {

// A name split into its parts, unquoted.
struct NameParts {
    std::optional<std::string> schema;
    std::string table;
};

// The quoted identifier at the start of `s` ("..." with "" for a quote),
// unquoted; `s` is advanced past it. nullopt when it is not terminated.
std::optional<std::string> take_quoted(std::string_view& s) {
    std::string out;
    for (std::size_t k = 1; k < s.size(); ++k) {
        if (s[k] != '"') {
            out += s[k];
        } else if (k + 1 < s.size() && s[k + 1] == '"') {
            out += '"';
            ++k;
        } else {
            s.remove_prefix(k + 1);
            return out;
        }
    }
    return std::nullopt;
}

// The parts of `name` (source_table.hpp), or nullopt when it is malformed:
// an unterminated quote, text after a quoted part, an empty part.
std::optional<NameParts> split_name(std::string_view name) {
    NameParts out;
    std::string_view rest = name;
    std::string first;
    bool dot = false;
    if (!rest.empty() && rest.front() == '"') {
        const auto q = take_quoted(rest);
        if (!q || (!rest.empty() && rest.front() != '.')) return std::nullopt;
        first = *q;
        dot = !rest.empty();
        if (dot) rest.remove_prefix(1);
    } else {
        const std::size_t at = rest.find('.');
        first = std::string(rest.substr(0, at));
        dot = at != std::string_view::npos;
        rest = dot ? rest.substr(at + 1) : std::string_view();
        if (dot && first.empty()) return std::nullopt;
    }
    if (!dot) {
        out.table = std::move(first);
        return out;
    }
    out.schema = std::move(first);
    if (rest.empty()) return std::nullopt;
    if (rest.front() == '"') {
        const auto q = take_quoted(rest);
        if (!q || !rest.empty()) return std::nullopt;
        out.table = *q;
    } else {
        out.table = std::string(rest);
    }
    return out;
}

// The names of the connection's databases: main, temp and the attached ones.
std::vector<std::string> databases(sqlite3* db) {
    std::vector<std::string> out = {"main", "temp"};
    Statement st;
    const int rc = sqlite3_prepare_v3(db, "PRAGMA database_list", -1, 0, st.out(), nullptr);
    if (rc == SQLITE_NOMEM) throw std::bad_alloc();
    check_rc(db, rc, "listing the databases");
    int step;
    while ((step = sqlite3_step(st.get())) == SQLITE_ROW) {
        const unsigned char* name = sqlite3_column_text(st.get(), 1);
        if (!name) throw std::bad_alloc();
        const std::string n(reinterpret_cast<const char*>(name));
        if (n != "main" && n != "temp") out.push_back(n);
    }
    check_rc(db, step, "listing the databases");
    return out;
}

// `schema` as the connection spells it, or nullopt when it has no such
// database (names match in any case, as in SQL).
std::optional<std::string> find_database(const std::vector<std::string>& all, const std::string& schema) {
    for (const std::string& d : all)
        if (strcasecmp(d.c_str(), schema.c_str()) == 0) return d;
    return std::nullopt;
}

// `part` of a name as it is written: bare when it is a plain identifier,
// else in double quotes.
std::string name_part(const std::string& part) {
    bool plain = !part.empty() && !(part[0] >= '0' && part[0] <= '9');
    for (char c : part)
        plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
    return plain ? part : quote_identifier(part);
}

// "a", "a or b", "a, b or c".
std::string listing(const std::vector<std::string>& items, const char* last) {
    std::string out;
    for (std::size_t k = 0; k < items.size(); ++k)
        out += (k == 0 ? "" : k + 1 == items.size() ? fmt::format(" {} ", last) : std::string(", ")) + items[k];
    return out;
}

// The databases of `all` that hold a table or view named `table` (any case,
// as SQL compares names).
std::vector<std::string> databases_with(sqlite3* db, const std::vector<std::string>& all, const std::string& table) {
    std::vector<std::string> out;
    for (const std::string& d : all) {
        Statement st;
        const std::string sql = fmt::format(
            "SELECT 1 FROM {}.sqlite_master WHERE type IN ('table', 'view') AND name = ?1 COLLATE NOCASE",
            quote_identifier(d));
        const int rc = sqlite3_prepare_v3(db, sql.c_str(), -1, 0, st.out(), nullptr);
        if (rc == SQLITE_NOMEM) throw std::bad_alloc();
        check_rc(db, rc, "listing the tables");
        check_rc(db, sqlite3_bind_text(st.get(), 1, table.c_str(), -1, SQLITE_STATIC), "listing the tables");
        const int step = sqlite3_step(st.get());
        if (step == SQLITE_ROW) out.push_back(d);
        else check_rc(db, step, "listing the tables");
    }
    return out;
}

}  // namespace

SourceTable open_source_table(sqlite3* db, std::string_view name, const char* what,
                              std::initializer_list<const char*> required) {
    SourceTable t{"", "", "", "", sql_literal(ValueView::text(name)), {}};
    if (name.find('\0') != std::string_view::npos)
        throw Error(fmt::format("{} {} contains a NUL character", what, t.literal));
    const std::optional<NameParts> parts = split_name(name);
    if (!parts)
        throw Error(fmt::format("{} {} is not a table name: expected table or schema.table, each part bare or "
                                "in double quotes (\"\" for a quote inside)",
                                what, t.literal));
    t.table = parts->table;
    t.quoted = quote_identifier(t.table);
    if (parts->schema) {
        const std::vector<std::string> all = databases(db);
        const std::optional<std::string> schema = find_database(all, *parts->schema);
        if (!schema)
            throw Error(fmt::format("{} {}: no database {} on this connection (it has {}); a table whose name "
                                    "contains a dot is written in double quotes: {}",
                                    what, t.literal, quote_identifier(*parts->schema), fmt::join(all, ", "),
                                    sql_literal(ValueView::text(quote_identifier(name)))));
        t.schema = *schema;
        t.quoted = quote_identifier(t.schema) + "." + t.quoted;
    } else if (const std::vector<std::string> in = databases_with(db, databases(db), t.table); in.size() > 1) {
        // An unqualified name in several databases: SQL would take the
        // first, but the caller may have meant another (a schema prefix on
        // the table-valued function itself never reaches it), so it must
        // name one.
        std::vector<std::string> choices;
        for (const std::string& d : in)
            choices.push_back(sql_literal(ValueView::text(name_part(d) + "." + name_part(t.table))));
        throw Error(fmt::format("{} {} is ambiguous: there is a table or view of that name in {}; name one: {}",
                                what, t.literal, listing(in, "and"), listing(choices, "or")));
    } else if (!in.empty()) {
        t.home = in.front();
    }
    if (parts->schema) t.home = t.schema;
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
