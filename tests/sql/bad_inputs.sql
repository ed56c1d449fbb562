-- Bad inputs, each with its expected error (or, for the large ones, its
-- exact answer). Nothing here may crash, hang or give a silently wrong number.
.load PENALTY
SELECT penalty_install();
.read sql/presets/taobao.sql
CREATE TABLE v(seller_id, code, occurred_at);
INSERT INTO v VALUES (1, 'harassment', '2017-03-01');
.print '-- timestamps: NULL, BLOB, out of range, impossible'
SELECT penalty_points('taobao', 'harassment', NULL);
SELECT penalty_points('taobao', 'harassment', x'0102');
SELECT penalty_points('taobao', 'harassment', 253402300800);
SELECT penalty_points('taobao', 'harassment', -62167219201);
SELECT penalty_points('taobao', 'harassment', 9e18);
SELECT penalty_points('taobao', 'harassment', '10000-01-01');
SELECT penalty_points('taobao', 'harassment', '2017-02-29');
SELECT penalty_points('taobao', 'harassment', '2017-04-31 10:00');
SELECT penalty_points('taobao', 'harassment', '2017-06-01 25:00');
SELECT penalty_points('taobao', 'harassment', '2017-06-01 12:00+15:00');
SELECT penalty_points('taobao', 'harassment', ' 2017-06-01');
SELECT penalty_total('taobao', code, occurred_at, 'never') FROM v;
.print '-- unknown codes and rulesets'
SELECT penalty_points('taobao', 'Harassment', '2017-06-01');
SELECT penalty_points('', 'harassment', '2017-06-01');
SELECT penalty_total('tmall', code, occurred_at, '2018-01-01') FROM v;
.print '-- a 10,000-character code; invalid UTF-8'
SELECT penalty_points('taobao', printf('%.*c', 10000, 'x'), '2017-06-01');
SELECT penalty_points('taobao', CAST(x'68617261ff' AS TEXT), '2017-06-01');
.print '-- negative and overflowing points'
PRAGMA ignore_check_constraints = ON;
INSERT INTO penalty_ruleset VALUES ('neg', '+00:00', NULL, NULL), ('big', '+00:00', NULL, NULL);
INSERT INTO penalty_track VALUES ('neg', 't', 'lifetime', NULL), ('big', 't', 'lifetime', NULL);
INSERT INTO penalty_violation(ruleset, code, track, points) VALUES ('neg', 'x', 't', -5), ('big', 'x', 't', 9223372036854775807);
INSERT INTO penalty_violation(ruleset, code, valid_from, track, points) VALUES ('big', 'x', '2017-01-01', 't', 1e30);
PRAGMA ignore_check_constraints = OFF;
SELECT penalty_points('neg', 'x', '2017-06-01');
SELECT * FROM penalty_check('big');
DELETE FROM penalty_violation WHERE ruleset = 'big' AND valid_from = '2017-01-01';
CREATE TABLE big(seller_id, code, occurred_at);
INSERT INTO big VALUES (1, 'x', '2017-01-01'), (1, 'x', '2017-01-02');
SELECT penalty_total('big', code, occurred_at, '2018-01-01') FROM big;
SELECT points FROM penalty_standings('big', 'big', '2018-01-01');
SELECT track_points FROM penalty_ledger('big', 'big');
.print '-- sources: missing, lacking a column, injection'
SELECT * FROM penalty_standings('taobao', 'missing', '2018-01-01');
CREATE TABLE no_code(seller_id, occurred_at);
SELECT * FROM penalty_standings('taobao', 'no_code', '2018-01-01');
SELECT * FROM penalty_ledger('taobao', '"v"');
SELECT * FROM penalty_ledger('taobao', 'v WHERE 1=1; DELETE FROM v; --');
SELECT * FROM penalty_ledger('taobao', char(118, 0, 59));
SELECT count(*) AS v_rows_left FROM v;
.print '-- a million events at one instant (ties keep rowid order)'
CREATE TABLE instant(seller_id, code, occurred_at);
INSERT INTO instant WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 1000000)
  SELECT k % 1000, CASE WHEN k % 97 = 0 THEN 'harassment' ELSE 'broken_promise' END, '2017-06-01 12:00:00' FROM n;
SELECT count(*), sum(points), count(closure_at), max(repeats) FROM penalty_standings('taobao', 'instant', '2017-06-30');
.print '-- one seller with a million events'
CREATE TABLE one(seller_id, code, occurred_at);
INSERT INTO one WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < 999999)
  SELECT 42, CASE WHEN k % 10 = 0 THEN 'harassment' ELSE 'not_as_described' END, 1483200000 + k * 31 FROM n;
SELECT seller_id, points, offences, repeats, closure_at FROM penalty_standings('taobao', 'one', '2018-01-01');
SELECT penalty_total('taobao', code, occurred_at, '2018-01-01') FROM one;
