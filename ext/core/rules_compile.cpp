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

// The compilation of one ruleset: docs/model.md §2, one step per rule table,
// in the order penalty_check() lists their problems (§2.8). Each step checks
// its table row by row; a row with a problem is skipped.
class RulesetCompiler {
public:
    RulesetCompiler(const RawRules& raw, std::vector<Problem>& problems)
        : raw_(raw), problems_(problems), ck_(problems), rs_(std::make_shared<Ruleset>()),
          rlit_(sql_literal(ValueView::text(raw.ruleset))) {
        rs_->name = raw.ruleset;
    }

    // Every step in order; the ruleset, or null when there is an error.
    std::shared_ptr<const Ruleset> compile() {
        if (!check_ruleset_row()) return nullptr;
        for (const TrackRow& r : raw_.tracks) check_track(r);
        for (const ThresholdRow& r : raw_.thresholds) check_threshold(r);
        for (const SanctionRepeatRow& r : raw_.sanction_repeats) check_sanction_repeat(r);
        for (const CarryRow& r : raw_.carries) check_carry(r);
        finish_tracks();
        for (const ViolationRow& r : raw_.violations) check_violation(r);
        check_credit_or_offence();
        for (const RepeatRow& r : raw_.repeats) check_repeat(r);
        for (const LevelRow& r : raw_.levels) check_level(r);
        finish_levels();
        finish_codes();
        for (const Problem& p : problems_)
            if (p.error) return nullptr;
        return std::move(rs_);
    }

private:
    // §2.2 penalty_ruleset: the row must exist (else that is the only
    // problem), tz_offset, repeat_days, prior_scope, link_closes.
    bool check_ruleset_row() {
        if (!raw_.ruleset_row) {
            problems_.push_back({true, RulesetRow::table, fmt::format("has no row with ruleset = {}", rlit_)});
            return false;
        }
        const RulesetRow& r = *raw_.ruleset_row;
        const char* T = RulesetRow::table;
        const std::string& key = rlit_;
        if (r.tz_offset.kind != Kind::Text || !parse_utc_offset(r.tz_offset.s, rs_->tz_offset))
            ck_.error(T, key,
                      fmt::format("tz_offset is {}; expected '+HH:MM' or '-HH:MM' within 14:00", lit(r.tz_offset)));
        ck_.duration(T, key, "repeat_days", r.repeat_days, 0, true, rs_->repeat);
        if (r.prior_scope.kind == Kind::Text && (r.prior_scope.s == "seller" || r.prior_scope.s == "cluster"))
            rs_->prior_scope_cluster = r.prior_scope.s == "cluster";
        else
            ck_.error(T, key, fmt::format("prior_scope is {}; expected 'seller' or 'cluster'", lit(r.prior_scope)));
        if (ck_.flag(T, key, "link_closes", r.link_closes)) rs_->link_closes = r.link_closes.i == 1;
        return true;
    }

    // §2.3 penalty_track: name, period, period_days (a warning where the
    // period ignores it), daily_cap, merge_days, no duplicate.
    void check_track(const TrackRow& r) {
        const char* T = TrackRow::table;
        const std::string key = fmt::format("track {}", lit(r.track));
        if (!ck_.name(T, key, "track", r.track)) return;
        invalid_tracks_.insert(r.track.s);
        Track t;
        t.name = r.track.s;
        if (!parse_period(r.period, t.period)) {
            ck_.error(T, key,
                      fmt::format("period is {}; expected 'year', 'quarter', 'month', 'rolling', 'lifetime' or 'cycle'",
                                  lit(r.period)));
            return;
        }
        if (t.period == Period::Rolling || t.period == Period::Cycle) {
            std::optional<Duration> d;
            if (!ck_.duration(T, key, "period_days", r.period_days, 1, false, d)) return;
            t.period_days = *d;
            rs_->has_cycle = rs_->has_cycle || t.period == Period::Cycle;
        } else if (r.period_days.kind != Kind::Null) {
            ck_.warning(T, key,
                        fmt::format("period_days {} is ignored for period '{}'", lit(r.period_days), period_name(t.period)));
        }
        bool ok = r.daily_cap.kind == Kind::Null ||
                  ck_.integer(T, key, "daily_cap", r.daily_cap, 1, kI64Max, "NULL or a positive INTEGER");
        if (ok && r.daily_cap.kind != Kind::Null) t.daily_cap = r.daily_cap.i;
        ok = ck_.duration(T, key, "merge_days", r.merge_days, 1, true, t.merge) && ok;
        if (!ok) return;
        if (!tracks_.emplace(t.name, t).second) ck_.error(T, key, "duplicate track");
        invalid_tracks_.erase(t.name);
    }

    // §2.8: a row naming a track must name one of penalty_track; one whose
    // own row is in error is not reported again.
    bool known_track(const std::string& table, const std::string& key, const Cell& c) {
        if (!ck_.name(table, key, "track", c)) return false;
        if (tracks_.count(c.s)) return true;
        if (invalid_tracks_.count(c.s)) return false;  // its own row is reported already
        ck_.error(table, key, fmt::format("track {} is not in penalty_track", lit(c)));
        return false;
    }

    // §2.6 penalty_threshold: track, points, sanction, days, closes, every,
    // no two at the same points of a track.
    void check_threshold(const ThresholdRow& r) {
        const std::string key = fmt::format("track {}, points {}", lit(r.track), lit(r.points));
        const char* T = ThresholdRow::table;
        if (!known_track(T, key, r.track)) return;
        bool ok = ck_.integer(T, key, "points", r.points, 1, kI64Max, "a positive INTEGER");
        ok = ck_.name(T, key, "sanction", r.sanction) && ok;
        Threshold th;
        ok = ck_.duration(T, key, "days", r.days, 0, true, th.days) && ok;
        ok = ck_.flag(T, key, "closes", r.closes) && ok;
        ok = (r.every.kind == Kind::Null ||
              ck_.integer(T, key, "every", r.every, 1, kI64Max, "NULL or a positive INTEGER")) && ok;
        ok = check_reset(key, r, th) && ok;
        if (!ok) return;
        th.points = r.points.i;
        th.sanction = r.sanction.s;
        th.closes = r.closes.i == 1;
        if (r.every.kind != Kind::Null) th.every = r.every.i;
        auto& list = tracks_[r.track.s].thresholds;
        if (std::any_of(list.begin(), list.end(), [&](const Threshold& o) { return o.points == th.points; })) {
            ck_.error(T, key, "duplicate threshold");
            return;
        }
        list.push_back(th);
    }

    // §2 (v3): reset_to NULL or an INTEGER >= 0; reset_on 'start' or 'end'
    // (a warning when there is no reset_to for it to time).
    bool check_reset(const std::string& key, const ThresholdRow& r, Threshold& th) {
        const char* T = ThresholdRow::table;
        bool ok = r.reset_to.kind == Kind::Null ||
                  ck_.integer(T, key, "reset_to", r.reset_to, 0, kI64Max, "NULL or an INTEGER >= 0");
        if (r.reset_on.kind != Kind::Text || (r.reset_on.s != "start" && r.reset_on.s != "end")) {
            ck_.error(T, key, fmt::format("reset_on is {}; expected 'start' or 'end'", lit(r.reset_on)));
            return false;
        }
        if (!ok) return false;
        th.reset_at_end = r.reset_on.s == "end";
        if (r.reset_to.kind != Kind::Null) th.reset_to = r.reset_to.i;
        else if (th.reset_at_end) ck_.warning(T, key, "reset_on 'end' is ignored without reset_to");
        return true;
    }

    // §2 (v3) penalty_sanction_repeat: an existing threshold (one whose own
    // row is in error is not reported again), nth, sanction, days, closes,
    // no two at the same nth of a threshold.
    void check_sanction_repeat(const SanctionRepeatRow& r) {
        const std::string key =
            fmt::format("track {}, points {}, nth {}", lit(r.track), lit(r.points), lit(r.nth));
        const char* T = SanctionRepeatRow::table;
        Threshold* th = valid_threshold(r.track, r.points);
        if (!th) {
            if (std::none_of(raw_.thresholds.begin(), raw_.thresholds.end(),
                             [&](const ThresholdRow& t) { return t.track == r.track && t.points == r.points; }))
                ck_.error(T, key, fmt::format("names no threshold: penalty_threshold has no row with track {} and "
                                              "points {}",
                                              lit(r.track), lit(r.points)));
            return;
        }
        SanctionStep step;
        bool ok = ck_.integer(T, key, "nth", r.nth, 1, kI64Max, "an INTEGER >= 1");
        ok = ck_.name(T, key, "sanction", r.sanction) && ok;
        ok = ck_.duration(T, key, "days", r.days, 0, true, step.days) && ok;
        ok = ck_.flag(T, key, "closes", r.closes) && ok;
        if (!ok) return;
        step.nth = r.nth.i;
        step.sanction = r.sanction.s;
        step.closes = r.closes.i == 1;
        if (std::any_of(th->steps.begin(), th->steps.end(), [&](const SanctionStep& o) { return o.nth == step.nth; })) {
            ck_.error(T, key, "duplicate nth");
            return;
        }
        th->steps.push_back(std::move(step));
    }

    // The valid threshold at (track, points), or nullptr.
    Threshold* valid_threshold(const Cell& track, const Cell& points) {
        if (track.kind != Kind::Text || points.kind != Kind::Integer) return nullptr;
        auto it = tracks_.find(track.s);
        if (it == tracks_.end()) return nullptr;
        for (Threshold& t : it->second.thresholds)
            if (t.points == points.i) return &t;
        return nullptr;
    }

    // §2.3a penalty_carry (v2): a calendar track, min_points, carry, no two
    // at the same min_points of a track.
    void check_carry(const CarryRow& r) {
        const std::string key = fmt::format("track {}, min_points {}", lit(r.track), lit(r.min_points));
        const char* T = CarryRow::table;
        if (!known_track(T, key, r.track)) return;
        Track& track = tracks_[r.track.s];
        if (!calendar_period(track.period)) {
            ck_.error(T, key,
                      fmt::format("track {} has period '{}'; carry-over needs a 'year', 'quarter', 'month' or 'cycle' track",
                                  lit(r.track), period_name(track.period)));
            return;
        }
        bool ok = ck_.integer(T, key, "min_points", r.min_points, 1, kI64Max, "a positive INTEGER");
        ok = (r.carry.kind == Kind::Null ||
              ck_.integer(T, key, "carry", r.carry, 0, ok ? r.min_points.i : kI64Max,
                          "NULL (the whole balance) or an INTEGER from 0 to min_points")) && ok;
        if (!ok) return;
        CarryStep step{r.min_points.i, std::nullopt};
        if (r.carry.kind != Kind::Null) step.carry = r.carry.i;
        if (std::any_of(track.carries.begin(), track.carries.end(),
                        [&](const CarryStep& o) { return o.min_points == step.min_points; })) {
            ck_.error(T, key, "duplicate min_points");
            return;
        }
        track.carries.push_back(step);
    }

    // The valid tracks into the ruleset, by name, with their thresholds (§3.7)
    // and carry steps (§3.6) ascending.
    void finish_tracks() {
        for (auto& [name, t] : tracks_) {
            std::sort(t.thresholds.begin(), t.thresholds.end(),
                      [](const Threshold& a, const Threshold& b) { return a.points < b.points; });
            std::sort(t.carries.begin(), t.carries.end(),
                      [](const CarryStep& a, const CarryStep& b) { return a.min_points < b.min_points; });
            t.repeating =
                std::any_of(t.thresholds.begin(), t.thresholds.end(), [](const Threshold& h) { return h.every; });
            for (Threshold& h : t.thresholds) {  // §3b.a, §3b.b
                std::sort(h.steps.begin(), h.steps.end(),
                          [](const SanctionStep& a, const SanctionStep& b) { return a.nth < b.nth; });
                if (!h.steps.empty()) h.escalation = rs_->escalating++;
                t.v3 = t.v3 || h.reset_to.has_value();
            }
            rs_->tracks.push_back(t);
        }
    }

    // The index of a valid track in Ruleset::tracks (after finish_tracks()).
    std::size_t track_index(const std::string& name) const {
        auto it = std::lower_bound(rs_->tracks.begin(), rs_->tracks.end(), name,
                                   [](const Track& t, const std::string& n) { return t.name < n; });
        return static_cast<std::size_t>(it - rs_->tracks.begin());
    }

    // §2.4 penalty_violation: code, valid_from, track, points, closes,
    // min_prior, expires_days, merge_days; a credit cannot close; no two
    // versions of a code at the same instant.
    void check_violation(const ViolationRow& r) {
        const std::string key = fmt::format("code {}, valid_from {}", lit(r.code), lit(r.valid_from));
        const char* T = ViolationRow::table;
        if (!ck_.name(T, key, "code", r.code)) return;
        ViolationVersion v;
        bool ok = true;
        try {
            v.valid_from = parse_timestamp(r.valid_from.view());
        } catch (const Error& e) {
            ck_.error(T, key, fmt::format("valid_from: {}", e.what()));
            ok = false;
        }
        ok = known_track(T, key, r.track) && ok;
        ok = ck_.integer(T, key, "points", r.points, INT64_MIN + 1, kI64Max, "an INTEGER") && ok;
        ok = ck_.flag(T, key, "closes", r.closes) && ok;
        ok = ck_.integer(T, key, "min_prior", r.min_prior, 0, kI64Max, "an INTEGER >= 0") && ok;
        ok = ck_.duration(T, key, "expires_days", r.expires_days, 1, true, v.expires) && ok;
        ok = ck_.duration(T, key, "merge_days", r.merge_days, 1, true, v.merge) && ok;
        ok = ck_.duration(T, key, "clean_days", r.clean_days, 1, true, v.clean) && ok;
        ok = ck_.duration(T, key, "restore_days", r.restore_days, 1, true, v.restore) && ok;
        if (!ok) return;
        if (r.points.i < 0 && r.closes.i == 1) {
            ck_.error(T, key,
                      fmt::format("points is {} with closes = 1; a credit (negative points) cannot close", r.points.i));
            return;
        }
        if (r.points.i < 0 && (v.clean || v.restore)) {  // §2 (v3)
            ck_.error(T, key,
                      fmt::format("points is {} with {} set; a credit (negative points) has no clean record",
                                  r.points.i, v.clean ? "clean_days" : "restore_days"));
            return;
        }
        v.track = track_index(r.track.s);
        v.points = r.points.i;
        v.closes = r.closes.i == 1;
        v.min_prior = r.min_prior.i;
        Code& code = codes_[r.code.s];
        code.name = r.code.s;
        if (std::any_of(code.versions.begin(), code.versions.end(),
                        [&](const ViolationVersion& o) { return o.valid_from == v.valid_from; })) {
            ck_.error(T, key, fmt::format("another row of code {} has the same valid_from {}", lit(r.code),
                                          format_timestamp(v.valid_from)));
            return;
        }
        code.versions.push_back(v);
    }

    // §2.4 (v2): credit codes have every version's points < 0, offence codes
    // every one >= 0 (§3.5b); a code mixing the two is an error.
    void check_credit_or_offence() {
        for (auto& [name, code] : codes_) {
            const auto negative = std::count_if(code.versions.begin(), code.versions.end(),
                                                [](const ViolationVersion& v) { return v.points < 0; });
            code.credit = negative > 0;
            if (negative > 0 && negative < static_cast<std::ptrdiff_t>(code.versions.size()))
                ck_.error(ViolationRow::table, fmt::format("code {}", sql_literal(ValueView::text(name))),
                          "some versions have negative points (a credit) and others not; a code is either a credit "
                          "or an offence");
        }
    }

    // §2.5 penalty_repeat: code (a warning when it has no version), nth,
    // points of the code's sign, no two at the same nth of a code.
    void check_repeat(const RepeatRow& r) {
        const std::string key = fmt::format("code {}, nth {}", lit(r.code), lit(r.nth));
        const char* T = RepeatRow::table;
        if (!ck_.name(T, key, "code", r.code)) return;
        bool ok = ck_.integer(T, key, "nth", r.nth, 1, kI64Max, "an INTEGER >= 1");
        ok = ck_.integer(T, key, "points", r.points, INT64_MIN + 1, kI64Max, "an INTEGER") && ok;
        if (!ok) return;
        auto it = codes_.find(r.code.s);
        if (it == codes_.end()) {
            ck_.warning(T, key, fmt::format("code {} has no row in penalty_violation; the row is unused", lit(r.code)));
            return;
        }
        if (it->second.credit ? r.points.i > 0 : r.points.i < 0) {
            ck_.error(T, key,
                      it->second.credit
                          ? fmt::format("points is {}; code {} is a credit, so its repeat points must be <= 0",
                                        r.points.i, lit(r.code))
                          : fmt::format("points is {}; code {} is an offence, so its repeat points must be >= 0 "
                                        "(negative points are for credit codes)",
                                        r.points.i, lit(r.code)));
            return;
        }
        auto& reps = it->second.repeats;
        if (std::any_of(reps.begin(), reps.end(), [&](const RepeatStep& o) { return o.nth == r.nth.i; })) {
            ck_.error(T, key, "duplicate nth");
            return;
        }
        reps.push_back({r.nth.i, r.points.i});
    }

    // §2.7 penalty_level: min_credit, label, no two at the same min_credit.
    void check_level(const LevelRow& r) {
        const std::string key = fmt::format("min_credit {}", lit(r.min_credit));
        const char* T = LevelRow::table;
        bool ok = ck_.integer(T, key, "min_credit", r.min_credit, INT64_MIN, kI64Max, "an INTEGER");
        ok = ck_.name(T, key, "label", r.label) && ok;
        if (!ok) return;
        if (std::any_of(rs_->levels.begin(), rs_->levels.end(),
                        [&](const Level& l) { return l.min_credit == r.min_credit.i; })) {
            ck_.error(T, key, "duplicate min_credit");
            return;
        }
        rs_->levels.push_back({r.min_credit.i, r.label.s});
    }

    // The levels ascending by min_credit (§2.7).
    void finish_levels() {
        std::sort(rs_->levels.begin(), rs_->levels.end(),
                  [](const Level& a, const Level& b) { return a.min_credit < b.min_credit; });
    }

    // The codes into the ruleset with their versions (§3.1) and repeat steps
    // (§3.5) ascending; which tracks keep their events' points one by one;
    // the index of codes by name.
    void finish_codes() {
        for (auto& [name, c] : codes_) {
            std::sort(c.versions.begin(), c.versions.end(),
                      [](const ViolationVersion& a, const ViolationVersion& b) { return a.valid_from < b.valid_from; });
            std::sort(c.repeats.begin(), c.repeats.end(),
                      [](const RepeatStep& a, const RepeatStep& b) { return a.nth < b.nth; });
            rs_->codes.push_back(std::move(c));
        }
        // A track follows each event's points when they can leave it one by one:
        // a rolling window, a per-event expiry (§3.6), or credits taking oldest
        // first (§3.5b).
        // So does a track with a v3 rule (§3b): reductions take oldest first
        // and restore_days ends an event's points on its own.
        for (Track& t : rs_->tracks) t.keeps_entries = t.period == Period::Rolling || t.v3;
        for (const Code& c : rs_->codes)
            for (const ViolationVersion& v : c.versions) {
                Track& t = rs_->tracks[v.track];
                t.v3 = t.v3 || v.clean || v.restore;
                if (c.credit || v.expires || t.v3) t.keeps_entries = true;
            }
        // codes is final now: the index may point into it.
        for (std::size_t k = 0; k < rs_->codes.size(); ++k)
            rs_->code_index.emplace(rs_->codes[k].name, static_cast<std::int32_t>(k));
    }

    const RawRules& raw_;
    std::vector<Problem>& problems_;
    Checker ck_;
    std::shared_ptr<Ruleset> rs_;
    const std::string rlit_;  // the ruleset's name as an SQL literal
    std::map<std::string, Track> tracks_;
    std::set<std::string> invalid_tracks_;  // rows that exist but failed: not reported again by their users
    std::map<std::string, Code> codes_;
};

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
    out.ruleset = RulesetCompiler(raw, out.problems).compile();
    return out;
}

}  // namespace penalty
