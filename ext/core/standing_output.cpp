// standing_output.cpp — the nullable fields of a standing and its JSON text,
// written by hand (no JSON1 dependency): fixed keys, integers, and strings
// escaped per RFC 8259.
#include "core/standing_output.hpp"

#include <fmt/format.h>

namespace penalty {

std::optional<std::string> sanction_text(const Standing& s) {
    if (!s.sanction) return std::nullopt;
    return *s.sanction->why.sanction;
}

std::optional<std::string> sanction_until_text(const Standing& s) {
    if (!s.sanction || !s.sanction->end) return std::nullopt;
    return format_timestamp(*s.sanction->end);
}

std::optional<std::string> closure_at_text(const Standing& s) {
    if (!s.closure_at) return std::nullopt;
    return format_timestamp(*s.closure_at);
}

std::optional<std::string> reason_text(const Evaluator& ev, const Standing& s) {
    std::string why = ev.reason(s);
    if (why.empty()) return std::nullopt;
    return why;
}

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
    auto field = [](std::string& out, const char* key, const std::optional<std::string>& v) {
        out += fmt::format(",\"{}\":", key);
        if (v) append_json_string(out, *v);
        else out += "null";
    };
    std::string out =
        fmt::format("{{\"points\":{},\"tracks\":{},\"offences\":{},\"dismissed\":{},\"merged\":{},\"repeats\":{}",
                    s.points, tracks_json(ev.rules(), s), s.offences, s.dismissed, s.merged, s.repeats);
    field(out, "sanction", sanction_text(s));
    field(out, "sanction_until", sanction_until_text(s));
    field(out, "closure_at", closure_at_text(s));
    field(out, "reason", reason_text(ev, s));
    out += '}';
    return out;
}

void standing_result(const Evaluator& ev, Time as_of, StandingResult& out) {
    out.standing = ev.standing(as_of);
    out.sanction = sanction_text(out.standing);
    out.sanction_until = sanction_until_text(out.standing);
    out.reason = reason_text(ev, out.standing);
    out.standing.sanction = nullptr;  // the evaluator's: gone with its next seller
}

void evaluate_standing(Evaluator& ev, const SellerBatch& b, Time as_of, StandingResult& out) {
    ev.reset(b.anchor);
    for (const Event& e : b.events) {
        if (e.at > as_of) break;
        if (!b.revoked(e, as_of)) ev.push(e.at, e.code, b.points_of(e));
    }
    standing_result(ev, as_of, out);
}

}  // namespace penalty
