// engine.hpp — evaluation of one seller (docs/model.md §3 and §4).
//
// This is the one place the scoring rules live. The aggregate functions and
// the virtual tables feed it the same way:
//
//     Evaluator ev(ruleset);
//     ev.reset(anchor);                   // per seller; anchor_at for cycle tracks
//     for each event in (at, tie order):  const LedgerEntry& e = ev.push(at, code_id, points);
//     Standing s = ev.standing(T);        // any T >= the last pushed `at`
//
// push() runs steps §3.1–§3.8 for one event in amortised O(log n);
// standing() is O(tracks + entries that expire between the last event and
// T + carry rows). Events must come in non-decreasing `at` (the caller
// sorts; ties in the caller's tie order). Revoked events (§3a) are never
// pushed: the caller leaves them out. Every user-facing failure throws
// penalty::Error.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/ruleset.hpp"

namespace penalty {

// One event as the callers store it: 16 bytes.
struct Event {
    Time at = 0;
    std::int32_t code = -1;   // id in the ruleset; negative: unknown (see unknown_code_error)
    std::uint32_t seq = 0;    // input order within the seller, for stable ties
};

// What an event became: the ledger's status (§3).
enum class Status { Counted, Dismissed, Merged, Credit };
const char* status_name(Status s);

// One threshold fired by one event (§3.7). A repeating threshold (`every`)
// fires once per level crossed; all of those start and end together, so
// only the highest level and their number are kept. With
// penalty_sanction_repeat rows (§3b.b) the levels that share a row are
// kept together, one Fired per row.
struct Fired {
    const Threshold* threshold = nullptr;
    std::int64_t level = 0;        // the highest level crossed: points + k * every
    std::int64_t levels = 1;       // how many levels were crossed
    std::optional<Time> end;       // the sanction's end; nullopt: indefinite
    const std::string* sanction = nullptr;  // the effective sanction (§3b.b)
    bool closes = false;           // the effective closes (§3b.b)
    std::int64_t nth = 0;          // with sanction_repeat rows: the firing number of `level`; else 0
};

// What decided a sanction or a closure: one counted event and its effect.
struct Decision {
    Time at = 0;
    std::int32_t code = -1;
    std::size_t track = 0;
    std::int64_t before = 0, after = 0;
    const Threshold* threshold = nullptr;  // null: closed by a closing violation
    std::int64_t level = 0;                // the threshold level crossed
    const std::string* sanction = nullptr; // with a threshold: the effective sanction (§3b.b)
};

struct Sanction {
    Decision why;
    std::optional<Time> end;  // nullopt: indefinite
};

// The result of one event (a row of penalty_ledger).
struct LedgerEntry {
    Status status = Status::Counted;
    std::int64_t prior = 0;       // prior record (§3.3)
    std::int64_t nth = 0;         // repeat number (§3.4); 0 when dismissed or merged
    std::int64_t points = 0;      // §3.5 after the cap (§3.5a); a credit: minus what it took (§3.5b)
    std::int64_t uncapped = 0;    // the points before the daily cap
    bool per_case = false;        // the points came from the source's `points` column
    std::size_t track = 0;
    std::int64_t before = 0, after = 0;  // balance of the track (§3.6), opening balance included
    std::size_t fired = 0;        // thresholds fired: Evaluator::fired() (§3.7)
    bool closing = false;         // a closing event (§3.8)
    bool first_closing = false;   // the seller's first closing event
    const ViolationVersion* version = nullptr;
    std::optional<Time> merged_into;  // Merged: the time of the counted event it merged into
    bool merged_by_track = false; // Merged: by the track's merge window, not the code's
    std::int64_t carried = 0;     // this event opened a period with this opening balance (§3.6)
    Time carried_from = 0;        // the start of the period it was carried from
    std::optional<Time> expires;  // when this event's points stop counting (rolling or expires_days)
    std::optional<Time> restores; // §3b.d: when they stop if the track stays clean (restore_days)
    std::optional<Time> restored; // §3b.c: the track was restored at this instant, before this event
    std::optional<std::int64_t> reset_to;  // §3b.a: the track was cut to it right after this event
};

// The standing as of T (§4).
struct Standing {
    std::int64_t points = 0;
    std::vector<std::int64_t> track_points;  // per Ruleset::tracks index
    std::int64_t offences = 0, dismissed = 0, merged = 0, repeats = 0;
    const Sanction* sanction = nullptr;      // the active one that decides, or null
    std::optional<Time> closure_at;
};

class Evaluator {
    struct Window;

public:
    // The prior record (§3.3) that the sellers of a cluster share when
    // prior_scope = 'cluster' (§6): give the same one to each member's
    // evaluator and push the cluster's events in one merged order.
    class SharedRecord {
    public:
        SharedRecord();
        ~SharedRecord();

    private:
        friend class Evaluator;
        std::unique_ptr<Window> window_;
    };

    explicit Evaluator(const Ruleset& rules);

    // Forgets every event; `anchor` is the seller's anchor_at, required when
    // the ruleset has a cycle track. With `shared`, the prior record counts
    // the events that every evaluator given it has counted.
    void reset(std::optional<Time> anchor = std::nullopt, SharedRecord* shared = nullptr);

    // Evaluates the next event. `code` must be a valid id of the ruleset;
    // `points`, the source's per-case points (§3.5), when not null.
    const LedgerEntry& push(Time at, std::int32_t code, std::optional<std::int64_t> points = std::nullopt);

    // The thresholds fired by the last push(), ascending by (level, points).
    std::span<const Fired> fired() const { return {fired_.data(), last_.fired}; }

    // The standing as of T; T must be >= the last pushed event's time.
    Standing standing(Time T) const;

    // The `reason` text of a standing, empty when it has none.
    std::string reason(const Standing& s) const;

    // The ledger `note` of the entry returned by the last push().
    std::string note(const LedgerEntry& e, Time at, std::int32_t code) const;

    const Ruleset& rules() const { return rules_; }

private:
    struct Entry {                  // a counted event's points, as long as they live
        Time at = 0;
        std::int64_t left = 0;      // after credits and reductions; 0 once expired
    };
    struct Restoring {              // §3b.d: an entry that ends at `until` unless an offence comes first
        std::size_t entry = 0;
        Time at = 0, until = 0;
        std::optional<Time> regular;  // its end otherwise (rolling, expires_days)
    };
    struct TrackState {
        bool has_period = false;             // calendar periods: the current one, [start, end)
        Time period_start = 0, period_end = 0;
        std::int64_t opening = 0;            // its opening balance, after credits
        std::int64_t sum = 0;                // opening + live entries, as of the last event
        std::vector<Entry> entries;          // this period's (or every) counted event, in order
        std::size_t oldest = 0;              // credits: first entry that may still have points
        std::multiset<std::pair<Time, std::size_t>> expiry;  // (end, entry) of entries that end
        std::int64_t cap_day = 0, cap_taken = 0;  // daily cap: the local day and what it took
        bool cap_started = false;
        std::optional<Time> last_counted;    // track merge window (§3.2a)
        // v3 (§3b), only on a track with a v3 rule:
        std::multimap<Time, std::int64_t> end_resets;  // (a) due instant -> reset_to
        std::vector<Restoring> restoring;    // (d) this period's entries that may end early
        std::optional<Time> record_last;     // (c) the record's latest offence
        std::vector<Duration> record_clean;  // (c) the distinct clean_days of the record
        std::optional<Time> restore_at;      // (c) when the track is restored, if clean until then
    };
    // §3b.b: the recent firings of one escalating threshold, as the
    // instants they stop being recent, with their number (a min-heap).
    struct Firings {
        std::vector<std::pair<Time, std::int64_t>> ends;
        std::int64_t total = 0;
    };
    // The events a look-back counts (§3.2), as the instants they stop being
    // recent: add(at, repeat_days). Those ends ascend with `at` for exact
    // units (a queue); months and years clamp the day, so an earlier event
    // can end later (a min-heap).
    struct Window {
        std::vector<Time> end;
        std::size_t head = 0;                // queue: ends before it are gone
        void clear() {
            end.clear();
            head = 0;
        }
    };

    Time recent_until(Time at) const;        // add(at, repeat_days), or never
    void remember(Window& w, Time at) const;
    std::int64_t recent(Window& w, Time now) const;
    std::pair<Time, Time> period_bounds(const Track& t, Time at) const;
    std::int64_t carry(const Track& t, std::int64_t balance) const;
    std::int64_t carry_to(const Track& t, Time start, Time end, std::int64_t balance, Time x,
                          Time* from_start) const;
    void enter(std::size_t k, Time at, LedgerEntry& e);
    void roll(std::size_t k, TrackState& s, Time at, LedgerEntry* e) const;
    void catch_up(std::size_t k, TrackState& s, Time x, LedgerEntry* e) const;
    std::int64_t expiring(const TrackState& ts, Time x) const;
    std::int64_t live_points(std::size_t k, const TrackState& s, Time x) const;
    std::int64_t track_points(std::size_t k, Time x) const;
    static void take_credit(TrackState& ts, std::int64_t amount);
    // The steps of push() (§3.2a–§3.8), in the order they run.
    void credit(const Code& code, const ViolationVersion& v, Window& own, TrackState& ts, Time at,
                std::optional<std::int64_t> points, LedgerEntry& e);
    bool merge(std::size_t id, const ViolationVersion& v, const Track& track, const TrackState& ts, Time at,
               LedgerEntry& e);
    bool dismiss(const ViolationVersion& v, Time at, LedgerEntry& e);
    void decide_points(const Code& code, const ViolationVersion& v, const Track& track, TrackState& ts, Time at,
                       std::optional<std::int64_t> points, LedgerEntry& e);
    void add_to_balance(const ViolationVersion& v, const Track& track, TrackState& ts, Time at, LedgerEntry& e);
    void remember_counted(std::size_t id, Window& same, TrackState& ts, Time at, std::int64_t nth);
    void fire(const Track& track, Time at, std::int32_t code, LedgerEntry& e);
    void escalate(const Threshold& t, std::int64_t low, std::int64_t top, Time at, std::int32_t code,
                  LedgerEntry& e);
    void impose(const Threshold& t, std::int64_t level, std::int64_t levels, const SanctionStep* step,
                std::int64_t nth, Time at, std::int32_t code, LedgerEntry& e);
    void clean_record(const ViolationVersion& v, TrackState& ts, Time at, LedgerEntry& e) const;
    void reset_at_start(TrackState& ts, LedgerEntry& e) const;
    void close(const ViolationVersion& v, Time at, std::int32_t code, LedgerEntry& e);
    std::string window_text() const;
    std::string period_label(const Track& t, Time start) const;
    std::string decision_text(const Decision& d) const;
    std::string fired_text(const Fired& f) const;

    const Ruleset& rules_;
    const bool calendar_lookback_;       // repeat_days in months or years
    const Time repeat_seconds_;          // otherwise its length in seconds (0: whole history, or calendar)
    std::optional<Time> anchor_;
    std::unique_ptr<Window> own_record_; // the seller's counted events (§3.3)
    Window* record_ = nullptr;           // own_record_, or a cluster's shared one
    std::vector<Window> by_code_;        // counted events (credits, for a credit code) per code (§3.4)
    std::vector<std::optional<Time>> code_last_;  // the latest counted event per code (§3.2a)
    std::vector<TrackState> tracks_;
    std::vector<Time> repeat_until_;     // counted events with nth >= 2: recent_until, ascending
    std::int64_t offences_ = 0, dismissed_ = 0, merged_ = 0;
    std::optional<Sanction> indefinite_; // the best indefinite sanction so far
    std::optional<Sanction> finite_;     // the finite sanction with the latest end (ties: higher level)
    std::optional<Decision> closure_;    // the first closing event
    std::vector<Firings> firings_;       // per escalating threshold (§3b.b)
    std::vector<Fired> fired_;           // of the last push
    LedgerEntry last_;
};

// "unknown violation code 'X' in ruleset 'R' at T" (docs/model.md §3.1).
[[noreturn]] void unknown_code_error(const Ruleset& r, std::string_view code, Time at);

}  // namespace penalty
