// npm_check.js VERSION TAOBAO_SQL — run by npm_test.sh from a scratch project
// where sqlite-penalty (from its npm pack tarball) and better-sqlite3 12 are
// installed: the bundled module loads and computes the worked example of
// docs/model.md §5 (seller 1: 48 points, 3 repeats, closed 2017-06-01).
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const Database = require('better-sqlite3');
const penalty = require('sqlite-penalty');

const [version, taobaoSql] = process.argv.slice(2);
assert.equal(penalty.getLoadablePath(),
             path.join(__dirname, 'node_modules', 'sqlite-penalty', 'penalty.so'));
const db = new Database(':memory:');
penalty.load(db);
assert.equal(db.prepare('SELECT penalty_version()').pluck().get(), version);
db.prepare('SELECT penalty_install()').get();
db.exec(fs.readFileSync(taobaoSql, 'utf8'));
db.exec('CREATE TABLE violations(seller_id, code, occurred_at)');
const insert = db.prepare("INSERT INTO violations VALUES (1, 'harassment', ?)");
for (const at of ['2017-03-01 12:00:00', '2017-04-01 12:00:00', '2017-05-01 12:00:00', '2017-06-01 12:00:00']) {
  insert.run(at);
}
const rows = db.prepare("SELECT points, repeats, closure_at FROM penalty_standings('taobao', 'violations', ?)")
               .all('2017-06-30');
assert.deepEqual(rows, [{ points: 48, repeats: 3, closure_at: '2017-06-01 12:00:00' }]);
assert.throws(() => penalty.load({}), {
  name: 'TypeError',
  message: 'sqlite-penalty: load: expected a database with loadExtension() (a better-sqlite3 Database)',
});
console.log('npm: 3 passed, 0 failed');
