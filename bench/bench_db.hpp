// bench_db.hpp — what the benchmark programs share (bench.cpp,
// links_bench.cpp): fail loudly, run SQL, open a database with the module
// loaded, read one row, and time a piece of work in a child process (so
// its peak memory is its own). Header-only; each program names itself in
// its messages through its bench::Db.
#pragma once

#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace bench {

[[noreturn]] inline void die(const char* program, const std::string& msg) {
    fmt::print(stderr, "{}: {}\n", program, msg);
    std::exit(1);
}

class Db {
public:
    explicit Db(const char* program) : program_(program) {}
    [[noreturn]] void die(const std::string& msg) const { bench::die(program_, msg); }

    void exec(sqlite3* db, const std::string& sql) const {
        char* err = nullptr;
        if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK)
            die(fmt::format("{}: {}", sql.substr(0, 80), err));
    }

    sqlite3* open(const std::string& path, const std::string& module) const {
        sqlite3* db = nullptr;
        if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) die("cannot open " + path);
        sqlite3_enable_load_extension(db, 1);
        char* err = nullptr;
        if (sqlite3_load_extension(db, module.c_str(), nullptr, &err) != SQLITE_OK) die(std::string("load: ") + err);
        return db;
    }

    // The row of a one-row query as text cells joined by '|'.
    std::string one_row(sqlite3* db, const std::string& sql, const std::vector<std::string>& binds = {}) const {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) die(sqlite3_errmsg(db));
        for (std::size_t k = 0; k < binds.size(); ++k)
            sqlite3_bind_text(st, static_cast<int>(k + 1), binds[k].c_str(), -1, SQLITE_TRANSIENT);
        std::string out;
        const int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(st); ++c) {
                const unsigned char* t = sqlite3_column_text(st, c);
                out += (c ? "|" : "") + std::string(t ? reinterpret_cast<const char*>(t) : "NULL");
            }
        } else if (rc != SQLITE_DONE) {
            die(sqlite3_errmsg(db));
        }
        sqlite3_finalize(st);
        return out;
    }

    // The seconds, CPU seconds (user + system), peak RSS and answer of
    // `work` run in a child process.
    struct Result {
        double seconds = 0;
        double cpu_seconds = 0;  // of the whole child (opening and loading included)
        long max_rss_kb = 0;
        std::string answer;
    };
    template <class F>
    Result in_child(F work) const {
        int fd[2];
        if (pipe(fd) != 0) die("pipe");
        const pid_t pid = fork();
        if (pid == 0) {
            close(fd[0]);
            const auto t0 = std::chrono::steady_clock::now();
            const std::string answer = work();
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            const std::string msg = fmt::format("{}\n{}", s, answer);
            if (write(fd[1], msg.data(), msg.size()) < 0) _exit(1);
            _exit(0);
        }
        close(fd[1]);
        std::string msg;
        char buf[4096];
        ssize_t got;
        while ((got = read(fd[0], buf, sizeof buf)) > 0) msg.append(buf, static_cast<std::size_t>(got));
        close(fd[0]);
        int status = 0;
        struct rusage ru {};
        wait4(pid, &status, 0, &ru);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) die("a benchmark child failed");
        Result r;
        const auto nl = msg.find('\n');
        r.seconds = std::stod(msg.substr(0, nl));
        r.answer = msg.substr(nl + 1);
        r.max_rss_kb = ru.ru_maxrss;
        r.cpu_seconds = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                        static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
        return r;
    }

private:
    const char* program_;
};

}  // namespace bench
