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

[[noreturn]] void io_error(const char* doing, int err) {
    throw Error(fmt::format("the temporary file of sorted runs: {} failed: {}", doing, std::strerror(err)));
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

// A new file in the temporary directory, deleted at once: it lives while open.
std::FILE* open_temporary() {
    std::string path = temp_directory() + "/penalty_runs_XXXXXX";
    const int fd = ::mkstemp(path.data());
    if (fd < 0) io_error(fmt::format("creating it in {}", path.substr(0, path.size() - 19)).c_str(), errno);
    ::unlink(path.c_str());
    std::FILE* f = ::fdopen(fd, "w+b");
    if (!f) {
        const int err = errno;
        ::close(fd);
        io_error("opening it", err);
    }
    return f;
}

}  // namespace

std::uint64_t RunFile::append(const void* data, std::size_t bytes) {
    if (!file_) {
        file_ = open_temporary();
        size_ = 0;
    }
    const int fd = fileno(file_);
    const std::uint64_t at = size_;
    const char* p = static_cast<const char*>(data);
    std::size_t left = bytes;
    while (left > 0) {
        const ssize_t n = ::pwrite(fd, p, left, static_cast<off_t>(size_));
        if (n < 0) {
            if (errno == EINTR) continue;
            io_error("writing", errno);
        }
        if (n == 0) io_error("writing", EIO);
        p += n;
        left -= static_cast<std::size_t>(n);
        size_ += static_cast<std::uint64_t>(n);
    }
    return at;
}

void RunFile::read(std::uint64_t offset, void* data, std::size_t bytes) const {
    if (!file_ || offset + bytes > size_) io_error("reading past its end", EINVAL);
    const int fd = fileno(file_);
    char* p = static_cast<char*>(data);
    while (bytes > 0) {
        const ssize_t n = ::pread(fd, p, bytes, static_cast<off_t>(offset));
        if (n < 0) {
            if (errno == EINTR) continue;
            io_error("reading", errno);
        }
        if (n == 0) io_error("reading (unexpected end of file)", EIO);
        p += n;
        bytes -= static_cast<std::size_t>(n);
        offset += static_cast<std::uint64_t>(n);
    }
}

void RunFile::close() {
    if (file_) std::fclose(file_);  // a read-and-write temporary file: nothing buffered to lose
    file_ = nullptr;
    size_ = 0;
}

}  // namespace penalty
