// settings.cpp — penalty_config's names and values (settings.hpp).
#include "settings.hpp"

#include <fmt/format.h>

#include "../core/error.hpp"

namespace penalty::glue {

namespace {

constexpr const char* kNames = "'read_strategy' or 'memory_budget'";

std::int64_t integer_in(std::string_view name, const ValueView& v, std::int64_t lo, std::int64_t hi,
                        const char* expected) {
    if (v.kind != Kind::Integer || v.i < lo || v.i > hi)
        throw Error(fmt::format("setting '{}' cannot be {}; expected {}", name, sql_literal(v), expected));
    return v.i;
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

Cell config_get(const Settings& s, std::string_view name) {
    if (name == "read_strategy") return Cell::from(ValueView::text(strategy_name(s.read_strategy)));
    if (name == "memory_budget") return Cell::from(ValueView::integer(s.memory_budget));
    throw Error(fmt::format("no setting {}; expected {}", sql_literal(ValueView::text(name)), kNames));
}

Cell config_set(Settings& s, std::string_view name, const ValueView& value) {
    if (name == "read_strategy") {
        const ReadStrategy all[] = {ReadStrategy::Auto, ReadStrategy::Stream, ReadStrategy::Sort};
        for (ReadStrategy r : all)
            if (value.kind == Kind::Text && value.s == strategy_name(r)) s.read_strategy = r;
        if (value.kind != Kind::Text || value.s != strategy_name(s.read_strategy))
            throw Error(fmt::format("setting 'read_strategy' cannot be {}; expected 'auto', 'stream' or 'sort'",
                                    sql_literal(value)));
    } else if (name == "memory_budget") {
        s.memory_budget = integer_in(name, value, Settings::kMinBudget, INT64_MAX,
                                     "an INTEGER number of bytes, at least 65536");
    } else {
        throw Error(fmt::format("no setting {}; expected {}", sql_literal(ValueView::text(name)), kNames));
    }
    return config_get(s, name);
}

}  // namespace penalty::glue
