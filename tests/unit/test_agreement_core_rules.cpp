// Randomised test of the core rules (time zones, look-back in days, year,
// quarter, month, rolling and lifetime tracks, thresholds, versions, repeat
// rows, closures): the engine against a deliberately simple reference
// implementation written straight from docs/model.md §3 and §4. Every rule:
// test_agreement_all_rules.cpp. The reference
// shares no code with the engine: it uses std::chrono for the calendar,
// linear scans for versions and repeat steps, and recomputes every sum
// from scratch (O(n^2)). Fixed seed: failures are reproducible.
#include <algorithm>
#include <chrono>
#include <random>

#include "helpers.hpp"

using namespace test;

namespace {

// These rulesets use v1's INTEGER days only.
std::int64_t days_of(const Duration& d) {
    REQUIRE(d.integer_form);
    return d.n;
}

struct RefEvent {
    Time at;
    int code;
    bool counted = false;
    std::int64_t nth = 0, points = 0, before = 0, after = 0;
    std::size_t track = 0;
    std::vector<std::size_t> fired;  // threshold indexes of the track
    bool first_closing = false;
};

struct RefSanction {
    Time start;
    std::optional<Time> end;
    std::int64_t points;
    std::string name;
};

struct Reference {
    const Ruleset& r;
    std::vector<RefEvent> ev;
    std::vector<RefSanction> sanctions;
    std::optional<Time> closure;

    // Local calendar (year, month) through std::chrono, not the engine.
    std::pair<int, unsigned> local_ym(Time t) const {
        using namespace std::chrono;
        const sys_seconds s{seconds{t + r.tz_offset}};
        const year_month_day d{floor<days>(s)};
        return {static_cast<int>(d.year()), static_cast<unsigned>(d.month())};
    }
    bool live(const Track& tr, Time t, Time x) const {
        auto [ty, tm] = local_ym(t);
        auto [xy, xm] = local_ym(x);
        if (tr.period == Period::Year) return ty == xy;
        if (tr.period == Period::Quarter) return ty == xy && (tm - 1) / 3 == (xm - 1) / 3;
        if (tr.period == Period::Month) return ty == xy && tm == xm;
        if (tr.period == Period::Rolling) return t > x - days_of(tr.period_days) * 86400;
        return true;
    }
    bool recent(Time earlier, Time now) const { return !r.repeat || earlier > now - days_of(*r.repeat) * 86400; }

    void run() {
        for (std::size_t i = 0; i < ev.size(); ++i) {
            RefEvent& e = ev[i];
            const Code& c = r.codes[static_cast<std::size_t>(e.code)];
            const ViolationVersion* v = nullptr;
            for (const auto& x : c.versions)
                if (x.valid_from <= e.at) v = &x;  // ascending: the last that fits
            REQUIRE(v != nullptr);
            std::int64_t prior = 0, same = 0;
            for (std::size_t j = 0; j < i; ++j) {
                if (!ev[j].counted || !recent(ev[j].at, e.at)) continue;
                ++prior;
                if (ev[j].code == e.code) ++same;
            }
            e.track = v->track;
            const Track& tr = r.tracks[v->track];
            std::int64_t before = 0;
            for (std::size_t j = 0; j < i; ++j)
                if (ev[j].counted && ev[j].track == v->track && live(tr, ev[j].at, e.at)) before += ev[j].points;
            e.before = e.after = before;
            if (prior < v->min_prior) continue;
            e.counted = true;
            e.nth = same + 1;
            e.points = v->points;
            for (const auto& rep : c.repeats)
                if (rep.nth <= e.nth) e.points = rep.points;
            e.after = before + e.points;
            bool closing = v->closes;
            for (std::size_t k = 0; k < tr.thresholds.size(); ++k) {
                const Threshold& t = tr.thresholds[k];
                if (before < t.points && t.points <= e.after) {
                    e.fired.push_back(k);
                    std::optional<Time> end;
                    if (t.days) end = e.at + days_of(*t.days) * 86400;
                    sanctions.push_back({e.at, end, t.points, t.sanction});
                    closing = closing || t.closes;
                }
            }
            if (closing && !closure) {
                closure = e.at;
                e.first_closing = true;
            }
        }
    }

    // The figures of docs/model.md §4 as text, for one comparison.
    std::string standing(Time T) const {
        std::int64_t points = 0, offences = 0, dismissed = 0, repeats = 0;
        std::string tracks;
        for (std::size_t k = 0; k < r.tracks.size(); ++k) {
            std::int64_t p = 0;
            for (const auto& e : ev)
                if (e.counted && e.track == k && live(r.tracks[k], e.at, T)) p += e.points;
            tracks += std::to_string(p) + ",";
            points += p;
        }
        for (const auto& e : ev) {
            if (e.counted) ++offences;
            else ++dismissed;
            if (e.counted && e.nth >= 2 && recent(e.at, T)) ++repeats;
        }
        const RefSanction* best = nullptr;
        for (const auto& s : sanctions) {
            if (!(s.start <= T && (!s.end || T < *s.end))) continue;
            auto later = [](const RefSanction& a, const RefSanction& b) {  // a beats b?
                if (!a.end != !b.end) return !a.end;
                if (a.end && *a.end != *b.end) return *a.end > *b.end;
                return a.points > b.points;
            };
            if (!best || later(s, *best)) best = &s;
        }
        std::string out = std::to_string(points) + "|" + tracks + "|" + std::to_string(offences) + "|" +
                          std::to_string(dismissed) + "|" + std::to_string(repeats) + "|";
        if (best) out += best->name + "@" + (best->end ? std::to_string(*best->end) : "inf");
        out += "|";
        if (closure && *closure <= T) out += std::to_string(*closure);
        return out;
    }
};

std::string engine_standing(const Ruleset& r, const Standing& s) {
    std::string tracks;
    for (auto p : s.track_points) tracks += std::to_string(p) + ",";
    std::string out = std::to_string(s.points) + "|" + tracks + "|" + std::to_string(s.offences) + "|" +
                      std::to_string(s.dismissed) + "|" + std::to_string(s.repeats) + "|";
    if (s.sanction)
        out += s.sanction->why.threshold->sanction + "@" + (s.sanction->end ? std::to_string(*s.sanction->end) : "inf");
    out += "|";
    if (s.closure_at) out += std::to_string(*s.closure_at);
    (void)r;
    return out;
}

// The reference's standing at T over the first k + 1 events only.
std::string ref_prefix_standing(const Reference& full, std::size_t k, Time T) {
    Reference p{full.r, {}, {}, {}};
    for (std::size_t j = 0; j <= k; ++j) p.ev.push_back(RefEvent{full.ev[j].at, full.ev[j].code, false, 0, 0, 0, 0, 0, {}, false});
    p.run();
    return p.standing(T);
}

Rules random_rules(std::mt19937_64& rng) {
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    static const char* kTz[] = {"+00:00", "+08:00", "-05:00", "+14:00", "-11:30"};
    Rules r("rand", T(kTz[pick(5)]), pick(3) == 0 ? N() : I(pick(400)));
    static const char* kPeriods[] = {"year", "quarter", "month", "rolling", "lifetime"};
    static const char* kTracks[] = {"a", "b", "c"};
    const int ntracks = 1 + pick(3);
    for (int t = 0; t < ntracks; ++t) {
        const char* p = kPeriods[pick(5)];
        r.track(kTracks[t], p, std::string(p) == "rolling" ? I(1 + pick(200)) : N());
        const int nth = pick(4);
        for (int k = 0; k < nth; ++k) {
            static const char* kNames[] = {"s1", "s2", "s3", "s4"};
            r.threshold(kTracks[t], 1 + 5 * k + pick(5), kNames[k], pick(4) == 0 ? N() : I(pick(60)),
                        pick(5) == 0 ? 1 : 0);
        }
    }
    static const char* kCodes[] = {"p", "q", "r", "s"};
    const int ncodes = 1 + pick(4);
    for (int c = 0; c < ncodes; ++c) {
        r.violation(kCodes[c], kTracks[pick(ntracks)], pick(8), pick(12) == 0 ? 1 : 0, pick(4) == 0 ? pick(3) : 0,
                    T("2015-01-01"));
        if (pick(2)) r.violation(kCodes[c], kTracks[pick(ntracks)], pick(8), 0, 0, T("2016-07-01"));
        if (pick(3) == 0) r.repeat(kCodes[c], 1 + pick(2), pick(10));
        if (pick(3) == 0) r.repeat(kCodes[c], 3 + pick(2), pick(20));
    }
    return r;
}

}  // namespace

TEST_CASE("engine equals the reference on random rulesets and histories") {
    std::mt19937_64 rng(20171201);
    const Time start = at("2015-01-01");
    int compared = 0;
    for (int round = 0; round < 3000; ++round) {
        Rules rules = random_rules(rng);
        auto rs = rules.compile();
        Reference ref{*rs, {}, {}, {}};
        const int n = static_cast<int>(rng() % 40);
        for (int k = 0; k < n; ++k) {
            // Times over three years, often on the same day or second.
            Time t = start + static_cast<Time>(rng() % (3 * 365)) * 86400;
            if (rng() % 3) t += static_cast<Time>(rng() % 86400);
            ref.ev.push_back(RefEvent{t, static_cast<int>(rng() % rs->codes.size()), false, 0, 0, 0, 0, 0, {}, false});
        }
        std::stable_sort(ref.ev.begin(), ref.ev.end(), [](const RefEvent& a, const RefEvent& b) { return a.at < b.at; });
        ref.run();
        Evaluator ev(*rs);
        for (std::size_t k = 0; k < ref.ev.size(); ++k) {
            const RefEvent& e = ref.ev[k];
            const LedgerEntry& got = ev.push(e.at, e.code);
            INFO("round " << round << " event " << k);
            REQUIRE((got.status == Status::Counted) == e.counted);
            REQUIRE(got.nth == e.nth);
            REQUIRE(got.points == e.points);
            REQUIRE(got.before == e.before);
            REQUIRE(got.after == e.after);
            REQUIRE(ev.fired().size() == e.fired.size());
            for (std::size_t f = 0; f < e.fired.size(); ++f)
                REQUIRE(ev.fired()[f].threshold == &rs->tracks[e.track].thresholds[e.fired[f]]);
            REQUIRE(got.first_closing == e.first_closing);
            // The standing right after each event, and at random later times.
            REQUIRE(engine_standing(*rs, ev.standing(e.at)) == ref_prefix_standing(ref, k, e.at));
            ++compared;
        }
        const Time last = ref.ev.empty() ? start : ref.ev.back().at;
        for (Time later : {last, last + 86400 * 7, last + 86400 * 100, last + 86400 * 400}) {
            INFO("round " << round << " as_of " << later);
            REQUIRE(engine_standing(*rs, ev.standing(later)) == ref.standing(later));
            ++compared;
        }
    }
    CHECK(compared > 50000);
}
