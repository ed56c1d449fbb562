// engine.cpp — docs/model.md §3 (steps §3.1–§3.8) and §4 (standing as of T).
#include "core/engine.hpp"

#include <algorithm>
#include <functional>
#include <tuple>

#include <fmt/format.h>

#include "core/error.hpp"

namespace penalty {

void unknown_code_error(const Ruleset& r, std::string_view code, Time at) {
    throw Error(fmt::format("unknown violation code {} in ruleset {} at {}", sql_literal(ValueView::text(code)),
                            sql_literal(ValueView::text(r.name)), format_timestamp(at)));
}

const char* status_name(Status s) {
    switch (s) {
        case Status::Counted: return "counted";
        case Status::Dismissed: return "dismissed";
        case Status::Merged: return "merged";
        case Status::Credit: return "credit";
    }
    return "?";
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

// The local calendar date of t, as YYYY-MM-DD.
std::string local_date(Time t, Time tz) { return format_timestamp(t + tz).substr(0, 10); }

}  // namespace

Evaluator::SharedRecord::SharedRecord() : window_(std::make_unique<Window>()) {}
Evaluator::SharedRecord::~SharedRecord() = default;

Evaluator::Evaluator(const Ruleset& rules)
    : rules_(rules), calendar_lookback_(rules.repeat && rules.repeat->calendar()),
      repeat_seconds_(rules.repeat && !calendar_lookback_ ? add_duration(0, *rules.repeat, 0) : 0),
      own_record_(std::make_unique<Window>()) {
    reset();
}

void Evaluator::reset(std::optional<Time> anchor, SharedRecord* shared) {
    // Clear, not reallocate: one evaluator serves seller after seller.
    anchor_ = anchor;
    own_record_->clear();
    record_ = shared ? shared->window_.get() : own_record_.get();
    by_code_.resize(rules_.codes.size());
    for (Window& w : by_code_) w.clear();
    code_last_.assign(rules_.codes.size(), std::nullopt);
    tracks_.resize(rules_.tracks.size());
    for (TrackState& t : tracks_) {
        t.has_period = false;
        t.period_start = t.period_end = 0;
        t.opening = t.sum = 0;
        t.entries.clear();
        t.oldest = 0;
        t.expiry.clear();
        t.cap_started = false;
        t.cap_day = t.cap_taken = 0;
        t.last_counted.reset();
        t.end_resets.clear();
        t.restoring.clear();
        t.record_last.reset();
        t.record_clean.clear();
        t.restore_at.reset();
    }
    firings_.resize(static_cast<std::size_t>(rules_.escalating));
    for (Firings& f : firings_) {
        f.ends.clear();
        f.total = 0;
    }
    repeat_until_.clear();
    offences_ = dismissed_ = merged_ = 0;
    indefinite_.reset();
    finite_.reset();
    closure_.reset();
    fired_.clear();
    last_ = {};
}

// §3.2: an event at `at` is recent at x while x < add(at, repeat_days).
[[gnu::always_inline]] inline Time Evaluator::recent_until(Time at) const {
    if (!rules_.repeat) return INT64_MAX;
    if (repeat_seconds_) return at + repeat_seconds_;  // exact units: no calendar (bounded: no overflow)
    return add_duration(at, *rules_.repeat, rules_.tz_offset);
}

[[gnu::always_inline]] inline void Evaluator::remember(Window& w, Time at) const {
    w.end.push_back(recent_until(at));
    if (calendar_lookback_) std::push_heap(w.end.begin(), w.end.end(), std::greater<>());
}

// The number of events in `w` recent at `now` (`now` never decreases).
inline std::int64_t Evaluator::recent(Window& w, Time now) const {
    if (calendar_lookback_) {
        while (!w.end.empty() && w.end.front() <= now) {
            std::pop_heap(w.end.begin(), w.end.end(), std::greater<>());
            w.end.pop_back();
        }
        return static_cast<std::int64_t>(w.end.size());
    }
    while (w.head < w.end.size() && w.end[w.head] <= now) ++w.head;
    return static_cast<std::int64_t>(w.end.size() - w.head);
}

// The calendar period of track `t` holding `at`, as UTC bounds [start, end):
// the local year, quarter or month, or the seller's cycle (§3.6).
std::pair<Time, Time> Evaluator::period_bounds(const Track& t, Time at) const {
    if (t.period == Period::Cycle) {
        if (!anchor_) throw Error(fmt::format("track '{}' is a cycle: the seller needs an anchor_at", t.name));
        const std::int64_t k = cycle_index(*anchor_, t.period_days, at, rules_.tz_offset);
        return {add_duration(*anchor_, t.period_days, rules_.tz_offset, k),
                add_duration(*anchor_, t.period_days, rules_.tz_offset, k + 1)};
    }
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

// §3.6 carry-over: the next period's opening balance after a period that
// ended with `balance`.
std::int64_t Evaluator::carry(const Track& t, std::int64_t balance) const {
    auto it = std::upper_bound(t.carries.begin(), t.carries.end(), balance,
                               [](std::int64_t b, const CarryStep& c) { return b < c.min_points; });
    if (it == t.carries.begin()) return 0;
    const CarryStep& step = *std::prev(it);
    return step.carry ? *step.carry : balance;
}

// The opening balance of the period holding x (x >= end), after the period
// [start, end) ended with `balance`: carried period by period, empty ones
// too, and straight to x's period once the balance stops changing (a carry
// never exceeds the balance, so that takes at most carries + 1 steps).
// *from_start: the start of the period just before x's.
std::int64_t Evaluator::carry_to(const Track& t, Time start, Time end, std::int64_t balance, Time x,
                                 Time* from_start) const {
    for (;;) {
        const std::int64_t next = carry(t, balance);
        const auto [s, e] = period_bounds(t, end);
        if (x < e) {
            *from_start = start;
            return next;
        }
        if (next == balance) {  // a fixed point: every later period opens with it
            *from_start = period_bounds(t, period_bounds(t, x).first - 1).first;
            return next;
        }
        start = s;
        end = e;
        balance = next;
    }
}

// The points of entries of `ts` whose end is at or before x (still in the
// sum, since push() removes them only when a later event arrives).
std::int64_t Evaluator::expiring(const TrackState& ts, Time x) const {
    std::int64_t out = 0;
    for (auto it = ts.expiry.begin(); it != ts.expiry.end() && it->first <= x; ++it) out += ts.entries[it->second].left;
    return out;
}

// §3.6: the balance of track k in state `s` at x (x >= every pushed
// event's time, and every reduction of §3b due by x applied), opening
// balance included.
std::int64_t Evaluator::live_points(std::size_t k, const TrackState& s, Time x) const {
    const Track& t = rules_.tracks[k];
    if (!calendar_period(t.period)) return s.sum - expiring(s, x);
    if (!s.has_period) return 0;  // no event yet: nothing to carry either
    if (x < s.period_end) return s.sum - expiring(s, x);
    if (t.carries.empty()) return 0;  // a later period, and nothing carries
    Time from;
    return carry_to(t, s.period_start, s.period_end, s.sum - expiring(s, s.period_end - 1), x, &from);
}

// §3.6 and §3b: track k as of x, every reduction due at or before x applied
// (a copy of its state when some are still to come).
std::int64_t Evaluator::track_points(std::size_t k, Time x) const {
    const TrackState& s = tracks_[k];
    const bool due = (!s.end_resets.empty() && s.end_resets.begin()->first <= x) || (s.restore_at && *s.restore_at <= x);
    if (!due) return live_points(k, s, x);
    TrackState later = s;
    catch_up(k, later, x, nullptr);
    return live_points(k, later, x);
}

// Brings track k to `at` for an event: the reductions due by then (§3b),
// then the period and the expiries.
[[gnu::always_inline]] inline void Evaluator::enter(std::size_t k, Time at, LedgerEntry& e) {
    TrackState& s = tracks_[k];
    if (rules_.tracks[k].v3) catch_up(k, s, at, &e);
    roll(k, s, at, &e);
}

// §3b Order within an instant: the reductions of track k due at or before x
// that no event triggers (the end resets of (a), the restoration of (c)),
// in time order; each at its instant S after the track is brought to S
// (a period ending at S carried over, entries ending at S gone).
void Evaluator::catch_up(std::size_t k, TrackState& s, Time x, LedgerEntry* e) const {
    while (!s.end_resets.empty() || s.restore_at) {
        const Time reset = s.end_resets.empty() ? INT64_MAX : s.end_resets.begin()->first;
        const Time restore = s.restore_at.value_or(INT64_MAX);
        const Time when = std::min(reset, restore);
        if (when > x) return;
        roll(k, s, when, e);
        if (reset == when) {  // (a): several due at one instant: the smallest reset_to
            std::int64_t to = INT64_MAX;
            for (auto it = s.end_resets.begin(); it != s.end_resets.end() && it->first == when;)
                to = std::min(to, it->second), it = s.end_resets.erase(it);
            if (s.sum > to) take_credit(s, s.sum - to);
        }
        if (restore == when) {  // (c): the whole balance, and the record starts empty
            take_credit(s, s.sum);
            s.record_last.reset();
            s.record_clean.clear();
            s.restore_at.reset();
            if (e) e->restored = when;
        }
    }
}

// Brings track k in state `s` to `at`: a new calendar period (with its
// carried opening balance), and entries whose end has come leave the
// balance. With `e`, an opening balance is noted on it.
[[gnu::always_inline]] inline void Evaluator::roll(std::size_t k, TrackState& s, Time at, LedgerEntry* e) const {
    const Track& t = rules_.tracks[k];
    if (calendar_period(t.period) && !(s.has_period && at < s.period_end)) {
        std::int64_t opening = 0;
        Time from = 0;
        if (s.has_period && !t.carries.empty())
            opening = carry_to(t, s.period_start, s.period_end, s.sum - expiring(s, s.period_end - 1), at, &from);
        std::tie(s.period_start, s.period_end) = period_bounds(t, at);
        s.has_period = true;
        s.entries.clear();
        s.expiry.clear();
        s.restoring.clear();
        s.oldest = 0;
        s.opening = s.sum = opening;
        if (e) {  // the latest period opened before the event (a reduction's roll may open one, §3b.o)
            e->carried = opening;
            e->carried_from = from;
        }
    }
    while (!s.expiry.empty() && s.expiry.begin()->first <= at) {
        Entry& gone = s.entries[s.expiry.begin()->second];
        s.sum -= gone.left;
        gone.left = 0;
        s.expiry.erase(s.expiry.begin());
    }
}

// §3.5b: a credit takes `amount` off the track, oldest points first (the
// opening balance, then entries in evaluation order); so does a reduction
// (§3b).
void Evaluator::take_credit(TrackState& s, std::int64_t amount) {
    const std::int64_t from_opening = std::min(amount, s.opening);
    s.opening -= from_opening;
    s.sum -= from_opening;
    amount -= from_opening;
    while (amount > 0 && s.oldest < s.entries.size()) {
        Entry& x = s.entries[s.oldest];
        const std::int64_t take = std::min(amount, x.left);
        x.left -= take;
        s.sum -= take;
        amount -= take;
        if (x.left == 0) ++s.oldest;
    }
}

// §3.7: the thresholds of `track` crossed from e.before to e.after, into
// fired_, and the seller's sanctions.
[[gnu::always_inline]] inline void Evaluator::fire(const Track& track, Time at, std::int32_t code, LedgerEntry& e) {
    if (e.after <= e.before) return;  // nothing crossed
    // Without `every` the thresholds crossed are a run: before < points <= after.
    auto first = track.thresholds.begin();
    if (!track.repeating)
        first = std::upper_bound(first, track.thresholds.end(), e.before,
                                 [](std::int64_t b, const Threshold& t) { return b < t.points; });
    for (const Threshold& t : std::span(first, track.thresholds.end())) {
        if (e.after < t.points) break;  // ascending points: no later one is reached either
        std::int64_t low = 0, top = 0;  // the levels crossed: points + k * every, low <= k <= top
        if (t.every) {
            top = (e.after - t.points) / *t.every;      // highest k with level <= after
            low = e.before < t.points ? 0 : (e.before - t.points) / *t.every + 1;
            if (low > top) continue;
        } else if (e.before >= t.points) {
            continue;
        }
        if (t.escalation >= 0) escalate(t, low, top, at, code, e);
        else impose(t, t.points + top * t.every.value_or(0), top - low + 1, nullptr, 0, at, code, e);
    }
    if (fired_.size() > 1)
        std::sort(fired_.begin(), fired_.end(), [](const Fired& a, const Fired& b) {
            return std::tie(a.level, a.threshold->points) < std::tie(b.level, b.threshold->points);
        });
    e.fired = fired_.size();
}

// §3b.b: the levels low..top of threshold `t` crossed by one event are its
// firings n0 + 1, n0 + 2, ... (n0: its recent earlier firings), in
// ascending level order; the levels that fall on one penalty_sanction_repeat
// row (or on none) fire together.
void Evaluator::escalate(const Threshold& t, std::int64_t low, std::int64_t top, Time at, std::int32_t code,
                         LedgerEntry& e) {
    Firings& w = firings_[static_cast<std::size_t>(t.escalation)];
    while (!w.ends.empty() && w.ends.front().first <= at) {  // no longer recent (§3.2)
        std::pop_heap(w.ends.begin(), w.ends.end(), std::greater<>());
        w.total -= w.ends.back().second;
        w.ends.pop_back();
    }
    const std::int64_t n0 = std::min(w.total, INT64_MAX / 4);
    for (std::int64_t k = low; k <= top;) {
        const std::int64_t n = n0 + 1 + std::min(k - low, INT64_MAX / 4);
        const SanctionStep* step = t.step_for(n);
        const SanctionStep* next = step ? step + 1 : t.steps.data();
        std::int64_t last = top;
        if (next != t.steps.data() + t.steps.size() && top - k > next->nth - 1 - n) last = k + (next->nth - 1 - n);
        impose(t, t.points + last * t.every.value_or(0), last - k + 1, step, n + (last - k), at, code, e);
        if (last == top) break;
        k = last + 1;
    }
    const std::int64_t fired = std::min(top - low + 1, INT64_MAX / 4);
    w.ends.emplace_back(recent_until(at), fired);
    std::push_heap(w.ends.begin(), w.ends.end(), std::greater<>());
    w.total = std::min(w.total + fired, INT64_MAX / 4);
}

// §3.7 one firing of `t` (its levels up to `level`), with the values of
// `step` (§3b.b) or its own: into fired_, the seller's sanctions, and an end
// reset (§3b.a) when the sanction has an end.
void Evaluator::impose(const Threshold& t, std::int64_t level, std::int64_t levels, const SanctionStep* step,
                       std::int64_t nth, Time at, std::int32_t code, LedgerEntry& e) {
    const std::optional<Duration>& days = step ? step->days : t.days;
    Fired f{&t, level, levels, std::nullopt, step ? &step->sanction : &t.sanction, step ? step->closes : t.closes, nth};
    if (days) f.end = add_duration(at, *days, rules_.tz_offset);
    fired_.push_back(f);
    const Sanction s{{at, code, e.track, e.before, e.after, &t, f.level, f.sanction}, f.end};
    auto higher = [](const Sanction& a, const Sanction& b) {  // a's threshold above b's
        return std::tie(a.why.level, a.why.threshold->points) > std::tie(b.why.level, b.why.threshold->points);
    };
    if (!s.end) {
        if (!indefinite_ || higher(s, *indefinite_)) indefinite_ = s;
    } else if (!finite_ || *s.end > *finite_->end || (*s.end == *finite_->end && higher(s, *finite_))) {
        finite_ = s;
    }
    e.closing = e.closing || f.closes;
    if (t.reset_to && t.reset_at_end && f.end) tracks_[e.track].end_resets.emplace(*f.end, *t.reset_to);
}

// §3b.a: the start resets the event fired: the smallest reset_to, right
// after the event.
void Evaluator::reset_at_start(TrackState& ts, LedgerEntry& e) const {
    for (std::size_t k = 0; k < e.fired; ++k) {
        const Threshold& t = *fired_[k].threshold;
        if (t.reset_to && !t.reset_at_end) e.reset_to = std::min(e.reset_to.value_or(INT64_MAX), *t.reset_to);
    }
    if (e.reset_to && ts.sum > *e.reset_to) take_credit(ts, ts.sum - *e.reset_to);
}

// §3b.c and §3b.d: a counted offence at `at` ends the clean expiry of every
// earlier event of the track (those due by `at` are gone already), may
// start its own, and joins the track's record.
void Evaluator::clean_record(const ViolationVersion& v, TrackState& ts, Time at, LedgerEntry& e) const {
    std::erase_if(ts.restoring, [&](const Restoring& r) {
        if (r.at == at) return false;  // (t, t + restore_days) leaves t out
        if (r.until > at) {            // cancelled: back to its own end, if any
            ts.expiry.erase(ts.expiry.find({r.until, r.entry}));
            if (r.regular) ts.expiry.emplace(*r.regular, r.entry);
        }
        return true;
    });
    if (v.restore) {
        const Time until = add_duration(at, *v.restore, rules_.tz_offset);
        if (!e.expires || until < *e.expires) {
            const std::size_t entry = ts.entries.size() - 1;
            if (e.expires) ts.expiry.erase(ts.expiry.find({*e.expires, entry}));
            ts.expiry.emplace(until, entry);
            ts.restoring.push_back({entry, at, until, e.expires});
            e.restores = until;
        }
    }
    ts.record_last = at;
    if (v.clean && std::find(ts.record_clean.begin(), ts.record_clean.end(), *v.clean) == ts.record_clean.end())
        ts.record_clean.push_back(*v.clean);
    ts.restore_at.reset();
    for (const Duration& d : ts.record_clean) {
        const Time r = add_duration(at, d, rules_.tz_offset);
        ts.restore_at = ts.restore_at ? std::max(*ts.restore_at, r) : r;
    }
}

// §3.5b Credits: never merged or dismissed; `nth` counts the code's recent
// credits, and the credit takes its points off the track, oldest first.
[[gnu::always_inline]] inline void Evaluator::credit(const Code& code, const ViolationVersion& v, Window& own,
                                                     TrackState& ts, Time at, std::optional<std::int64_t> points,
                                                     LedgerEntry& e) {
    e.status = Status::Credit;
    e.nth = 1 + recent(own, at);
    remember(own, at);
    const std::int64_t p = points ? *points : code.points_for(v, e.nth);
    e.per_case = points.has_value();
    e.uncapped = p;
    const std::int64_t taken = p == INT64_MIN ? e.before : std::min(-p, e.before);
    take_credit(ts, taken);
    e.points = -taken;
    e.after = e.before - taken;
}

// §3.2a Merge: within the code's or the track's merge window of the
// latest counted event, an event counts for nothing. True when `e` merged.
[[gnu::always_inline]] inline bool Evaluator::merge(std::size_t id, const ViolationVersion& v, const Track& track,
                                                    const TrackState& ts, Time at, LedgerEntry& e) {
    if (v.merge && code_last_[id] && add_duration(*code_last_[id], *v.merge, rules_.tz_offset) > at) {
        e.merged_into = *code_last_[id];
    } else if (track.merge && ts.last_counted && add_duration(*ts.last_counted, *track.merge, rules_.tz_offset) > at) {
        e.merged_into = *ts.last_counted;
        e.merged_by_track = true;
    }
    if (!e.merged_into) return false;
    e.status = Status::Merged;
    ++merged_;
    return true;
}

// §3.2–§3.3 Look-back and prior record: true when `e` is dismissed (nothing
// else happens to it).
[[gnu::always_inline]] inline bool Evaluator::dismiss(const ViolationVersion& v, Time at, LedgerEntry& e) {
    e.prior = recent(*record_, at);
    if (e.prior >= v.min_prior) return false;
    e.status = Status::Dismissed;
    ++dismissed_;
    return true;
}

// §3.5 Points (per case when the source says), then §3.5a the daily cap.
[[gnu::always_inline]] inline void Evaluator::decide_points(const Code& code, const ViolationVersion& v,
                                                            const Track& track, TrackState& ts, Time at,
                                                            std::optional<std::int64_t> points, LedgerEntry& e) {
    e.per_case = points.has_value();
    e.points = e.uncapped = points ? *points : code.points_for(v, e.nth);
    if (!track.daily_cap) return;
    const std::int64_t day = floor_div(at + rules_.tz_offset, kSecondsPerDay);
    if (!ts.cap_started || day != ts.cap_day) {
        ts.cap_started = true;
        ts.cap_day = day;
        ts.cap_taken = 0;
    }
    e.points = std::min(e.points, *track.daily_cap - ts.cap_taken);
    ts.cap_taken += e.points;
}

// §3.6 Balance: `after`, and the event's points live until the period ends,
// the rolling window passes, or its own expiry comes.
[[gnu::always_inline]] inline void Evaluator::add_to_balance(const ViolationVersion& v, const Track& track,
                                                             TrackState& ts, Time at, LedgerEntry& e) {
    e.after = checked_add(e.before, e.points, "the balance of track", &track.name);
    ts.sum = e.after;
    if (track.period == Period::Rolling) e.expires = add_duration(at, track.period_days, rules_.tz_offset);
    if (v.expires) {
        const Time own = add_duration(at, *v.expires, rules_.tz_offset);
        e.expires = e.expires ? std::min(*e.expires, own) : own;
    }
    if (track.keeps_entries) {
        ts.entries.push_back({at, e.points});
        if (e.expires) ts.expiry.emplace(*e.expires, ts.entries.size() - 1);
    }
}

// A counted event joins what later events look back on: the prior record
// (§3.3), the code's repeats (§3.4), the merge windows (§3.2a), and the
// standing's `repeats` (§4.5) when it is a repeat.
[[gnu::always_inline]] inline void Evaluator::remember_counted(std::size_t id, Window& same, TrackState& ts, Time at,
                                                               std::int64_t nth) {
    remember(*record_, at);
    remember(same, at);
    code_last_[id] = at;
    ts.last_counted = at;
    if (nth >= 2) {
        const Time until = recent_until(at);
        if (repeat_until_.empty() || repeat_until_.back() <= until) repeat_until_.push_back(until);
        else repeat_until_.insert(std::upper_bound(repeat_until_.begin(), repeat_until_.end(), until), until);
    }
}

// §3.8 Closure: the seller's first closing event, and what closed it (the
// closing violation, or the first closing threshold it fired).
[[gnu::always_inline]] inline void Evaluator::close(const ViolationVersion& v, Time at, std::int32_t code,
                                                    LedgerEntry& e) {
    if (!e.closing || closure_) return;
    e.first_closing = true;
    const Fired* by = nullptr;
    if (!v.closes)
        for (const Fired& f : fired_)
            if (f.closes && !by) by = &f;
    closure_ = Decision{at,      code, v.track, e.before, e.after, by ? by->threshold : nullptr, by ? by->level : 0,
                        by ? by->sanction : nullptr};
}

// Steps §3.1–§3.8 for one event.
const LedgerEntry& Evaluator::push(Time at, std::int32_t code_id, std::optional<std::int64_t> points) {
    const std::size_t id = static_cast<std::size_t>(code_id);
    const Code& code = rules_.codes[id];
    last_ = LedgerEntry{};
    LedgerEntry& e = last_;  // built in place: push() returns it
    fired_.clear();

    // §3.1 Version.
    e.version = code.version_at(at);
    if (!e.version) unknown_code_error(rules_, code.name, at);
    const ViolationVersion& v = *e.version;
    e.track = v.track;
    const Track& track = rules_.tracks[v.track];
    TrackState& ts = tracks_[v.track];

    // §3.6 (first half): bring the track's balance to `at`.
    enter(v.track, at, e);
    e.before = e.after = ts.sum;

    Window& same = by_code_[id];  // the code's counted events (a credit code: its credits)
    if (code.credit) {            // §3.5b
        credit(code, v, same, ts, at, points, e);
        return last_;
    }
    if (merge(id, v, track, ts, at, e)) return last_;  // §3.2a
    if (dismiss(v, at, e)) return last_;               // §3.2–§3.3
    ++offences_;
    e.nth = 1 + recent(same, at);                      // §3.4 Repeat number
    decide_points(code, v, track, ts, at, points, e);  // §3.5, §3.5a
    add_to_balance(v, track, ts, at, e);               // §3.6
    remember_counted(id, same, ts, at, e.nth);
    if (track.v3) clean_record(v, ts, at, e);          // §3b.c, §3b.d
    e.closing = v.closes;                              // §3.7 Sanctions; §3.8 closure
    fire(track, at, code_id, e);
    close(v, at, code_id, e);
    if (track.v3) reset_at_start(ts, e);               // §3b.a
    return last_;
}

Standing Evaluator::standing(Time T) const {
    Standing s;
    s.track_points.resize(rules_.tracks.size());
    for (std::size_t k = 0; k < rules_.tracks.size(); ++k) {
        s.track_points[k] = rules_.tracks[k].v3 ? track_points(k, T) : live_points(k, tracks_[k], T);
        s.points = checked_add(s.points, s.track_points[k], "the total of live points");
    }
    s.offences = offences_;
    s.dismissed = dismissed_;
    s.merged = merged_;
    // Repeats still recent at T: those whose recent_until is after T.
    s.repeats = static_cast<std::int64_t>(repeat_until_.end() -
                                          std::upper_bound(repeat_until_.begin(), repeat_until_.end(), T));
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
    const std::string every =
        d.threshold->every ? fmt::format(", every {} from {}", *d.threshold->every, d.threshold->points) : "";
    return fmt::format("{} on {} raised track {} from {} to {} points, crossing threshold {} ({}{})", code,
                       format_timestamp(d.at), track, d.before, d.after, d.level, *d.sanction, every);
}

std::string Evaluator::reason(const Standing& s) const {
    if (s.closure_at) return fmt::format("closed at {}: {}", format_timestamp(*s.closure_at), decision_text(*closure_));
    if (s.sanction) {
        const Sanction& x = *s.sanction;
        return fmt::format("{} {}: {}", *x.why.sanction,
                           x.end ? "until " + format_timestamp(*x.end) : std::string("(indefinite)"),
                           decision_text(x.why));
    }
    return {};
}

std::string Evaluator::window_text() const {
    return rules_.repeat ? fmt::format("within {}", describe(*rules_.repeat)) : std::string("in the whole history");
}

// How a note names the period that started at `start`: 2016, 2016-Q4,
// 2016-12, or the cycle from 2016-03-01 (local dates).
std::string Evaluator::period_label(const Track& t, Time start) const {
    const std::string day = local_date(start, rules_.tz_offset);
    switch (t.period) {
        case Period::Year: return day.substr(0, 4);
        case Period::Quarter: return fmt::format("{}-Q{}", day.substr(0, 4), (std::stoi(day.substr(5, 2)) + 2) / 3);
        case Period::Month: return day.substr(0, 7);
        default: return "the cycle from " + day;
    }
}

std::string Evaluator::fired_text(const Fired& f) const {
    const Threshold& t = *f.threshold;
    const std::string levels =
        f.levels > 1 ? fmt::format("{} to {} (every {})", f.level - (f.levels - 1) * *t.every, f.level, *t.every)
                     : fmt::format("{}", f.level);
    std::string out = fmt::format("; crossed {}: {} {}{}", levels, *f.sanction,
                                  f.end ? "until " + format_timestamp(*f.end) : std::string("(indefinite)"),
                                  f.closes ? ", closes" : "");
    if (f.nth > 0)  // §3b.b
        out += f.levels > 1 ? fmt::format(" (firings #{} to #{} {})", f.nth - f.levels + 1, f.nth, window_text())
                            : fmt::format(" (firing #{} {})", f.nth, window_text());
    if (t.reset_to && !t.reset_at_end) out += fmt::format(", resets the track to {}", *t.reset_to);  // §3b.a
    if (t.reset_to && t.reset_at_end && f.end)
        out += fmt::format(", resets the track to {} at {}", *t.reset_to, format_timestamp(*f.end));
    return out;
}

std::string Evaluator::note(const LedgerEntry& e, Time at, std::int32_t code_id) const {
    const std::string& code = rules_.codes[static_cast<std::size_t>(code_id)].name;
    const Track& track = rules_.tracks[e.track];
    std::string carried;
    if (e.restored) carried = fmt::format("; track {} restored at {}", track.name, format_timestamp(*e.restored));
    if (e.carried > 0)
        carried += fmt::format("; {} points carried from {}", e.carried, period_label(track, e.carried_from));
    switch (e.status) {
        case Status::Dismissed:
            return fmt::format("{}: dismissed, prior record {} < min_prior {} ({}){}", code, e.prior,
                               e.version->min_prior, window_text(), carried);
        case Status::Merged:
            return fmt::format("{}: merged into the offence of {} ({} merge window {}){}", code,
                               format_timestamp(*e.merged_into), e.merged_by_track ? "track " + track.name : "code",
                               describe(e.merged_by_track ? *track.merge : *e.version->merge), carried);
        case Status::Credit:
            return fmt::format("{}: credit #{} {}, {} points{}; took {} from track {} {} -> {}{}", code, e.nth,
                               window_text(), e.uncapped, e.per_case ? " decided per case" : "", -e.points,
                               track.name, e.before, e.after, carried);
        case Status::Counted: break;
    }
    std::string out = fmt::format("{}: offence #{} {}, {} points", code, e.nth, window_text(), e.uncapped);
    if (e.per_case) out += " decided per case";
    if (e.points != e.uncapped)
        out += fmt::format(", capped at {} points for {} ({} taken)", *track.daily_cap,
                           local_date(at, rules_.tz_offset), e.points);
    out += carried;
    out += fmt::format("; track {} {} -> {}", track.name, e.before, e.after);
    if (e.version->expires && e.expires) out += fmt::format("; expires {}", format_timestamp(*e.expires));
    if (e.restores) out += fmt::format("; restored {} without an offence before", format_timestamp(*e.restores));
    for (std::size_t k = 0; k < e.fired; ++k) out += fired_text(fired_[k]);
    if (e.version->closes) out += "; closing violation";
    if (e.first_closing) out += "; closure";
    else if (e.closing) out += fmt::format("; already closed at {}", format_timestamp(closure_->at));
    return out;
}

}  // namespace penalty
