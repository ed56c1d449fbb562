// standing_output.hpp — the output forms of a standing (docs/model.md §4),
// shared by the penalty_standings table, the penalty_standing() JSON and
// the other aggregates, so that each field's NULL rule is written once.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/engine.hpp"
#include "core/seller_batch.hpp"

namespace penalty {

// The nullable text fields; std::nullopt is SQL NULL / JSON null.
// sanction: the deciding active sanction's name; NULL when none is active.
std::optional<std::string> sanction_text(const Standing& s);
// sanction_until: its end; NULL when none is active or it is indefinite.
std::optional<std::string> sanction_until_text(const Standing& s);
// closure_at: the closure time when it is at or before T.
std::optional<std::string> closure_at_text(const Standing& s);
// reason: why closed, else why sanctioned; NULL when neither.
std::optional<std::string> reason_text(const Evaluator& ev, const Standing& s);

// `s` as a JSON string literal, with quotes; `s` must be valid UTF-8.
void append_json_string(std::string& out, std::string_view s);

// {"track": points, ...}: every track of the ruleset, in track-name order.
std::string tracks_json(const Ruleset& r, const Standing& s);

// The object with the keys points, tracks, offences, dismissed, merged, repeats,
// sanction, sanction_until, closure_at, reason (NULLs as null).
std::string standing_json(const Evaluator& ev, const Standing& s);

// One seller's standing as of a time with the text fields that need the
// evaluator that made it (Standing::sanction points into the evaluator, so
// it is cleared here; the other fields are made from the Standing's values).
struct StandingResult {
    Standing standing;  // sanction: null
    std::optional<std::string> sanction, sanction_until, reason;
};

// `ev`'s standing as of `as_of` (§4), with its text fields.
void standing_result(const Evaluator& ev, Time as_of, StandingResult& out);

// Evaluates `b` with `ev` (reset for it) as of `as_of` (§4): events after
// as_of are not pushed, those revoked at or before it (§3a) are left out.
void evaluate_standing(Evaluator& ev, const SellerBatch& b, Time as_of, StandingResult& out);

}  // namespace penalty
