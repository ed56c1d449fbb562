// connection.cpp — the rules cache of one connection.
#include "sqlite/base/connection.hpp"

#include <fmt/format.h>

#include "sqlite/base/errors.hpp"
#include "sqlite/base/values.hpp"
#include "sqlite/rules/loader.hpp"
#include "sqlite/base/statement.hpp"

namespace penalty::glue {

void Connection::release(void* self) {
    auto* c = static_cast<Connection*>(self);
    if (c->refs_.fetch_sub(1) == 1) delete c;
}

Connection::Key Connection::current_key() const {
    Key k;
    // The pager notices another connection's commit only when a read
    // transaction starts. A statement that has not read "main" yet (a bare
    // SELECT penalty_points(...)) has none: start and end one first.
    if (sqlite3_txn_state(db_, "main") == SQLITE_TXN_NONE) {
        Statement st;
        check_rc(db_, sqlite3_prepare_v3(db_, "PRAGMA main.data_version", -1, 0, st.out(), nullptr),
                 "reading the data version");
        check_rc(db_, sqlite3_step(st.get()), "reading the data version");
    }
    // A schema that is not open ("temp" before first use) answers an error:
    // its version then stays 0, which is right, since nothing is in it.
    if (sqlite3_file_control(db_, "main", SQLITE_FCNTL_DATA_VERSION, &k.main_version) != SQLITE_OK) k.main_version = 0;
    if (sqlite3_file_control(db_, "temp", SQLITE_FCNTL_DATA_VERSION, &k.temp_version) != SQLITE_OK) k.temp_version = 0;
    k.changes = sqlite3_total_changes(db_);
    k.autocommit = sqlite3_get_autocommit(db_);
    return k;
}

Connection::Entry& Connection::entry(std::string_view name) {
    const Key now = current_key();
    if (!(now == key_)) {
        cache_.clear();
        key_ = now;
    }
    auto it = cache_.find(name);
    if (it != cache_.end() && now.autocommit) return it->second;
    RawRules raw = load_rules(db_, name);
    if (it != cache_.end() && it->second.raw == raw) return it->second;  // in a transaction, unchanged
    Compiled compiled = compile_ruleset(raw);
    // No row in penalty_ruleset: the core's one problem says so; here it
    // also lists the rulesets there are (a misspelt name is the usual cause).
    if (!raw.ruleset_row && !compiled.problems.empty()) compiled.problems.front().message = unknown_ruleset(db_, name);
    if (it == cache_.end()) it = cache_.emplace(std::string(name), Entry{std::move(raw), std::move(compiled)}).first;
    else it->second = Entry{std::move(raw), std::move(compiled)};
    return it->second;
}

const Compiled& Connection::compiled(std::string_view name) { return entry(name).compiled; }

std::shared_ptr<const Ruleset> Connection::ruleset(std::string_view name) {
    const Entry& e = entry(name);
    const Compiled& c = e.compiled;
    if (c.ruleset) return c.ruleset;
    if (!e.raw.ruleset_row && !c.problems.empty()) throw Error(c.problems.front().message);  // unknown ruleset 'R'; ...
    throw Error(fmt::format("ruleset {}: {}", sql_literal(ValueView::text(name)), c.error_text()));
}

}  // namespace penalty::glue
