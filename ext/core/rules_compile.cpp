// rules_compile.cpp — every validation rule of docs/model.md §2, and the
// compilation of valid rows into a Ruleset.
//
// Each table is checked row by row; a bad cell adds a Problem naming the
// table, the row (by its key columns) and what was expected, and the row is
// then skipped so that one mistake yields one message.
#include "core/rules_compile.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/error.hpp"

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
    // A duration column (docs/model.md §1.4); NULL allowed when `nullable`.
    bool duration(const std::string& table, const std::string& row, const char* col, const Cell& c,
                  std::int64_t min_days, bool nullable, std::optional<Duration>& out) {
        out.reset();
        if (nullable && c.kind == Kind::Null) return true;
        try {
            out = parse_duration(c.view(), min_days);
            return true;
        } catch (const Error& e) {
            error(table, row, fmt::format("{}: {}{}", col, e.what(), nullable ? " (or NULL)" : ""));
            return false;
        }
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
                                                             {"lifetime", Period::Lifetime},
                                                             {"cycle", Period::Cycle}};
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
        ck.duration(T, key, "repeat_days", r.repeat_days, 0, true, rs->repeat);
        if (r.prior_scope.kind == Kind::Text && (r.prior_scope.s == "seller" || r.prior_scope.s == "cluster"))
            rs->prior_scope_cluster = r.prior_scope.s == "cluster";
        else
            ck.error(T, key, fmt::format("prior_scope is {}; expected 'seller' or 'cluster'", lit(r.prior_scope)));
        if (ck.flag(T, key, "link_closes", r.link_closes)) rs->link_closes = r.link_closes.i == 1;
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
                     fmt::format("period is {}; expected 'year', 'quarter', 'month', 'rolling', 'lifetime' or 'cycle'",
                                 lit(r.period)));
            continue;
        }
        if (t.period == Period::Rolling || t.period == Period::Cycle) {
            std::optional<Duration> d;
            if (!ck.duration(T, key, "period_days", r.period_days, 1, false, d)) continue;
            t.period_days = *d;
            rs->has_cycle = rs->has_cycle || t.period == Period::Cycle;
        } else if (r.period_days.kind != Kind::Null) {
            ck.warning(T, key,
                       fmt::format("period_days {} is ignored for period '{}'", lit(r.period_days), period_name(t.period)));
        }
        bool ok = r.daily_cap.kind == Kind::Null ||
                  ck.integer(T, key, "daily_cap", r.daily_cap, 1, kI64Max, "NULL or a positive INTEGER");
        if (ok && r.daily_cap.kind != Kind::Null) t.daily_cap = r.daily_cap.i;
        ok = ck.duration(T, key, "merge_days", r.merge_days, 1, true, t.merge) && ok;
        if (!ok) continue;
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
        Threshold th;
        ok = ck.duration(T, key, "days", r.days, 0, true, th.days) && ok;
        ok = ck.flag(T, key, "closes", r.closes) && ok;
        ok = (r.every.kind == Kind::Null ||
              ck.integer(T, key, "every", r.every, 1, kI64Max, "NULL or a positive INTEGER")) && ok;
        if (!ok) continue;
        th.points = r.points.i;
        th.sanction = r.sanction.s;
        th.closes = r.closes.i == 1;
        if (r.every.kind != Kind::Null) th.every = r.every.i;
        auto& list = tracks[r.track.s].thresholds;
        if (std::any_of(list.begin(), list.end(), [&](const Threshold& o) { return o.points == th.points; })) {
            ck.error(T, key, "duplicate threshold");
            continue;
        }
        list.push_back(th);
    }
    // penalty_carry
    for (const CarryRow& r : raw.carries) {
        const std::string key = fmt::format("track {}, min_points {}", lit(r.track), lit(r.min_points));
        const char* T = CarryRow::table;
        if (!track_ok(T, key, r.track)) continue;
        Track& track = tracks[r.track.s];
        if (!calendar_period(track.period)) {
            ck.error(T, key,
                     fmt::format("track {} has period '{}'; carry-over needs a 'year', 'quarter', 'month' or 'cycle' track",
                                 lit(r.track), period_name(track.period)));
            continue;
        }
        bool ok = ck.integer(T, key, "min_points", r.min_points, 1, kI64Max, "a positive INTEGER");
        ok = (r.carry.kind == Kind::Null ||
              ck.integer(T, key, "carry", r.carry, 0, ok ? r.min_points.i : kI64Max,
                         "NULL (the whole balance) or an INTEGER from 0 to min_points")) && ok;
        if (!ok) continue;
        CarryStep step{r.min_points.i, std::nullopt};
        if (r.carry.kind != Kind::Null) step.carry = r.carry.i;
        if (std::any_of(track.carries.begin(), track.carries.end(),
                        [&](const CarryStep& o) { return o.min_points == step.min_points; })) {
            ck.error(T, key, "duplicate min_points");
            continue;
        }
        track.carries.push_back(step);
    }
    for (auto& [name, t] : tracks) {
        std::sort(t.thresholds.begin(), t.thresholds.end(),
                  [](const Threshold& a, const Threshold& b) { return a.points < b.points; });
        std::sort(t.carries.begin(), t.carries.end(),
                  [](const CarryStep& a, const CarryStep& b) { return a.min_points < b.min_points; });
        t.repeating = std::any_of(t.thresholds.begin(), t.thresholds.end(), [](const Threshold& h) { return h.every; });
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
        ok = ck.integer(T, key, "points", r.points, INT64_MIN + 1, kI64Max, "an INTEGER") && ok;
        ok = ck.flag(T, key, "closes", r.closes) && ok;
        ok = ck.integer(T, key, "min_prior", r.min_prior, 0, kI64Max, "an INTEGER >= 0") && ok;
        ok = ck.duration(T, key, "expires_days", r.expires_days, 1, true, v.expires) && ok;
        ok = ck.duration(T, key, "merge_days", r.merge_days, 1, true, v.merge) && ok;
        if (!ok) continue;
        if (r.points.i < 0 && r.closes.i == 1) {
            ck.error(T, key, fmt::format("points is {} with closes = 1; a credit (negative points) cannot close", r.points.i));
            continue;
        }
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

    // Credit codes: every version's points < 0; offence codes: every one >= 0 (§3.5b).
    for (auto& [name, code] : codes) {
        const auto negative = std::count_if(code.versions.begin(), code.versions.end(),
                                            [](const ViolationVersion& v) { return v.points < 0; });
        code.credit = negative > 0;
        if (negative > 0 && negative < static_cast<std::ptrdiff_t>(code.versions.size()))
            ck.error(ViolationRow::table, fmt::format("code {}", sql_literal(ValueView::text(name))),
                     "some versions have negative points (a credit) and others not; a code is either a credit or "
                     "an offence");
    }

    // penalty_repeat
    for (const RepeatRow& r : raw.repeats) {
        const std::string key = fmt::format("code {}, nth {}", lit(r.code), lit(r.nth));
        const char* T = RepeatRow::table;
        if (!ck.name(T, key, "code", r.code)) continue;
        bool ok = ck.integer(T, key, "nth", r.nth, 1, kI64Max, "an INTEGER >= 1");
        ok = ck.integer(T, key, "points", r.points, INT64_MIN + 1, kI64Max, "an INTEGER") && ok;
        if (!ok) continue;
        auto it = codes.find(r.code.s);
        if (it == codes.end()) {
            ck.warning(T, key, fmt::format("code {} has no row in penalty_violation; the row is unused", lit(r.code)));
            continue;
        }
        if (it->second.credit ? r.points.i > 0 : r.points.i < 0) {
            ck.error(T, key,
                     it->second.credit
                         ? fmt::format("points is {}; code {} is a credit, so its repeat points must be <= 0",
                                       r.points.i, lit(r.code))
                         : fmt::format("points is {}; code {} is an offence, so its repeat points must be >= 0 "
                                       "(negative points are for credit codes)",
                                       r.points.i, lit(r.code)));
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
    // A track follows each event's points when they can leave it one by one:
    // a rolling window, a per-event expiry, or credits taking oldest first.
    for (Track& t : rs->tracks) t.keeps_entries = t.period == Period::Rolling;
    for (const Code& c : rs->codes)
        for (const ViolationVersion& v : c.versions)
            if (c.credit || v.expires) rs->tracks[v.track].keeps_entries = true;
    // codes is final now: the index may point into it.
    for (std::size_t k = 0; k < rs->codes.size(); ++k)
        rs->code_index.emplace(rs->codes[k].name, static_cast<std::int32_t>(k));

    for (const Problem& p : out.problems)
        if (p.error) return out;
    out.ruleset = std::move(rs);
    return out;
}

}  // namespace penalty
