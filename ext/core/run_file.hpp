// run_file.hpp — the temporary file the 'sort' read strategy spills sorted
// runs of event records to (core/event_sort.hpp) when they exceed the memory
// budget. Created on first use where SQLite's unix VFS puts temporary files
// (the first writable directory of $SQLITE_TMPDIR, $TMPDIR, /var/tmp,
// /usr/tmp, /tmp) and unlinked at once, so it is gone when closed or when
// the process ends; written by
// appending, read back by offset. Every I/O call is checked: a failure is an
// Error naming the directory, what failed, the system's reason ("No space
// left on device") and what to do (SQLITE_TMPDIR, or a larger memory_budget).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace penalty {

class RunFile {
public:
    RunFile() = default;
    RunFile(const RunFile&) = delete;
    RunFile& operator=(const RunFile&) = delete;
    ~RunFile() { close(); }

    // Appends `bytes` bytes; returns the offset they start at.
    std::uint64_t append(const void* data, std::size_t bytes);
    // Reads `bytes` bytes at `offset` (written before).
    void read(std::uint64_t offset, void* data, std::size_t bytes) const;
    // Closes and so deletes the file; the next append creates a new one.
    void close();

    std::uint64_t size() const { return size_; }

private:
    std::string dir_;  // the directory the file is in (for errors)
    std::FILE* file_ = nullptr;
    std::uint64_t size_ = 0;
};

}  // namespace penalty
