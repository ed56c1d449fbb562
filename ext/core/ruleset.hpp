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

#include "timestamp.hpp"

namespace penalty {

enum class Period { Year, Quarter, Month, Rolling, Lifetime };

struct Threshold {
    std::int64_t points = 0;             // fires when a balance crosses it (> 0)
    std::string sanction;
    std::optional<std::int64_t> days;    // nullopt: indefinite
    bool closes = false;
};

struct Track {
    std::string name;
    Period period = Period::Year;
    std::int64_t period_days = 0;        // Rolling only
    std::vector<Threshold> thresholds;   // ascending points
};

struct ViolationVersion {
    Time valid_from = 0;
    std::size_t track = 0;               // index into Ruleset::tracks
    std::int64_t points = 0;
    bool closes = false;
    std::int64_t min_prior = 0;
};

struct RepeatStep {
    std::int64_t nth = 1;
    std::int64_t points = 0;
};

struct Code {
    std::string name;
    std::vector<ViolationVersion> versions;  // ascending valid_from
    std::vector<RepeatStep> repeats;          // ascending nth

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
    std::optional<std::int64_t> repeat_days;   // nullopt: whole history
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
