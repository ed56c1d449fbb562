// fault_vfs.hpp — a fault-injecting VFS for the tests, a shim over the
// default VFS in the manner of SQLite's own test VFSs: when armed, the Nth
// operation of one kind (a read, a write, a sync or an open of a file) fails
// with a chosen code (SQLITE_IOERR_READ, SQLITE_IOERR_WRITE, SQLITE_FULL,
// SQLITE_IOERR_FSYNC, SQLITE_CANTOPEN), and, when persistent, so does every
// later one of that kind until disarmed (a disk that stays full); else only
// that one (a transient fault). Disarmed, it counts the operations of each
// kind, so a sweep knows how many there are to fail. Every other method is
// the default VFS's.
//
// fault_vfs::install() registers it as the default VFS: every connection
// opened after it goes through it.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <cstring>

namespace fault_vfs {

enum Kind { kRead, kWrite, kSync, kOpen, kKinds };

inline const char* kind_name(int k) {
    static const char* const names[] = {"read", "write", "sync", "open"};
    return names[k];
}

struct State {
    std::atomic<int> kind{-1};     // the kind armed, -1: disarmed
    std::atomic<long> countdown{0};  // operations of that kind left before one fails
    std::atomic<int> code{SQLITE_IOERR};
    std::atomic<bool> persistent{true};
    std::atomic<bool> hit{false};  // a fault was injected since arm()
    std::atomic<long> counts[kKinds] = {};
};

inline State& state() {
    static State s;
    return s;
}

// Fails the (n+1)th operation of `kind` from now with `code`.
inline void arm(Kind kind, long n, int code, bool persistent) {
    State& s = state();
    s.hit = false;
    s.code = code;
    s.persistent = persistent;
    s.countdown = n;
    s.kind = kind;
}

inline void disarm() { state().kind = -1; }

inline void reset_counts() {
    for (auto& c : state().counts) c = 0;
}

// Whether this operation of `kind` fails.
inline bool should_fail(Kind kind) {
    State& s = state();
    s.counts[kind]++;
    if (s.kind != kind) return false;
    if (s.hit && s.persistent) return true;
    if (s.hit) return false;
    if (s.countdown-- > 0) return false;
    s.hit = true;
    return true;
}

namespace detail {

struct File {
    sqlite3_file base;
    sqlite3_file* real;  // the default VFS's file, allocated right after this struct
};

inline sqlite3_vfs*& base_vfs() {
    static sqlite3_vfs* v = nullptr;
    return v;
}

inline sqlite3_file* real(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real; }

inline int x_close(sqlite3_file* f) { return real(f)->pMethods->xClose(real(f)); }
inline int x_read(sqlite3_file* f, void* p, int n, sqlite3_int64 off) {
    if (should_fail(kRead)) return state().code;
    return real(f)->pMethods->xRead(real(f), p, n, off);
}
inline int x_write(sqlite3_file* f, const void* p, int n, sqlite3_int64 off) {
    if (should_fail(kWrite)) return state().code;
    return real(f)->pMethods->xWrite(real(f), p, n, off);
}
inline int x_truncate(sqlite3_file* f, sqlite3_int64 size) { return real(f)->pMethods->xTruncate(real(f), size); }
inline int x_sync(sqlite3_file* f, int flags) {
    if (should_fail(kSync)) return state().code;
    return real(f)->pMethods->xSync(real(f), flags);
}
inline int x_file_size(sqlite3_file* f, sqlite3_int64* size) { return real(f)->pMethods->xFileSize(real(f), size); }
inline int x_lock(sqlite3_file* f, int l) { return real(f)->pMethods->xLock(real(f), l); }
inline int x_unlock(sqlite3_file* f, int l) { return real(f)->pMethods->xUnlock(real(f), l); }
inline int x_check_reserved(sqlite3_file* f, int* out) { return real(f)->pMethods->xCheckReservedLock(real(f), out); }
inline int x_file_control(sqlite3_file* f, int op, void* arg) {
    return real(f)->pMethods->xFileControl(real(f), op, arg);
}
inline int x_sector_size(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
inline int x_device(sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); }
inline int x_shm_map(sqlite3_file* f, int i, int sz, int extend, void volatile** p) {
    return real(f)->pMethods->xShmMap(real(f), i, sz, extend, p);
}
inline int x_shm_lock(sqlite3_file* f, int off, int n, int flags) {
    return real(f)->pMethods->xShmLock(real(f), off, n, flags);
}
inline void x_shm_barrier(sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); }
inline int x_shm_unmap(sqlite3_file* f, int del) { return real(f)->pMethods->xShmUnmap(real(f), del); }
// No memory-mapped pages: every page is read with xRead, where it can fail.
inline int x_fetch(sqlite3_file*, sqlite3_int64, int, void** p) {
    *p = nullptr;
    return SQLITE_OK;
}
inline int x_unfetch(sqlite3_file*, sqlite3_int64, void*) { return SQLITE_OK; }

inline const sqlite3_io_methods kMethods = {
    3,           x_close,       x_read,          x_write,        x_truncate,  x_sync,
    x_file_size, x_lock,        x_unlock,        x_check_reserved, x_file_control, x_sector_size,
    x_device,    x_shm_map,     x_shm_lock,      x_shm_barrier,  x_shm_unmap, x_fetch,
    x_unfetch};

inline int x_open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
    File* file = reinterpret_cast<File*>(f);
    file->base.pMethods = nullptr;
    if (should_fail(kOpen)) return state().code;
    file->real = reinterpret_cast<sqlite3_file*>(file + 1);
    const int rc = base_vfs()->xOpen(base_vfs(), name, file->real, flags, out_flags);
    if (file->real->pMethods) file->base.pMethods = &kMethods;  // xClose is called iff pMethods is set
    return rc;
}

}  // namespace detail

// Registers the shim as the default VFS (once).
inline int install() {
    static sqlite3_vfs vfs;
    if (detail::base_vfs()) return SQLITE_OK;
    sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
    if (!base) return SQLITE_ERROR;
    detail::base_vfs() = base;
    vfs = *base;  // every method (and pAppData) the default VFS's, but for xOpen
    vfs.zName = "fault";
    vfs.szOsFile = static_cast<int>(sizeof(detail::File)) + base->szOsFile;
    vfs.xOpen = detail::x_open;
    return sqlite3_vfs_register(&vfs, 1);
}

}  // namespace fault_vfs
