// settings.cpp — penalty_config's names and values (settings.hpp).
#include "core/settings.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace penalty {

namespace {

std::int64_t integer_in(std::string_view name, const ValueView& v, std::int64_t lo, std::int64_t hi,
                        const char* expected) {
    if (v.kind != Kind::Integer || v.i < lo || v.i > hi)
        throw Error(fmt::format("setting '{}' cannot be {}; expected {}", name, sql_literal(v), expected));
    return v.i;
}

// Every setting: its name, how it is read, and how it is set (checking the
// value before anything changes).
struct Setting {
    const char* name;
    Cell (*get)(const Settings&);
    void (*set)(Settings&, const ValueView&);
};

constexpr Setting kSettings[] = {
    {"read_strategy", [](const Settings& s) { return Cell::from(ValueView::text(strategy_name(s.read_strategy))); },
     [](Settings& s, const ValueView& v) {
         for (ReadStrategy r : {ReadStrategy::Auto, ReadStrategy::Stream, ReadStrategy::Sort})
             if (v.kind == Kind::Text && v.s == strategy_name(r)) {
                 s.read_strategy = r;
                 return;
             }
         throw Error(fmt::format("setting 'read_strategy' cannot be {}; expected 'auto', 'stream' or 'sort'",
                                 sql_literal(v)));
     }},
    {"memory_budget", [](const Settings& s) { return Cell::from(ValueView::integer(s.memory_budget)); },
     [](Settings& s, const ValueView& v) {
         s.memory_budget =
             integer_in("memory_budget", v, Settings::kMinBudget, INT64_MAX, "an INTEGER number of bytes, at least 65536");
     }},
    {"threads", [](const Settings& s) { return Cell::from(ValueView::integer(s.threads)); },
     [](Settings& s, const ValueView& v) {
         s.threads = static_cast<int>(
             integer_in("threads", v, 1, Settings::kMaxThreads, "an INTEGER from 1 (no worker thread) to 64"));
     }},
    {"parallel_read", [](const Settings& s) { return Cell::from(ValueView::integer(s.parallel_read ? 1 : 0)); },
     [](Settings& s, const ValueView& v) {
         s.parallel_read = integer_in("parallel_read", v, 0, 1, "1 (on) or 0 (off)") == 1;
     }},
};

const Setting& find(std::string_view name) {
    for (const Setting& s : kSettings)
        if (name == s.name) return s;
    throw Error(fmt::format("no setting {}; expected 'read_strategy', 'memory_budget', 'threads' or 'parallel_read'",
                            sql_literal(ValueView::text(name))));
}

}  // namespace

const char* strategy_name(ReadStrategy s) {
    switch (s) {
        case ReadStrategy::Auto: return "auto";
        case ReadStrategy::Stream: return "stream";
        case ReadStrategy::Sort: return "sort";
    }
    return "auto";
}

Cell config_get(const Settings& s, std::string_view name) { return find(name).get(s); }

Cell config_set(Settings& s, std::string_view name, const ValueView& value) {
    const Setting& setting = find(name);
    setting.set(s, value);
    return setting.get(s);
}

}  // namespace penalty
