// index.js — the npm package sqlite-penalty: where the bundled penalty SQLite
// extension is, and loading it into a better-sqlite3 Database.
//   getLoadablePath()  the absolute path of the bundled penalty.so
//   load(db)           db.loadExtension(getLoadablePath())
// penalty.so is copied in by bindings/node/build.sh before `npm pack` (Linux x86-64).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

function getLoadablePath() {
  const file = path.join(__dirname, 'penalty.so');
  if (!fs.existsSync(file)) {
    throw new Error(`sqlite-penalty: getLoadablePath: the module ${file} is missing ` +
                    '(the package is built by bindings/node/build.sh, which copies build/penalty.so into it)');
  }
  return file;
}

function load(db) {
  if (!db || typeof db.loadExtension !== 'function') {
    throw new TypeError('sqlite-penalty: load: expected a database with loadExtension() (a better-sqlite3 Database)');
  }
  db.loadExtension(getLoadablePath());
}

module.exports = { getLoadablePath, load };
