// settings.hpp — the per-connection settings of penalty_config(name [, value]):
// read_strategy, memory_budget, threads, parallel_read, with their accepted values and
// defaults as docs/reference.md ("penalty_config") lists them. A Settings
// lives in the Connection (sqlite/base/connection.hpp), never in a global,
// and a query reads it once (sqlite/read/seller_scan.hpp).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/value.hpp"

namespace penalty {

enum class ReadStrategy { Auto, Stream, Sort };

struct Settings {
    static constexpr std::int64_t kMinBudget = std::int64_t{1} << 16;
    ReadStrategy read_strategy = ReadStrategy::Auto;
    static constexpr int kMaxThreads = 64;
    std::int64_t memory_budget = std::int64_t{4} << 30;
    int threads = 2;
    bool parallel_read = true;  // a large table over `threads` connections where safe (sqlite/read/parallel_read.hpp)
};

const char* strategy_name(ReadStrategy s);

// The value of the setting `name`; throws Error naming the accepted names.
Cell config_get(const Settings& s, std::string_view name);
// Sets `name` to `value` and returns the new value; throws Error naming
// the setting and the accepted values (then nothing changes).
Cell config_set(Settings& s, std::string_view name, const ValueView& value);

}  // namespace penalty
