// worker_pool.cpp — the worker threads (worker_pool.hpp).
#include "core/worker_pool.hpp"

#include <system_error>

namespace penalty {

WorkerPool::WorkerPool(unsigned workers) : requested_(workers) {
    threads_.reserve(workers);
    for (unsigned k = 0; k < workers; ++k) {
        try {
            threads_.emplace_back([this] { work(); });
        } catch (const std::system_error&) {
            break;  // no more threads now: the work is done by those started, or by the caller
        }
    }
}

WorkerPool::~WorkerPool() { stop(); }

void WorkerPool::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    queued_.notify_all();
    for (std::thread& t : threads_)
        if (t.joinable()) t.join();
}

void WorkerPool::submit(Job& job) {
    if (threads_.empty()) {
        job.run();
        return;
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        queue_.push_back(&job);  // may throw std::bad_alloc: then the job stays done
        job.done_ = false;
    }
    queued_.notify_one();
}

void WorkerPool::wait(Job& job) {
    std::unique_lock<std::mutex> lock(mutex_);
    finished_.wait(lock, [&] { return job.done_; });
}

void WorkerPool::work() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and every queued job has run
        Job* job = queue_.front();
        queue_.pop_front();
        lock.unlock();
        job->run();
        lock.lock();
        job->done_ = true;
        finished_.notify_all();
    }
}

}  // namespace penalty
