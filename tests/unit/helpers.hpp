// helpers.hpp — building rulesets and running the engine in unit tests.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/engine.hpp"
#include "core/error.hpp"
#include "core/rules_compile.hpp"

namespace test {

using namespace penalty;

inline Cell I(std::int64_t v) { return Cell::from(ValueView::integer(v)); }
inline Cell T(std::string_view s) { return Cell::from(ValueView::text(s)); }
inline Cell N() { return Cell{}; }

// A RawRules with a fluent builder; defaults follow the schema's defaults.
struct Rules {
    RawRules raw;
    explicit Rules(std::string name = "r", Cell tz = T("+00:00"), Cell repeat_days = N()) {
        raw.ruleset = std::move(name);
        raw.ruleset_row = RulesetRow{tz, repeat_days, T("seller"), I(0)};
    }
    Rules& track(const char* name, const char* period, Cell days = N()) {
        raw.tracks.push_back({T(name), T(period), days, N(), N()});
        return *this;
    }
    Rules& violation(const char* code, const char* track, std::int64_t points, std::int64_t closes = 0,
                     std::int64_t min_prior = 0, Cell valid_from = T("0001-01-01")) {
        raw.violations.push_back({T(code), valid_from, T(track), I(points), I(closes), I(min_prior), N(), N(), N(), N()});
        return *this;
    }
    Rules& repeat(const char* code, std::int64_t nth, std::int64_t points) {
        raw.repeats.push_back({T(code), I(nth), I(points)});
        return *this;
    }
    Rules& threshold(const char* track, std::int64_t points, const char* sanction, Cell days, std::int64_t closes = 0) {
        raw.thresholds.push_back({T(track), I(points), T(sanction), days, I(closes), N(), N(), T("start")});
        return *this;
    }
    // v3 (docs/model.md §3b): the last threshold's reset; a sanction_repeat
    // row; clean_days / restore_days on every version of a code.
    Rules& reset(Cell reset_to, Cell reset_on = T("start")) {
        raw.thresholds.back().reset_to = reset_to;
        raw.thresholds.back().reset_on = reset_on;
        return *this;
    }
    Rules& sanction_repeat(const char* track, std::int64_t points, std::int64_t nth, const char* sanction, Cell days,
                           std::int64_t closes = 0) {
        raw.sanction_repeats.push_back({T(track), I(points), I(nth), T(sanction), days, I(closes)});
        return *this;
    }
    Rules& clean(const char* code, Cell clean_days, Cell restore_days = N()) {
        for (ViolationRow& v : raw.violations)
            if (v.code == T(code)) v.clean_days = clean_days, v.restore_days = restore_days;
        return *this;
    }
    Rules& level(std::int64_t min_credit, const char* label) {
        raw.levels.push_back({I(min_credit), T(label)});
        return *this;
    }
    std::shared_ptr<const Ruleset> compile() const {
        Compiled c = compile_ruleset(raw);
        if (!c.ruleset) FAIL("ruleset does not compile: " << c.error_text());
        return c.ruleset;
    }
};

// The worked example of docs/model.md §5.
inline Rules taobao() {
    Rules r("taobao", T("+08:00"), I(365));
    r.track("serious", "year")
        .violation("harassment", "serious", 12)
        .violation("harassment_severe", "serious", 12, 1)
        .threshold("serious", 12, "restrict_7d", I(7))
        .threshold("serious", 24, "restrict_14d", I(14))
        .threshold("serious", 36, "restrict_21d", I(21))
        .threshold("serious", 48, "seal_account", N(), 1);
    return r;
}

inline Time at(const char* s) { return parse_timestamp_text(s); }

// Runs events (code, time) in the given order; returns the ledger.
struct Run {
    std::shared_ptr<const Ruleset> rules;
    Evaluator ev;
    std::vector<LedgerEntry> ledger;
    std::vector<std::string> notes;
    std::vector<std::vector<std::int64_t>> fired;  // per event: the levels of the thresholds it fired
    explicit Run(std::shared_ptr<const Ruleset> r) : rules(std::move(r)), ev(*rules) {}
    Run& push(const char* code, const char* when) {
        const std::int32_t id = rules->code_id(code);
        REQUIRE(id >= 0);
        ledger.push_back(ev.push(at(when), id));
        notes.push_back(ev.note(ledger.back(), at(when), id));
        fired.emplace_back();
        for (const Fired& f : ev.fired()) fired.back().push_back(f.level);
        return *this;
    }
    Standing standing(const char* when) const { return ev.standing(at(when)); }
    std::string reason(const char* when) const { return ev.reason(standing(when)); }
};

}  // namespace test
