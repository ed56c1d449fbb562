// engine.cpp — docs/model.md §3 (steps §3.1–§3.8) and §4 (standing as of T).
#include "engine.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "error.hpp"

namespace penalty {

void unknown_code_error(const Ruleset& r, std::string_view code, Time at) {
    throw Error(fmt::format("unknown violation code {} in ruleset {} at {}", sql_literal(ValueView::text(code)),
                            sql_literal(ValueView::text(r.name)), format_timestamp(at)));
}

namespace {

// a + b, or an error naming `what` (and `name`, when given) on overflow.
std::int64_t checked_add(std::int64_t a, std::int64_t b, const char* what, const std::string* name = nullptr) {
    std::int64_t r;
    if (__builtin_add_overflow(a, b, &r))
        throw Error(fmt::format("{}{} overflows a 64-bit integer ({} + {})", what,
                                name ? fmt::format(" '{}'", *name) : std::string(), a, b));
    return r;
}

}  // namespace

Evaluator::Evaluator(const Ruleset& rules) : rules_(rules) { reset(); }

void Evaluator::reset() {
    // Clear, not reallocate: one evaluator serves seller after seller.
    all_.at.clear();
    all_.head = 0;
    by_code_.resize(rules_.codes.size());
    for (Window& w : by_code_) {
        w.at.clear();
        w.head = 0;
    }
    tracks_.resize(rules_.tracks.size());
    for (TrackState& t : tracks_) {
        t.live.clear();
        t.head = 0;
        t.sum = 0;
        t.period_start = t.period_end = 0;  // an empty period: the first event starts one
    }
    repeat_at_.clear();
    offences_ = dismissed_ = 0;
    indefinite_.reset();
    finite_.reset();
    closure_.reset();
    last_ = {};
}

std::optional<Time> Evaluator::lookback() const {
    if (!rules_.repeat_days) return std::nullopt;
    return *rules_.repeat_days * kSecondsPerDay;
}

// Step 2: the number of counted events in this window that are recent at `now`.
std::int64_t Evaluator::Window::recent(Time now, std::optional<Time> lookback) {
    if (lookback) {
        const Time cut = now - *lookback;  // recent: at > cut
        while (head < at.size() && at[head] <= cut) ++head;
    }
    return static_cast<std::int64_t>(at.size() - head);
}

// The calendar period (year, quarter or month, in local time) holding `at`,
// as UTC bounds [start, end).
std::pair<Time, Time> Evaluator::period_bounds(const Track& t, Time at) const {
    const Time local = at + rules_.tz_offset;
    std::int64_t y;
    unsigned m, d;
    civil_from_days(floor_div(local, kSecondsPerDay), y, m, d);
    std::int64_t y0 = y, y1 = y + 1;
    unsigned m0 = 1, m1 = 1;
    if (t.period == Period::Quarter) {
        m0 = (m - 1) / 3 * 3 + 1;
        m1 = m0 + 3;
    } else if (t.period == Period::Month) {
        m0 = m;
        m1 = m + 1;
    }
    if (t.period != Period::Year) {
        y1 = y;
        if (m1 > 12) m1 -= 12, y1 = y + 1;
    }
    return {days_from_civil(y0, m0, 1) * kSecondsPerDay - rules_.tz_offset,
            days_from_civil(y1, m1, 1) * kSecondsPerDay - rules_.tz_offset};
}

// Step 6: the points of counted events of the track live at x (x >= every
// counted event's time).
std::int64_t Evaluator::live_points(std::size_t k, Time x) const {
    const Track& t = rules_.tracks[k];
    const TrackState& s = tracks_[k];
    switch (t.period) {
        case Period::Lifetime: return s.sum;
        case Period::Rolling: {
            const Time cut = x - t.period_days * kSecondsPerDay;  // live: at > cut
            std::int64_t sum = s.sum;
            for (std::size_t j = s.head; j < s.live.size() && s.live[j].first <= cut; ++j) sum -= s.live[j].second;
            return sum;
        }
        default: return s.period_start <= x && x < s.period_end ? s.sum : 0;
    }
}

const LedgerEntry& Evaluator::push(Time at, std::int32_t code_id) {
    const Code& code = rules_.codes[static_cast<std::size_t>(code_id)];
    LedgerEntry e;

    // 1. Version.
    e.version = code.version_at(at);
    if (!e.version) unknown_code_error(rules_, code.name, at);
    const ViolationVersion& v = *e.version;
    e.track = v.track;

    // 2–3. Look-back and prior record.
    const std::optional<Time> back = lookback();
    e.prior = all_.recent(at, back);
    const Track& track = rules_.tracks[v.track];
    TrackState& ts = tracks_[v.track];

    // 6 (first half): bring the track's balance to `at`.
    if (track.period == Period::Rolling) {
        const Time cut = at - track.period_days * kSecondsPerDay;
        while (ts.head < ts.live.size() && ts.live[ts.head].first <= cut) ts.sum -= ts.live[ts.head++].second;
        if (ts.head > 4096 && ts.head * 2 > ts.live.size()) {
            ts.live.erase(ts.live.begin(), ts.live.begin() + static_cast<std::ptrdiff_t>(ts.head));
            ts.head = 0;
        }
    } else if (track.period != Period::Lifetime && !(ts.period_start <= at && at < ts.period_end)) {
        std::tie(ts.period_start, ts.period_end) = period_bounds(track, at);  // a new period
        ts.sum = 0;
    }
    e.before = e.after = ts.sum;

    if (e.prior < v.min_prior) {  // dismissed: nothing else happens
        ++dismissed_;
        last_ = e;
        return last_;
    }
    e.counted = true;
    ++offences_;

    // 4. Repeat number.
    Window& same = by_code_[static_cast<std::size_t>(code_id)];
    e.nth = 1 + same.recent(at, back);

    // 5. Points; 6. balance.
    e.points = code.points_for(v, e.nth);
    e.after = checked_add(e.before, e.points, "the balance of track", &track.name);
    ts.sum = e.after;
    if (track.period == Period::Rolling) ts.live.emplace_back(at, e.points);
    all_.at.push_back(at);
    same.at.push_back(at);
    if (e.nth >= 2) repeat_at_.push_back(at);

    // 7. Sanctions: thresholds with before < points <= after, a contiguous run.
    const auto& th = track.thresholds;
    auto above = [&](std::int64_t bal) {
        return static_cast<std::size_t>(
            std::upper_bound(th.begin(), th.end(), bal,
                             [](std::int64_t b, const Threshold& t) { return b < t.points; }) -
            th.begin());
    };
    e.fired_lo = above(e.before);
    e.fired_hi = above(e.after);
    e.closing = v.closes;
    for (std::size_t k = e.fired_lo; k < e.fired_hi; ++k) {
        const Threshold& t = th[k];
        Sanction s{{at, code_id, v.track, e.before, e.after, &t}, sanction_end(e, at, k)};
        if (!s.end) {
            if (!indefinite_ || t.points > indefinite_->why.threshold->points) indefinite_ = s;
        } else if (!finite_ || *s.end > *finite_->end ||
                   (*s.end == *finite_->end && t.points > finite_->why.threshold->points)) {
            finite_ = s;
        }
        e.closing = e.closing || t.closes;
    }

    // 8. Closure.
    if (e.closing && !closure_) {
        e.first_closing = true;
        const Threshold* by = nullptr;
        if (!v.closes)
            for (std::size_t k = e.fired_lo; k < e.fired_hi && !by; ++k)
                if (th[k].closes) by = &th[k];
        closure_ = Decision{at, code_id, v.track, e.before, e.after, by};
    }
    last_ = e;
    return last_;
}

std::optional<Time> Evaluator::sanction_end(const LedgerEntry& e, Time at, std::size_t k) const {
    const Threshold& t = rules_.tracks[e.track].thresholds[k];
    if (!t.days) return std::nullopt;
    return at + *t.days * kSecondsPerDay;
}

Standing Evaluator::standing(Time T) const {
    Standing s;
    s.track_points.resize(rules_.tracks.size());
    for (std::size_t k = 0; k < rules_.tracks.size(); ++k) {
        s.track_points[k] = live_points(k, T);
        s.points = checked_add(s.points, s.track_points[k], "the total of live points");
    }
    s.offences = offences_;
    s.dismissed = dismissed_;
    if (const auto back = lookback()) {
        const Time cut = T - *back;
        s.repeats = static_cast<std::int64_t>(repeat_at_.end() -
                                              std::upper_bound(repeat_at_.begin(), repeat_at_.end(), cut));
    } else {
        s.repeats = static_cast<std::int64_t>(repeat_at_.size());
    }
    // Every sanction started at or before T; the finite one with the latest
    // end is active iff that end is after T. An indefinite one wins.
    if (indefinite_) s.sanction = &*indefinite_;
    else if (finite_ && *finite_->end > T) s.sanction = &*finite_;
    if (closure_ && closure_->at <= T) s.closure_at = closure_->at;
    return s;
}

std::string Evaluator::decision_text(const Decision& d) const {
    const std::string& code = rules_.codes[static_cast<std::size_t>(d.code)].name;
    const std::string& track = rules_.tracks[d.track].name;
    if (!d.threshold)
        return fmt::format("{} on {} is a closing violation (track {}: {} -> {} points)", code,
                           format_timestamp(d.at), track, d.before, d.after);
    return fmt::format("{} on {} raised track {} from {} to {} points, crossing threshold {} ({})", code,
                       format_timestamp(d.at), track, d.before, d.after, d.threshold->points,
                       d.threshold->sanction);
}

std::string Evaluator::reason(const Standing& s) const {
    if (s.closure_at) return fmt::format("closed at {}: {}", format_timestamp(*s.closure_at), decision_text(*closure_));
    if (s.sanction) {
        const Sanction& x = *s.sanction;
        return fmt::format("{} {}: {}", x.why.threshold->sanction,
                           x.end ? "until " + format_timestamp(*x.end) : std::string("(indefinite)"),
                           decision_text(x.why));
    }
    return {};
}

std::string Evaluator::note(const LedgerEntry& e, Time at, std::int32_t code_id) const {
    const std::string& code = rules_.codes[static_cast<std::size_t>(code_id)].name;
    const std::string window =
        rules_.repeat_days ? fmt::format("within {} days", *rules_.repeat_days) : std::string("in the whole history");
    if (!e.counted)
        return fmt::format("{}: dismissed, prior record {} < min_prior {} ({})", code, e.prior, e.version->min_prior,
                           window);
    const Track& track = rules_.tracks[e.track];
    std::string out = fmt::format("{}: offence #{} {}, {} points; track {} {} -> {}", code, e.nth, window, e.points,
                                  track.name, e.before, e.after);
    for (std::size_t k = e.fired_lo; k < e.fired_hi; ++k) {
        const Threshold& t = track.thresholds[k];
        const auto end = sanction_end(e, at, k);
        out += fmt::format("; crossed {}: {} {}{}", t.points, t.sanction,
                           end ? "until " + format_timestamp(*end) : std::string("(indefinite)"),
                           t.closes ? ", closes" : "");
    }
    if (e.version->closes) out += "; closing violation";
    if (e.first_closing) out += "; closure";
    else if (e.closing) out += fmt::format("; already closed at {}", format_timestamp(closure_->at));
    return out;
}

}  // namespace penalty
