// ruleset.hpp — a compiled, validated ruleset (docs/model.md §2).
//
// Built only by compile_ruleset() (rules_compile.hpp) from the rows of the
// rule tables; immutable afterwards and shared (std::shared_ptr<const>) by
// every query of one connection until the rule tables change.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/duration.hpp"
#include "core/timestamp.hpp"

namespace penalty {

enum class Period { Year, Quarter, Month, Rolling, Lifetime, Cycle };

// A calendar period: points live until its end, then (with carry rows) an
// opening balance passes to the next one (docs/model.md §3.6).
inline bool calendar_period(Period p) { return p != Period::Rolling && p != Period::Lifetime; }

// What a firing imposes: the threshold's own, or a penalty_sanction_repeat
// row's for its nth firing (§3b.b).
struct SanctionStep {
    std::int64_t nth = 1;
    std::string sanction;
    std::optional<Duration> days;        // nullopt: indefinite
    bool closes = false;
};

struct Threshold {
    std::int64_t points = 0;             // fires when a balance crosses it (> 0)
    std::string sanction;
    std::optional<Duration> days;        // nullopt: indefinite
    bool closes = false;
    std::optional<std::int64_t> every;   // also fires at points + k * every, k >= 1 (§3.7)
    std::optional<std::int64_t> reset_to;  // v3: the track is cut to it when it fires (§3b.a)
    bool reset_at_end = false;           // reset_on = 'end'
    std::vector<SanctionStep> steps;     // v3: penalty_sanction_repeat rows, ascending nth (§3b.b)
    std::int32_t escalation = -1;        // with steps: its index among the ruleset's escalating thresholds

    // The step for the nth firing: greatest nth' <= n, or nullptr (§3b.b).
    const SanctionStep* step_for(std::int64_t n) const;
};

struct CarryStep {                       // penalty_carry (§3.6)
    std::int64_t min_points = 0;
    std::optional<std::int64_t> carry;   // nullopt: the whole balance
};

struct Track {
    std::string name;
    Period period = Period::Year;
    Duration period_days;                // Rolling and Cycle only
    std::vector<Threshold> thresholds;   // ascending points
    bool repeating = false;              // some threshold has `every`
    bool keeps_entries = false;          // each event's points are tracked: rolling, expiry or credits
    std::optional<std::int64_t> daily_cap;  // §3.5a
    std::optional<Duration> merge;       // §3.2a, per track
    std::vector<CarryStep> carries;      // ascending min_points; calendar periods only
    bool v3 = false;                     // some reduction or clean rule of §3b applies to it
};

struct ViolationVersion {
    Time valid_from = 0;
    std::size_t track = 0;               // index into Ruleset::tracks
    std::int64_t points = 0;             // < 0: a credit code (§3.5b)
    bool closes = false;
    std::int64_t min_prior = 0;
    std::optional<Duration> expires;     // §3.6: the event's points stop counting after it
    std::optional<Duration> merge;       // §3.2a, per code
    std::optional<Duration> clean;       // v3: clean_days (§3b.c)
    std::optional<Duration> restore;     // v3: restore_days (§3b.d)
};

struct RepeatStep {
    std::int64_t nth = 1;
    std::int64_t points = 0;
};

struct Code {
    std::string name;
    std::vector<ViolationVersion> versions;  // ascending valid_from
    std::vector<RepeatStep> repeats;          // ascending nth
    bool credit = false;                      // every version has points < 0 (§3.5b)

    // The version in force at `at`: greatest valid_from <= at, or nullptr.
    const ViolationVersion* version_at(Time at) const;
    // Points for the nth counted offence (docs/model.md §3.5).
    std::int64_t points_for(const ViolationVersion& v, std::int64_t nth) const;
};

struct Level {
    std::int64_t min_credit = 0;
    std::string label;
};

struct Ruleset {
    Ruleset() = default;
    Ruleset(const Ruleset&) = delete;             // code_index points into codes
    Ruleset& operator=(const Ruleset&) = delete;

    std::string name;
    Time tz_offset = 0;                        // seconds east of UTC
    std::optional<Duration> repeat;            // the look-back (repeat_days); nullopt: whole history
    bool prior_scope_cluster = false;          // prior_scope = 'cluster' (§6)
    bool link_closes = false;                  // §6
    bool has_cycle = false;                    // some track has period 'cycle': sellers need anchor_at
    std::int32_t escalating = 0;               // thresholds with penalty_sanction_repeat rows (§3b.b)
    std::vector<Track> tracks;                 // ascending name (BINARY)
    std::vector<Code> codes;                   // ascending name (BINARY); a code's index is its id
    std::vector<Level> levels;                 // ascending min_credit

    // The id of `code`, or -1.
    std::int32_t code_id(std::string_view code) const;
    // The label with the greatest min_credit <= credit, or nullptr.
    const Level* level_for(std::int64_t credit) const;

    std::unordered_map<std::string_view, std::int32_t> code_index;  // name -> id, views into codes
};

const char* period_name(Period p);

}  // namespace penalty
