// main.cpp — a C++ program that embeds SQLite and registers penalty with
// sqlite3_auto_extension, so every connection it opens has the functions.
#include <penalty.h>
#include <sqlite3.h>

#include <cstdio>
#include <cstring>

int main() {
    if (sqlite3_auto_extension(reinterpret_cast<void (*)()>(sqlite3_penalty_init)) != SQLITE_OK) return 1;
    sqlite3* db = nullptr;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT penalty_version()", -1, &st, nullptr) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        std::fprintf(stderr, "embed_example: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    const char* version = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    const bool ok = version && std::strcmp(version, PENALTY_VERSION) == 0;
    std::printf("penalty %s registered through sqlite3_auto_extension\n", version ? version : "(null)");
    sqlite3_finalize(st);
    sqlite3_close(db);
    return ok ? 0 : 1;
}
