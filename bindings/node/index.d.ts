// Types of the npm package sqlite-penalty (index.js).
/** The absolute path of the bundled penalty.so; throws when it is missing. */
export function getLoadablePath(): string;
/** Loads the penalty extension into a better-sqlite3 Database (db.loadExtension). */
export function load(db: { loadExtension(path: string, entryPoint?: string): unknown }): void;
