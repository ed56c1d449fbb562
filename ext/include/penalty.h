/*
** penalty.h — public C interface of the penalty SQLite extension.
**
** penalty computes marketplace penalty scores (deduction points, repeat
** offences, sanctions, closure) inside SQL, from rules stored in tables.
** The SQL surface is documented in docs/reference.md.
**
** Loadable module:  .load build/penalty   (entry point sqlite3_penalty_init)
** Static library:   link penalty::static and register for every connection:
**
**     sqlite3_auto_extension((void (*)(void))sqlite3_penalty_init);
**
** or for one connection: sqlite3_penalty_init(db, &errmsg, NULL).
** On failure the return code is an SQLite error code and *pzErrMsg (if
** pzErrMsg is not NULL) is an sqlite3_malloc'ed message: free it with
** sqlite3_free(). The minimum SQLite version is PENALTY_MIN_SQLITE_VERSION.
*/
#ifndef PENALTY_H
#define PENALTY_H

#include <sqlite3.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PENALTY_MIN_SQLITE_VERSION_NUMBER 3034000
#define PENALTY_MIN_SQLITE_VERSION "3.34.0"

int sqlite3_penalty_init(sqlite3* db, char** pzErrMsg, const sqlite3_api_routines* pApi);

#ifdef __cplusplus
}
#endif

#endif /* PENALTY_H */
