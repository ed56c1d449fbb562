// aggregate.cpp — penalty_total, penalty_repeats, penalty_closure,
// penalty_standing: aggregates over one seller's rows, also window functions.
//
// All take (ruleset, code, at, as_of); penalty_total takes an optional 5th
// argument, a track. Contract:
//   * As an aggregate (GROUP BY seller_id) the group's rows are evaluated as
//     of `as_of` (docs/model.md §4); rows with at > as_of are ignored. ruleset
//     and as_of (and the track) must be equal on every row, else an error.
//   * As a window function the frame must start at UNBOUNDED PRECEDING (the
//     default frame does): a frame that drops rows (xInverse) is an error.
//     Each xValue evaluates the frame as of the `as_of` of the row stepped
//     last, so penalty_total(r, code, at, at) OVER (PARTITION BY seller_id
//     ORDER BY at) is a running balance.
//   * Ties in time are ordered by code, then by the order rows arrive.
//   * A group with no rows gives 0 (total, repeats) or NULL (closure, standing).
// The evaluation itself is the engine's (ext/core/engine.cpp) and the NULL
// rules of the results are standing_output.hpp's; this file only collects
// rows, keeps the window's evaluation incremental, and maps results. Names,
// argument counts and flags are declared in entry.cpp.
#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "sqlite/functions/aggregate.hpp"

#include "core/engine.hpp"
#include "core/standing_output.hpp"
#include "sqlite/base/registered.hpp"
#include "sqlite/base/errors.hpp"
#include "sqlite/base/values.hpp"

namespace penalty::glue {

namespace {

enum class Result { Total, Repeats, Closure, Standing };

// The rows of one group (or window partition) and their evaluation.
class Group {
public:
    // Adds one row. Throws Error.
    void step(Connection& conn, int argc, sqlite3_value** argv) {
        const std::string_view name = text_arg(argv[0], "ruleset");
        if (!rules_) {
            auto rules = conn.ruleset(name);
            // The aggregates see only their arguments (docs/model.md §3a).
            if (rules->has_cycle || rules->prior_scope_cluster)
                throw Error(fmt::format("ruleset {} {}; the aggregates see only (code, at) and cannot evaluate it: use "
                                        "penalty_standings(ruleset, source, as_of) or penalty_ledger",
                                        sql_literal(ValueView::text(name)),
                                        rules->has_cycle ? "has a cycle track, which needs each seller's anchor_at"
                                                         : "has prior_scope = 'cluster', which needs a links source"));
            rules_ = std::move(rules);
            name_ = std::string(name);
            ev_.emplace(*rules_);
            if (argc > 4) track_ = track_arg(argv[4]);
        } else {
            if (name != name_)
                throw Error(fmt::format("ruleset must be the same on every row of a group (got {} after {})",
                                        sql_literal(ValueView::text(name)), sql_literal(ValueView::text(name_))));
            if (argc > 4 && track_arg(argv[4]) != track_)
                throw Error("track must be the same on every row of a group");
        }
        const Time as_of = as_of_arg(argv[3]);
        if (has_as_of_ && as_of != as_of_) as_of_varies_ = true;
        as_of_ = as_of;
        has_as_of_ = true;

        const ValueView code = view_of(argv[1]);
        if (code.kind != Kind::Text)
            throw Error(fmt::format("argument 'code' is {}; expected TEXT", sql_literal(code)));
        Event e;
        e.at = time_arg(argv[2], "at");
        e.code = rules_->code_id(code.s);
        if (e.code < 0) {  // reported only if the event is evaluated (at <= as_of)
            e.code = -1 - static_cast<std::int32_t>(unknown_.size());
            unknown_.emplace_back(code.s);
        }
        if (events_.size() >= UINT32_MAX) throw Error("more than 4294967295 rows in one group");
        e.seq = static_cast<std::uint32_t>(events_.size());
        if (!events_.empty() && before(e, events_.back())) sorted_ = false;
        events_.push_back(e);
    }

    // Window frames that drop rows are not supported.
    [[noreturn]] static void inverse() {
        throw Error("only window frames that start at UNBOUNDED PRECEDING are supported (the default frame is)");
    }

    // The standing as of the last stepped as_of. In aggregate mode (xFinal)
    // every row must have had the same as_of.
    Standing evaluate(bool window) {
        if (!window && as_of_varies_) throw Error("as_of must be the same on every row of a group");
        if (!sorted_) {
            std::sort(events_.begin(), events_.end(), before);
            sorted_ = true;
            restart();
        }
        if (done_ > 0 && events_[done_ - 1].at > as_of_) restart();
        while (done_ < events_.size() && events_[done_].at <= as_of_) {
            const Event& e = events_[done_];
            if (e.code < 0) unknown_code_error(*rules_, unknown_[static_cast<std::size_t>(-1 - e.code)], e.at);
            ev_->push(e.at, e.code);
            ++done_;
        }
        return ev_->standing(as_of_);
    }

    bool empty() const { return !rules_; }
    const Evaluator& evaluator() const { return *ev_; }
    std::optional<std::size_t> track() const { return track_; }

private:
    // Ties: by code (ids follow code-name order), then arrival.
    static bool before(const Event& a, const Event& b) {
        if (a.at != b.at) return a.at < b.at;
        if (a.code != b.code) return a.code < b.code;
        return a.seq < b.seq;
    }
    void restart() {
        ev_->reset();
        done_ = 0;
    }
    Time as_of_arg(sqlite3_value* v) {
        // Parsing is skipped while the as_of value repeats byte for byte.
        const ValueView x = view_of(v);
        if (has_as_of_ && x.kind == last_as_of_.kind && x.i == last_as_of_.i && x.r == last_as_of_.r &&
            x.s == last_as_of_.s)
            return as_of_;
        const Time t = time_arg(v, "as_of");
        last_as_of_ = Cell::from(x);
        return t;
    }
    std::size_t track_arg(sqlite3_value* v) const {
        const std::string_view t = text_arg(v, "track");
        for (std::size_t k = 0; k < rules_->tracks.size(); ++k)
            if (rules_->tracks[k].name == t) return k;
        throw Error(fmt::format("track {} is not in ruleset {}", sql_literal(ValueView::text(t)),
                                sql_literal(ValueView::text(name_))));
    }

    std::shared_ptr<const Ruleset> rules_;
    std::string name_;
    std::optional<Evaluator> ev_;
    std::optional<std::size_t> track_;
    std::vector<Event> events_;
    std::vector<std::string> unknown_;   // names of unknown codes, by -1 - Event::code
    bool sorted_ = true;
    std::size_t done_ = 0;               // events_[0, done_) are pushed into ev_
    Time as_of_ = 0;
    bool has_as_of_ = false, as_of_varies_ = false;
    Cell last_as_of_;
};

template <Result R>
struct Aggregate {
    // The aggregate context holds a Group*, created on the first row and
    // deleted by xFinal (which SQLite calls also when a query is abandoned).
    static Group** slot(sqlite3_context* ctx, bool create) {
        return static_cast<Group**>(sqlite3_aggregate_context(ctx, create ? sizeof(Group*) : 0));
    }

    static void step(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
        guard(ctx, registered(ctx).name, [&] {
            Group** g = slot(ctx, true);
            if (!g) throw std::bad_alloc();
            if (!*g) *g = new Group();
            (*g)->step(*registered(ctx).conn, argc, argv);
        });
    }

    static void inverse(sqlite3_context* ctx, int, sqlite3_value**) {
        guard(ctx, registered(ctx).name, [&] { Group::inverse(); });
    }

    static void result(sqlite3_context* ctx, bool window) {
        guard(ctx, registered(ctx).name, [&] {
            Group** g = slot(ctx, false);
            if (!g || !*g || (*g)->empty()) {
                if constexpr (R == Result::Total || R == Result::Repeats) sqlite3_result_int(ctx, 0);
                else sqlite3_result_null(ctx);
                return;
            }
            Group& group = **g;
            const Standing s = group.evaluate(window);
            if constexpr (R == Result::Total) {
                sqlite3_result_int64(ctx, group.track() ? s.track_points[*group.track()] : s.points);
            } else if constexpr (R == Result::Repeats) {
                sqlite3_result_int64(ctx, s.repeats);
            } else if constexpr (R == Result::Closure) {
                result_text(ctx, closure_at_text(s));
            } else {
                result_text(ctx, standing_json(group.evaluator(), s));
            }
        });
    }

    static void value(sqlite3_context* ctx) { result(ctx, true); }

    static void final(sqlite3_context* ctx) {
        result(ctx, false);
        if (Group** g = slot(ctx, false)) {
            delete *g;
            *g = nullptr;
        }
    }
};

template <Result R>
constexpr WindowCallbacks callbacks() {
    return {Aggregate<R>::step, Aggregate<R>::final, Aggregate<R>::value, Aggregate<R>::inverse};
}

}  // namespace

extern const WindowCallbacks kTotalCallbacks = callbacks<Result::Total>();
extern const WindowCallbacks kRepeatsCallbacks = callbacks<Result::Repeats>();
extern const WindowCallbacks kClosureCallbacks = callbacks<Result::Closure>();
extern const WindowCallbacks kStandingCallbacks = callbacks<Result::Standing>();

}  // namespace penalty::glue
