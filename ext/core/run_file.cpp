// run_file.cpp — the sorted runs' temporary file (run_file.hpp).
#include "core/run_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "core/error.hpp"

namespace penalty {

namespace {

// The remedy an I/O error of the file names: where the file goes and how
// to choose another place, or to spill less.
constexpr const char* kRemedy =
    "; set the environment variable SQLITE_TMPDIR to a directory with room for the runs (24 to 48 bytes an "
    "event), or raise penalty_config('memory_budget') so that fewer events are spilled";

[[noreturn]] void io_error(const std::string& dir, const char* doing, int err) {
    throw Error(fmt::format("the temporary file of sorted runs in {}: {} failed: {}{}", dir, doing,
                            std::strerror(err), kRemedy));
}

// The directory SQLite's unix VFS puts its temporary files in: the first
// writable directory of $SQLITE_TMPDIR, $TMPDIR, /var/tmp, /usr/tmp, /tmp.
std::string temp_directory() {
    const char* candidates[] = {std::getenv("SQLITE_TMPDIR"), std::getenv("TMPDIR"), "/var/tmp", "/usr/tmp", "/tmp"};
    for (const char* dir : candidates) {
        struct stat st;
        if (dir && *dir && ::stat(dir, &st) == 0 && S_ISDIR(st.st_mode) && ::access(dir, W_OK | X_OK) == 0)
            return dir;
    }
    return ".";
}

// A new file in `dir`, deleted at once: it lives while open.
std::FILE* open_temporary(const std::string& dir) {
    std::string path = dir + "/penalty_runs_XXXXXX";
    const int fd = ::mkstemp(path.data());
    if (fd < 0) io_error(dir, "creating it", errno);
    ::unlink(path.c_str());
    std::FILE* f = ::fdopen(fd, "w+b");
    if (!f) {
        const int err = errno;
        ::close(fd);
        io_error(dir, "opening it", err);
    }
    return f;
}

// Moves `bytes` bytes at `offset` with `op` (pread or pwrite), retrying
// short transfers and EINTR; `doing` names the operation in errors.
template <class Op>
void transfer(Op op, int fd, char* p, std::size_t bytes, std::uint64_t offset, const std::string& dir,
              const char* doing, const char* at_end) {
    while (bytes > 0) {
        const ssize_t n = op(fd, p, bytes, static_cast<off_t>(offset));
        if (n < 0) {
            if (errno == EINTR) continue;
            io_error(dir, doing, errno);
        }
        if (n == 0) io_error(dir, at_end, EIO);
        p += n;
        bytes -= static_cast<std::size_t>(n);
        offset += static_cast<std::uint64_t>(n);
    }
}

}  // namespace

std::uint64_t RunFile::append(const void* data, std::size_t bytes) {
    if (!file_) {
        dir_ = temp_directory();
        file_ = open_temporary(dir_);
        size_ = 0;
    }
    const std::uint64_t at = size_;
    transfer([](int fd, char* p, std::size_t n, off_t o) { return ::pwrite(fd, p, n, o); }, fileno(file_),
             static_cast<char*>(const_cast<void*>(data)), bytes, at, dir_, "writing", "writing");
    size_ += bytes;
    return at;
}

void RunFile::read(std::uint64_t offset, void* data, std::size_t bytes) const {
    if (!file_ || offset + bytes > size_) io_error(dir_, "reading past its end", EINVAL);
    transfer([](int fd, char* p, std::size_t n, off_t o) { return ::pread(fd, p, n, o); }, fileno(file_),
             static_cast<char*>(data), bytes, offset, dir_, "reading", "reading (unexpected end of file)");
}

void RunFile::close() {
    if (file_) std::fclose(file_);  // a read-and-write temporary file: nothing buffered to lose
    file_ = nullptr;
    size_ = 0;
}

}  // namespace penalty
