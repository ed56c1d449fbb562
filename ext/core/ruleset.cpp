// ruleset.cpp — look-ups on a compiled ruleset (docs/model.md §3.1 version, §3.5 points,
// §3b.b escalating sanctions).
#include "core/ruleset.hpp"

#include <algorithm>

namespace penalty {

const char* period_name(Period p) {
    switch (p) {
        case Period::Year: return "year";
        case Period::Quarter: return "quarter";
        case Period::Month: return "month";
        case Period::Rolling: return "rolling";
        case Period::Lifetime: return "lifetime";
        case Period::Cycle: return "cycle";
    }
    return "?";
}

const ViolationVersion* Code::version_at(Time at) const {
    // versions ascend by valid_from: the last one with valid_from <= at.
    auto it = std::upper_bound(versions.begin(), versions.end(), at,
                               [](Time t, const ViolationVersion& v) { return t < v.valid_from; });
    return it == versions.begin() ? nullptr : &*std::prev(it);
}

std::int64_t Code::points_for(const ViolationVersion& v, std::int64_t nth) const {
    // repeats ascend by nth: the last one with nth' <= nth, else the base points.
    auto it = std::upper_bound(repeats.begin(), repeats.end(), nth,
                               [](std::int64_t n, const RepeatStep& r) { return n < r.nth; });
    return it == repeats.begin() ? v.points : std::prev(it)->points;
}

const SanctionStep* Threshold::step_for(std::int64_t n) const {
    auto it = std::upper_bound(steps.begin(), steps.end(), n,
                               [](std::int64_t k, const SanctionStep& r) { return k < r.nth; });
    return it == steps.begin() ? nullptr : &*std::prev(it);
}

std::int32_t Ruleset::code_id(std::string_view code) const {
    auto it = code_index.find(code);
    return it == code_index.end() ? -1 : it->second;
}

const Level* Ruleset::level_for(std::int64_t credit) const {
    auto it = std::upper_bound(levels.begin(), levels.end(), credit,
                               [](std::int64_t c, const Level& l) { return c < l.min_credit; });
    return it == levels.begin() ? nullptr : &*std::prev(it);
}

}  // namespace penalty
