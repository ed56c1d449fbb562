// stop_check.hpp — lets long work without rows (the sort strategy's
// in-memory sort, core/record_store.hpp) stop when the query is
// interrupted. The thread that made the StopCheck (the connection's) calls
// `poll` at most every 2 ms of checks; `poll` throws to stop (the glue:
// SQLite's interrupt error, sqlite/read/seller_scan.cpp). A worker sharing
// the work sees the stop at its next check and leaves its part, so the
// caller's exception is thrown once the worker has returned.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <thread>
#include <utility>

namespace penalty {

class StopCheck {
public:
    StopCheck() = default;  // never stops
    explicit StopCheck(std::function<void()> poll) : poll_(std::move(poll)), owner_(std::this_thread::get_id()) {}

    // True when the work is to stop (on a worker, after the owner's poll
    // threw); on the owner's thread, polls now and then and throws what
    // `poll` throws.
    bool operator()() {
        if (stopped_.load(std::memory_order_relaxed)) return true;
        if (!poll_ || std::this_thread::get_id() != owner_ || (++calls_ & 63) != 0) return false;
        const auto now = std::chrono::steady_clock::now();
        if (now - last_ < std::chrono::milliseconds(2)) return false;
        last_ = now;
        try {
            poll_();
        } catch (...) {
            stopped_ = true;
            throw;
        }
        return false;
    }

private:
    std::function<void()> poll_;
    std::thread::id owner_;
    std::atomic<bool> stopped_{false};
    std::uint32_t calls_ = 0;  // the owner's only: a worker never reaches it
    std::chrono::steady_clock::time_point last_{};
};

}  // namespace penalty
