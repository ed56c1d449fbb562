// The worker pool (core/worker_pool.hpp): jobs run and are waited for,
// in submission order with one worker; without workers a job runs at once
// on the caller's thread; FunctionJob keeps what it throws; both() rethrows
// the first part's error before the second's; the destructor runs the jobs
// still queued before it joins. Run under ThreadSanitizer too (PENALTY_TSAN).
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/worker_pool.hpp"

using penalty::WorkerPool;

namespace {

using Job = WorkerPool::FunctionJob<std::function<void()>>;

// The message of what f throws, or "" when it throws nothing.
template <class F>
std::string thrown(F f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("worker pool: every job runs, and wait() returns after its job has run") {
    for (unsigned workers : {1u, 2u, 3u}) {
        CAPTURE(workers);
        WorkerPool pool(workers);
        CHECK(pool.workers() == workers);
        constexpr int kJobs = 200;
        std::vector<int> out(kJobs, -1);  // each job writes its own slot, read after wait()
        std::vector<std::unique_ptr<Job>> jobs;
        for (int k = 0; k < kJobs; ++k)
            jobs.push_back(std::make_unique<Job>([&out, k] { out[static_cast<std::size_t>(k)] = k * k; }));
        for (auto& j : jobs) pool.submit(*j);
        for (int k = 0; k < kJobs; ++k) {
            pool.wait(*jobs[static_cast<std::size_t>(k)]);
            CHECK(out[static_cast<std::size_t>(k)] == k * k);
        }
        // A job is submitted again once it has run (the pipeline's chunks are).
        out[1] = -1;
        pool.submit(*jobs[1]);
        pool.wait(*jobs[1]);
        CHECK(out[1] == 1);
    }
}

TEST_CASE("worker pool: with one worker, jobs run in submission order; waiting out of order works") {
    WorkerPool pool(1);
    std::mutex m;
    std::vector<int> order;
    std::vector<std::unique_ptr<Job>> jobs;
    for (int k = 0; k < 50; ++k)
        jobs.push_back(std::make_unique<Job>([&, k] {
            std::lock_guard<std::mutex> lock(m);
            order.push_back(k);
        }));
    for (auto& j : jobs) pool.submit(*j);
    pool.wait(*jobs[49]);  // the last: with one worker every job before it has run
    for (int k = 48; k >= 0; --k) pool.wait(*jobs[static_cast<std::size_t>(k)]);
    std::vector<int> expected;
    for (int k = 0; k < 50; ++k) expected.push_back(k);
    std::lock_guard<std::mutex> lock(m);
    CHECK(order == expected);
}

TEST_CASE("worker pool: a job never submitted is waited for at once") {
    WorkerPool pool(2);
    Job j([] {});
    pool.wait(j);  // returns: done_ starts true
    CHECK(pool.workers() == 2);
}

TEST_CASE("worker pool: 0 workers run a job at once on the caller's thread") {
    WorkerPool pool(0);
    CHECK(pool.workers() == 0);
    std::thread::id ran_on;
    bool ran = false;
    Job j([&] {
        ran_on = std::this_thread::get_id();
        ran = true;
    });
    pool.submit(j);
    CHECK(ran);  // before submit() returned
    CHECK(ran_on == std::this_thread::get_id());
    pool.wait(j);
    // With workers, the job runs on another thread.
    WorkerPool two(2);
    ran = false;
    two.submit(j);
    two.wait(j);
    CHECK(ran);
    CHECK(ran_on != std::this_thread::get_id());
}

TEST_CASE("worker pool: FunctionJob keeps what its function throws and rethrows it on the caller's thread") {
    for (unsigned workers : {0u, 2u}) {
        CAPTURE(workers);
        WorkerPool pool(workers);
        Job bad([] { throw std::runtime_error("chunk 3 failed"); });
        Job good([] {});
        pool.submit(bad);
        pool.submit(good);
        pool.wait(bad);
        pool.wait(good);
        CHECK(thrown([&] { bad.rethrow(); }) == "chunk 3 failed");
        CHECK(thrown([&] { bad.rethrow(); }) == "chunk 3 failed");  // kept, not consumed
        CHECK(thrown([&] { good.rethrow(); }) == "");
    }
}

TEST_CASE("worker pool: both() runs both parts and rethrows the first part's error first") {
    for (unsigned workers : {0u, 1u, 2u}) {
        CAPTURE(workers);
        WorkerPool pool(workers);
        std::atomic<int> a_runs{0}, b_runs{0};
        auto a_ok = [&] { ++a_runs; };
        auto b_ok = [&] { ++b_runs; };
        auto a_bad = [&] {
            ++a_runs;
            throw std::runtime_error("first part");
        };
        auto b_bad = [&] {
            ++b_runs;
            throw std::runtime_error("second part");
        };
        CHECK(thrown([&] { pool.both(a_ok, b_ok); }) == "");
        CHECK(thrown([&] { pool.both(a_bad, b_bad); }) == "first part");
        CHECK(thrown([&] { pool.both(a_ok, b_bad); }) == "second part");
        CHECK(thrown([&] { pool.both(a_bad, b_ok); }) == "first part");
        CHECK(a_runs == 4);  // each part ran every time, whatever the other threw
        CHECK(b_runs == 4);
        // The two parts write disjoint halves; both are seen after both().
        std::vector<int> v(1000, 0);
        pool.both([&] { for (std::size_t k = 0; k < 500; ++k) v[k] = 1; },
                  [&] { for (std::size_t k = 500; k < 1000; ++k) v[k] = 2; });
        int sum = 0;
        for (int x : v) sum += x;
        CHECK(sum == 500 * 1 + 500 * 2);
    }
}

TEST_CASE("worker pool: the destructor runs the jobs still queued, then joins") {
    std::atomic<int> ran{0};
    std::vector<std::unique_ptr<Job>> jobs;
    // The first job holds the only worker while the others are queued.
    jobs.push_back(std::make_unique<Job>([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        ++ran;
    }));
    for (int k = 0; k < 20; ++k) jobs.push_back(std::make_unique<Job>([&] { ++ran; }));
    {
        WorkerPool pool(1);
        for (auto& j : jobs) pool.submit(*j);
        CHECK(ran < 21);  // the first job still sleeps
    }
    CHECK(ran == 21);
}
