// Node's better-sqlite3 (version 12) loads the penalty module and scores
// the spec's worked example. node embed.mjs MODULE (run by ctest).
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const db = new Database(':memory:');
db.loadExtension(process.argv[2]);
db.prepare('SELECT penalty_install()').get();
db.exec(readFileSync('sql/presets/taobao.sql', 'utf8'));
db.exec('CREATE TABLE violations(seller_id, code, occurred_at)');
const insert = db.prepare("INSERT INTO violations VALUES (1, 'harassment', ?)");
for (const at of ['2017-03-01 12:00:00', '2017-04-01 12:00:00', '2017-05-01 12:00:00', '2017-06-01 12:00:00']) insert.run(at);
const row = db.prepare("SELECT points, repeats, closure_at FROM penalty_standings('taobao', 'violations', ?)").get('2017-06-30');
assert.deepEqual(row, { points: 48, repeats: 3, closure_at: '2017-06-01 12:00:00' });
const standing = JSON.parse(db.prepare(
  "SELECT penalty_standing('taobao', code, occurred_at, '2017-06-30') AS s FROM violations").get().s);
assert.equal(standing.sanction, 'seal_account');
assert.throws(() => db.prepare("SELECT penalty_points('taobao', 'spam', '2017-06-01')").get(),
  { message: "penalty_points: unknown violation code 'spam' in ruleset 'taobao' at 2017-06-01 00:00:00" });
console.log('node: 3 passed, 0 failed');
