// worker_pool.hpp — a few worker threads that run jobs handed to them, for
// the work of one query that may leave the connection's thread (evaluating
// sellers, sorting records, reading parts of a table). Pure C++: a job
// calls SQLite only on a connection of its own (the parallel read,
// sqlite/read/parallel_read.hpp), never on the caller's.
//
// The caller owns every Job; submit() queues it, wait() blocks until it has
// run. Jobs run in submission order as workers free up, so the caller gets
// its results in order by waiting on its jobs in order. A Job's run() must
// not throw: it keeps any exception itself (std::exception_ptr) for the
// caller to rethrow on its own thread. The destructor waits for the jobs
// already queued, then joins the threads.
//
// With 0 workers (penalty_config('threads', 1)) nothing is started and
// submit() runs the job at once on the caller's thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace penalty {

class WorkerPool {
public:
    class Job {
    public:
        virtual ~Job() = default;
        virtual void run() noexcept = 0;

    private:
        friend class WorkerPool;
        bool done_ = true;  // guarded by the pool's mutex
    };

    // A job that calls a function and keeps what it throws.
    template <class F>
    class FunctionJob final : public Job {
    public:
        explicit FunctionJob(F f) : f_(std::move(f)) {}
        void run() noexcept override {
            try {
                f_();
            } catch (...) {
                error_ = std::current_exception();
            }
        }
        void rethrow() const {
            if (error_) std::rethrow_exception(error_);
        }

    private:
        F f_;
        std::exception_ptr error_;
    };

    // Runs `a` on a worker and `b` here, and returns when both have run;
    // throws what `a`, else `b`, threw (`a` first: the earlier part of the
    // work). The pool must have no job of the caller's queued that
    // waits for this one.
    template <class A, class B>
    void both(A a, B b) {
        FunctionJob<A> job(std::move(a));
        submit(job);
        std::exception_ptr here;
        try {
            b();
        } catch (...) {
            here = std::current_exception();
        }
        wait(job);
        job.rethrow();
        if (here) std::rethrow_exception(here);
    }

    // Starts up to `workers` threads: when the system refuses one, the
    // pool has those started (perhaps none; jobs then run in submit()).
    // Throws std::bad_alloc only.
    explicit WorkerPool(unsigned workers);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    unsigned workers() const { return static_cast<unsigned>(threads_.size()); }
    unsigned requested() const { return requested_; }  // the constructor's `workers`

    // Queues `job` (not queued already), or runs it now without workers.
    void submit(Job& job);
    // Blocks until `job` has run (at once for a job never submitted).
    void wait(Job& job);

private:
    void work();
    void stop();

    std::mutex mutex_;
    std::condition_variable queued_, finished_;
    std::deque<Job*> queue_;
    bool stopping_ = false;
    unsigned requested_ = 0;
    std::vector<std::thread> threads_;
};

}  // namespace penalty
