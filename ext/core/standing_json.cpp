// standing_json.cpp — JSON text of a standing, written by hand (no JSON1
// dependency): fixed keys, integers, and strings escaped per RFC 8259.
#include "standing_json.hpp"

#include <fmt/format.h>

namespace penalty {

void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    for (char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
                else out += c;
        }
    }
    out += '"';
}

std::string tracks_json(const Ruleset& r, const Standing& s) {
    std::string out = "{";
    for (std::size_t k = 0; k < r.tracks.size(); ++k) {
        if (k) out += ',';
        append_json_string(out, r.tracks[k].name);
        out += fmt::format(":{}", s.track_points[k]);
    }
    out += '}';
    return out;
}

std::string standing_json(const Evaluator& ev, const Standing& s) {
    auto str_or_null = [](std::string& out, bool has, std::string_view v) {
        if (has) append_json_string(out, v);
        else out += "null";
    };
    std::string out = fmt::format("{{\"points\":{},\"tracks\":{},\"offences\":{},\"dismissed\":{},\"repeats\":{},",
                                  s.points, tracks_json(ev.rules(), s), s.offences, s.dismissed, s.repeats);
    out += "\"sanction\":";
    str_or_null(out, s.sanction != nullptr, s.sanction ? std::string_view(s.sanction->why.threshold->sanction) : "");
    out += ",\"sanction_until\":";
    const bool until = s.sanction && s.sanction->end;
    str_or_null(out, until, until ? format_timestamp(*s.sanction->end) : "");
    out += ",\"closure_at\":";
    str_or_null(out, s.closure_at.has_value(), s.closure_at ? format_timestamp(*s.closure_at) : "");
    out += ",\"reason\":";
    const std::string why = ev.reason(s);
    str_or_null(out, !why.empty(), why);
    out += '}';
    return out;
}

}  // namespace penalty
