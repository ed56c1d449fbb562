// value.hpp — an SQL value as the core sees it, without any SQLite type.
//
// The glue converts a sqlite3_value into a ValueView (no copy: text and blob
// point into SQLite's memory and are valid only for the call); the rules
// loader stores rows as Cells, which own their bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace penalty {

enum class Kind { Null, Integer, Real, Text, Blob };

struct ValueView {
    Kind kind = Kind::Null;
    std::int64_t i = 0;    // Kind::Integer
    double r = 0.0;        // Kind::Real
    std::string_view s;    // Kind::Text / Kind::Blob: the bytes

    static ValueView null() { return {}; }
    static ValueView integer(std::int64_t v) { return {Kind::Integer, v, 0.0, {}}; }
    static ValueView real(double v) { return {Kind::Real, 0, v, {}}; }
    static ValueView text(std::string_view v) { return {Kind::Text, 0, 0.0, v}; }
    static ValueView blob(std::string_view v) { return {Kind::Blob, 0, 0.0, v}; }
};

// An owning value: one cell of a rule-table row.
struct Cell {
    Kind kind = Kind::Null;
    std::int64_t i = 0;
    double r = 0.0;
    std::string s;

    ValueView view() const { return {kind, i, r, s}; }
    bool operator==(const Cell&) const = default;
    static Cell from(const ValueView& v) { return {v.kind, v.i, v.r, std::string(v.s)}; }
};

// The SQL literal of a value, for error messages: 12, 1.5, 'text' (quotes
// doubled, at most `max_chars` bytes then "..."; control bytes and the
// bytes of invalid UTF-8 as \xHH), NULL, X'..' for blobs.
std::string sql_literal(const ValueView& v, std::size_t max_chars = 60);

// True when `s` is well-formed UTF-8.
bool valid_utf8(std::string_view s);

}  // namespace penalty
