// rules_compile.cpp — every validation rule of docs/model.md §2, and the
// compilation of valid rows into a Ruleset.
//
// Each table is checked row by row; a bad cell adds a Problem naming the
// table, the row (by its key columns) and what was expected, and the row is
// then skipped so that one mistake yields one message.
#include "rules_compile.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "error.hpp"

namespace penalty {

namespace {

std::string lit(const Cell& c) { return sql_literal(c.view()); }

class Checker {
public:
    explicit Checker(std::vector<Problem>& out) : out_(out) {}

    void error(const std::string& table, const std::string& row, const std::string& msg) {
        out_.push_back({true, table, fmt::format("row ({}): {}", row, msg)});
    }
    void warning(const std::string& table, const std::string& row, const std::string& msg) {
        out_.push_back({false, table, fmt::format("row ({}): {}", row, msg)});
    }

    // A name column: non-empty, valid UTF-8 TEXT.
    bool name(const std::string& table, const std::string& row, const char* col, const Cell& c) {
        if (c.kind == Kind::Text && !c.s.empty() && valid_utf8(c.s)) return true;
        error(table, row, fmt::format("{} is {}; expected non-empty UTF-8 TEXT", col, lit(c)));
        return false;
    }
    // An INTEGER column with a lower bound (and kMaxDays for day counts).
    bool integer(const std::string& table, const std::string& row, const char* col, const Cell& c,
                 std::int64_t min, std::int64_t max, const char* expected) {
        if (c.kind == Kind::Integer && c.i >= min && c.i <= max) return true;
        error(table, row, fmt::format("{} is {}; expected {}", col, lit(c), expected));
        return false;
    }
    bool flag(const std::string& table, const std::string& row, const char* col, const Cell& c) {
        return integer(table, row, col, c, 0, 1, "0 or 1");
    }

private:
    std::vector<Problem>& out_;
};

constexpr std::int64_t kI64Max = INT64_MAX;

bool parse_period(const Cell& c, Period& p) {
    if (c.kind != Kind::Text) return false;
    static const std::pair<const char*, Period> kNames[] = {{"year", Period::Year},
                                                             {"quarter", Period::Quarter},
                                                             {"month", Period::Month},
                                                             {"rolling", Period::Rolling},
                                                             {"lifetime", Period::Lifetime}};
    for (const auto& [n, v] : kNames)
        if (c.s == n) {
            p = v;
            return true;
        }
    return false;
}

}  // namespace

std::string Compiled::error_text() const {
    std::size_t errors = 0;
    const Problem* first = nullptr;
    for (const auto& p : problems)
        if (p.error && errors++ == 0) first = &p;
    if (!first) return {};
    std::string text = fmt::format("{} {}", first->table, first->message);
    if (errors > 1) text += fmt::format(" (and {} more errors; see penalty_check())", errors - 1);
    return text;
}

Compiled compile_ruleset(const RawRules& raw) {
    Compiled out;
    Checker ck(out.problems);
    auto rs = std::make_shared<Ruleset>();
    rs->name = raw.ruleset;
    const std::string rlit = sql_literal(ValueView::text(raw.ruleset));

    // penalty_ruleset
    if (!raw.ruleset_row) {
        out.problems.push_back({true, RulesetRow::table, fmt::format("has no row with ruleset = {}", rlit)});
        return out;
    }
    {
        const RulesetRow& r = *raw.ruleset_row;
        const char* T = RulesetRow::table;
        const std::string key = rlit;
        if (r.tz_offset.kind != Kind::Text || !parse_utc_offset(r.tz_offset.s, rs->tz_offset))
            ck.error(T, key,
                     fmt::format("tz_offset is {}; expected '+HH:MM' or '-HH:MM' within 14:00", lit(r.tz_offset)));
        if (r.repeat_days.kind != Kind::Null &&
            ck.integer(T, key, "repeat_days", r.repeat_days, 0, kMaxDays,
                       fmt::format("NULL or an INTEGER from 0 to {}", kMaxDays).c_str()))
            rs->repeat_days = r.repeat_days.i;
    }

    // penalty_track
    std::map<std::string, Track> tracks;
    std::set<std::string> invalid_tracks;  // rows that exist but failed: not reported again by their users
    for (const TrackRow& r : raw.tracks) {
        const char* T = TrackRow::table;
        const std::string key = fmt::format("track {}", lit(r.track));
        if (!ck.name(T, key, "track", r.track)) continue;
        invalid_tracks.insert(r.track.s);
        Track t;
        t.name = r.track.s;
        if (!parse_period(r.period, t.period)) {
            ck.error(T, key,
                     fmt::format("period is {}; expected 'year', 'quarter', 'month', 'rolling' or 'lifetime'", lit(r.period)));
            continue;
        }
        if (t.period == Period::Rolling) {
            if (!ck.integer(T, key, "period_days", r.period_days, 1, kMaxDays,
                            fmt::format("an INTEGER from 1 to {} for a rolling track", kMaxDays).c_str()))
                continue;
            t.period_days = r.period_days.i;
        } else if (r.period_days.kind != Kind::Null) {
            ck.warning(T, key,
                       fmt::format("period_days {} is ignored for period '{}'", lit(r.period_days), period_name(t.period)));
        }
        if (!tracks.emplace(t.name, t).second) ck.error(T, key, "duplicate track");
        invalid_tracks.erase(t.name);
    }

    auto track_ok = [&](const std::string& table, const std::string& key, const Cell& c) {
        if (!ck.name(table, key, "track", c)) return false;
        if (tracks.count(c.s)) return true;
        if (invalid_tracks.count(c.s)) return false;  // its own row is reported already
        ck.error(table, key, fmt::format("track {} is not in penalty_track", lit(c)));
        return false;
    };

    // penalty_threshold
    for (const ThresholdRow& r : raw.thresholds) {
        const std::string key = fmt::format("track {}, points {}", lit(r.track), lit(r.points));
        const char* T = ThresholdRow::table;
        if (!track_ok(T, key, r.track)) continue;
        bool ok = ck.integer(T, key, "points", r.points, 1, kI64Max, "a positive INTEGER");
        ok = ck.name(T, key, "sanction", r.sanction) && ok;
        ok = (r.days.kind == Kind::Null ||
              ck.integer(T, key, "days", r.days, 0, kMaxDays,
                         fmt::format("NULL (indefinite) or an INTEGER from 0 to {}", kMaxDays).c_str())) && ok;
        ok = ck.flag(T, key, "closes", r.closes) && ok;
        if (!ok) continue;
        Threshold th{r.points.i, r.sanction.s, std::nullopt, r.closes.i == 1};
        if (r.days.kind != Kind::Null) th.days = r.days.i;
        auto& list = tracks[r.track.s].thresholds;
        if (std::any_of(list.begin(), list.end(), [&](const Threshold& o) { return o.points == th.points; })) {
            ck.error(T, key, "duplicate threshold");
            continue;
        }
        list.push_back(th);
    }
    for (auto& [name, t] : tracks) {
        std::sort(t.thresholds.begin(), t.thresholds.end(),
                  [](const Threshold& a, const Threshold& b) { return a.points < b.points; });
        rs->tracks.push_back(t);
    }
    auto track_index = [&](const std::string& name) {
        auto it = std::lower_bound(rs->tracks.begin(), rs->tracks.end(), name,
                                   [](const Track& t, const std::string& n) { return t.name < n; });
        return static_cast<std::size_t>(it - rs->tracks.begin());
    };

    // penalty_violation
    std::map<std::string, Code> codes;
    for (const ViolationRow& r : raw.violations) {
        const std::string key = fmt::format("code {}, valid_from {}", lit(r.code), lit(r.valid_from));
        const char* T = ViolationRow::table;
        if (!ck.name(T, key, "code", r.code)) continue;
        ViolationVersion v;
        bool ok = true;
        try {
            v.valid_from = parse_timestamp(r.valid_from.view());
        } catch (const Error& e) {
            ck.error(T, key, fmt::format("valid_from: {}", e.what()));
            ok = false;
        }
        ok = track_ok(T, key, r.track) && ok;
        ok = ck.integer(T, key, "points", r.points, 0, kI64Max, "an INTEGER >= 0") && ok;
        ok = ck.flag(T, key, "closes", r.closes) && ok;
        ok = ck.integer(T, key, "min_prior", r.min_prior, 0, kI64Max, "an INTEGER >= 0") && ok;
        if (!ok) continue;
        v.track = track_index(r.track.s);
        v.points = r.points.i;
        v.closes = r.closes.i == 1;
        v.min_prior = r.min_prior.i;
        Code& code = codes[r.code.s];
        code.name = r.code.s;
        if (std::any_of(code.versions.begin(), code.versions.end(),
                        [&](const ViolationVersion& o) { return o.valid_from == v.valid_from; })) {
            ck.error(T, key, fmt::format("another row of code {} has the same valid_from {}", lit(r.code),
                                         format_timestamp(v.valid_from)));
            continue;
        }
        code.versions.push_back(v);
    }

    // penalty_repeat
    for (const RepeatRow& r : raw.repeats) {
        const std::string key = fmt::format("code {}, nth {}", lit(r.code), lit(r.nth));
        const char* T = RepeatRow::table;
        if (!ck.name(T, key, "code", r.code)) continue;
        bool ok = ck.integer(T, key, "nth", r.nth, 1, kI64Max, "an INTEGER >= 1");
        ok = ck.integer(T, key, "points", r.points, 0, kI64Max, "an INTEGER >= 0") && ok;
        if (!ok) continue;
        auto it = codes.find(r.code.s);
        if (it == codes.end()) {
            ck.warning(T, key, fmt::format("code {} has no row in penalty_violation; the row is unused", lit(r.code)));
            continue;
        }
        auto& reps = it->second.repeats;
        if (std::any_of(reps.begin(), reps.end(), [&](const RepeatStep& o) { return o.nth == r.nth.i; })) {
            ck.error(T, key, "duplicate nth");
            continue;
        }
        reps.push_back({r.nth.i, r.points.i});
    }

    // penalty_level
    for (const LevelRow& r : raw.levels) {
        const std::string key = fmt::format("min_credit {}", lit(r.min_credit));
        const char* T = LevelRow::table;
        bool ok = ck.integer(T, key, "min_credit", r.min_credit, INT64_MIN, kI64Max, "an INTEGER");
        ok = ck.name(T, key, "label", r.label) && ok;
        if (!ok) continue;
        if (std::any_of(rs->levels.begin(), rs->levels.end(),
                        [&](const Level& l) { return l.min_credit == r.min_credit.i; })) {
            ck.error(T, key, "duplicate min_credit");
            continue;
        }
        rs->levels.push_back({r.min_credit.i, r.label.s});
    }
    std::sort(rs->levels.begin(), rs->levels.end(),
              [](const Level& a, const Level& b) { return a.min_credit < b.min_credit; });

    for (auto& [name, c] : codes) {
        std::sort(c.versions.begin(), c.versions.end(),
                  [](const ViolationVersion& a, const ViolationVersion& b) { return a.valid_from < b.valid_from; });
        std::sort(c.repeats.begin(), c.repeats.end(),
                  [](const RepeatStep& a, const RepeatStep& b) { return a.nth < b.nth; });
        rs->codes.push_back(std::move(c));
    }
    // codes is final now: the index may point into it.
    for (std::size_t k = 0; k < rs->codes.size(); ++k)
        rs->code_index.emplace(rs->codes[k].name, static_cast<std::int32_t>(k));

    for (const Problem& p : out.problems)
        if (p.error) return out;
    out.ruleset = std::move(rs);
    return out;
}

}  // namespace penalty
