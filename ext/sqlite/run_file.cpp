// run_file.cpp — the sorted runs' temporary file (run_file.hpp).
#include "run_file.hpp"

#include <cerrno>
#include <cstring>
#include <unistd.h>

#include <fmt/format.h>

#include "../core/error.hpp"

namespace penalty::glue {

namespace {

[[noreturn]] void io_error(const char* doing, int err) {
    throw Error(fmt::format("the temporary file of sorted runs: {} failed: {}", doing, std::strerror(err)));
}

}  // namespace

std::uint64_t RunFile::append(const void* data, std::size_t bytes) {
    if (!file_) {
        file_ = std::tmpfile();
        if (!file_) io_error("creating it", errno);
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

}  // namespace penalty::glue
