// settings.hpp — the per-connection settings of penalty_config(name [, value])
// (docs/reference.md): how penalty_standings / penalty_ledger read a whole
// source.
//
//   read_strategy  'auto' (default) | 'stream' | 'sort' (read_plan.hpp)
//   memory_budget  bytes of event records the 'sort' strategy keeps in memory
//                  before it spills a sorted run to a temporary file
//                  (INTEGER >= 65536; default 4294967296)
//   threads        threads a whole-source penalty_standings uses: the
//                  connection's own (every SQLite call stays there) and
//                  threads - 1 workers that evaluate sellers and sort
//                  records (worker_pool.hpp); 1 turns the workers off. The
//                  results and their order are the same for any value
//                  (INTEGER 1..64; default 2)
//
// A Settings lives in the Connection (connection.hpp), never in a global.
#pragma once

#include <cstdint>
#include <string_view>

#include "../core/value.hpp"

namespace penalty::glue {

enum class ReadStrategy { Auto, Stream, Sort };

struct Settings {
    static constexpr std::int64_t kMinBudget = std::int64_t{1} << 16;
    ReadStrategy read_strategy = ReadStrategy::Auto;
    static constexpr int kMaxThreads = 64;
    std::int64_t memory_budget = std::int64_t{4} << 30;
    int threads = 2;
};

const char* strategy_name(ReadStrategy s);

// The value of the setting `name`; throws Error naming the accepted names.
Cell config_get(const Settings& s, std::string_view name);
// Sets `name` to `value` and returns the new value; throws Error naming
// the setting and the accepted values (then nothing changes).
Cell config_set(Settings& s, std::string_view name, const ValueView& value);

}  // namespace penalty::glue
