// standing_json.hpp — the JSON forms of a standing (penalty_standing(),
// the `tracks` column of penalty_standings).
#pragma once

#include <string>
#include <string_view>

#include "engine.hpp"

namespace penalty {

// `s` as a JSON string literal, with quotes; `s` must be valid UTF-8.
void append_json_string(std::string& out, std::string_view s);

// {"track": points, ...}: every track of the ruleset, in track-name order.
std::string tracks_json(const Ruleset& r, const Standing& s);

// The object with the keys points, tracks, offences, dismissed, repeats,
// sanction, sanction_until, closure_at, reason (NULLs as null).
std::string standing_json(const Evaluator& ev, const Standing& s);

}  // namespace penalty
