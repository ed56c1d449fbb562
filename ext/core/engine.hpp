// engine.hpp — evaluation of one seller (docs/model.md §3 and §4).
//
// This is the one place the scoring rules live. The aggregate functions and
// the virtual tables feed it the same way:
//
//     Evaluator ev(ruleset);
//     for each event in (at, tie order):  const LedgerEntry& e = ev.push(at, code_id);
//     Standing s = ev.standing(T);        // any T >= the last pushed `at`
//
// push() runs steps 1–8 for one event in amortised O(log n); standing() is
// O(tracks + live events of rolling tracks). Events must come in
// non-decreasing `at` (the caller sorts; ties in the caller's tie order).
// Every user-facing failure throws penalty::Error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ruleset.hpp"

namespace penalty {

// One event as the callers store it: 16 bytes.
struct Event {
    Time at = 0;
    std::int32_t code = -1;   // id in the ruleset; negative: unknown (see unknown_code_error)
    std::uint32_t seq = 0;    // input order within the seller, for stable ties
};

// What decided a sanction or a closure: one counted event and its effect.
struct Decision {
    Time at = 0;
    std::int32_t code = -1;
    std::size_t track = 0;
    std::int64_t before = 0, after = 0;
    const Threshold* threshold = nullptr;  // null: closed by a closing violation
};

struct Sanction {
    Decision why;
    std::optional<Time> end;  // nullopt: indefinite
};

// The result of one event (a row of penalty_ledger).
struct LedgerEntry {
    bool counted = false;
    std::int64_t prior = 0;       // prior record (§3.3)
    std::int64_t nth = 0;         // repeat number (§3.4), 0 when dismissed
    std::int64_t points = 0;      // §3.5, 0 when dismissed
    std::size_t track = 0;
    std::int64_t before = 0, after = 0;  // balance of the track (§3.6)
    std::size_t fired_lo = 0, fired_hi = 0;  // thresholds [lo, hi) of the track fired (§3.7)
    bool closing = false;         // a closing event (§3.8)
    bool first_closing = false;   // the seller's first closing event
    const ViolationVersion* version = nullptr;
};

// The standing as of T (docs/model.md §4).
struct Standing {
    std::int64_t points = 0;
    std::vector<std::int64_t> track_points;  // per Ruleset::tracks index
    std::int64_t offences = 0, dismissed = 0, repeats = 0;
    const Sanction* sanction = nullptr;      // the active one that decides, or null
    std::optional<Time> closure_at;
};

class Evaluator {
public:
    explicit Evaluator(const Ruleset& rules);

    // Forgets every event.
    void reset();

    // Evaluates the next event. `code` must be a valid id of the ruleset.
    const LedgerEntry& push(Time at, std::int32_t code);

    // The standing as of T; T must be >= the last pushed event's time.
    Standing standing(Time T) const;

    // The `reason` text of a standing, empty when it has none.
    std::string reason(const Standing& s) const;

    // The ledger `note` of the entry returned by the last push().
    std::string note(const LedgerEntry& e, Time at, std::int32_t code) const;

    // The sanction fired by the last push() for the threshold k of its track.
    std::optional<Time> sanction_end(const LedgerEntry& e, Time at, std::size_t k) const;

    const Ruleset& rules() const { return rules_; }

private:
    struct TrackState {
        Time period_start = 0, period_end = 0; // calendar periods: the current one, [start, end)
        std::int64_t sum = 0;                  // live points as of the last event
        std::vector<std::pair<Time, std::int64_t>> live;  // rolling: counted (at, points)
        std::size_t head = 0;                  // rolling: first live entry
    };
    struct Window {                            // counted times, with the look-back start
        std::vector<Time> at;
        std::size_t head = 0;
        std::int64_t recent(Time now, std::optional<Time> lookback);
    };

    std::pair<Time, Time> period_bounds(const Track& t, Time at) const;
    std::int64_t live_points(std::size_t track, Time x) const;
    std::optional<Time> lookback() const;
    std::string decision_text(const Decision& d) const;

    const Ruleset& rules_;
    Window all_;                         // every counted event (§3.3)
    std::vector<Window> by_code_;        // counted events per code (§3.4)
    std::vector<TrackState> tracks_;
    std::vector<Time> repeat_at_;        // counted events with nth >= 2
    std::int64_t offences_ = 0, dismissed_ = 0;
    std::optional<Sanction> indefinite_; // the best indefinite sanction so far
    std::optional<Sanction> finite_;     // the finite sanction with the latest end (ties: higher points)
    std::optional<Decision> closure_;    // the first closing event
    LedgerEntry last_;
};

// "unknown violation code 'X' in ruleset 'R' at T" (docs/model.md §3.1).
[[noreturn]] void unknown_code_error(const Ruleset& r, std::string_view code, Time at);

}  // namespace penalty
