// value.cpp — rendering values for error messages; UTF-8 validation.
#include "core/value.hpp"

#include <fmt/format.h>

namespace penalty {

std::string sql_literal(const ValueView& v, std::size_t max_chars) {
    switch (v.kind) {
        case Kind::Null: return "NULL";
        case Kind::Integer: return fmt::format("{}", v.i);
        case Kind::Real: {
            // A REAL keeps a decimal point, as SQLite prints it: 3.0, not 3.
            std::string out = fmt::format("{}", v.r);
            if (out.find_first_of(".eEn") == std::string::npos) out += ".0";
            return out;
        }
        case Kind::Blob: {
            std::string out = "X'";
            std::size_t n = std::min(v.s.size(), max_chars / 2);
            for (std::size_t k = 0; k < n; ++k)
                out += fmt::format("{:02X}", static_cast<unsigned char>(v.s[k]));
            out += v.s.size() > n ? "...'" : "'";
            return out;
        }
        case Kind::Text: {
            std::string out = "'";
            std::size_t n = std::min(v.s.size(), max_chars);
            // Do not cut a UTF-8 sequence in half.
            while (n < v.s.size() && n > 0 && (static_cast<unsigned char>(v.s[n]) & 0xC0) == 0x80) --n;
            // Control bytes, and every non-ASCII byte of text that is not
            // valid UTF-8, are shown as \xHH: error text stays valid UTF-8.
            const bool utf8 = valid_utf8(v.s);
            for (std::size_t k = 0; k < n; ++k) {
                const auto c = static_cast<unsigned char>(v.s[k]);
                if (c == '\'') out += "''";
                else if (c < 0x20 || (c >= 0x80 && !utf8)) out += fmt::format("\\x{:02X}", c);
                else out += static_cast<char>(c);
            }
            out += "'";
            if (n < v.s.size()) out += fmt::format("...({} bytes)", v.s.size());
            return out;
        }
    }
    return "?";
}

bool valid_utf8(std::string_view s) {
    std::size_t k = 0;
    const std::size_t n = s.size();
    while (k < n) {
        unsigned char c = static_cast<unsigned char>(s[k]);
        if (c < 0x80) { ++k; continue; }
        int len;
        std::uint32_t cp;
        if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
        else return false;
        if (k + static_cast<std::size_t>(len) > n) return false;
        for (int j = 1; j < len; ++j) {
            unsigned char d = static_cast<unsigned char>(s[k + static_cast<std::size_t>(j)]);
            if ((d & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (d & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are invalid.
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return false;
        k += static_cast<std::size_t>(len);
    }
    return true;
}

}  // namespace penalty
