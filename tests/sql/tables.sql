-- penalty_ledger and penalty_standings: rows, joins, pushdown, sources, errors.
.load PENALTY
SELECT penalty_install();
.read sql/presets/taobao.sql
CREATE TABLE violations(seller_id INTEGER, code TEXT, occurred_at);
CREATE INDEX violations_seller ON violations(seller_id, occurred_at);
INSERT INTO violations VALUES
  (1, 'harassment', '2017-03-01 12:00:00'), (1, 'harassment', '2017-04-01 12:00:00'),
  (1, 'harassment', '2017-05-01 12:00:00'), (1, 'harassment', '2017-06-01 12:00:00'),
  (2, 'harassment', '2016-12-31 15:00:00'), (2, 'harassment', '2016-12-31 17:00:00'),
  (3, 'harassment_severe', '2017-05-20T08:00:00+08:00'),
  (4, 'counterfeit_severe', '2017-07-01'), (4, 'counterfeit', '2017-07-01 00:00:00+00:00'),
  (5, 'broken_promise', 1483228800), (5, 'broken_promise', 1485907200), (5, 'broken_promise', 1488326400);
CREATE TABLE sellers(id INTEGER PRIMARY KEY, name TEXT, level INTEGER);
INSERT INTO sellers VALUES (1, 'shop one', 12), (2, 'shop two', 3), (3, 'shop three', 15), (4, 'shop four', 11), (6, 'clean shop', 20);
.mode list
.headers on
SELECT * FROM penalty_ledger('taobao', 'violations');
SELECT * FROM penalty_standings('taobao', 'violations', '2017-07-05');
-- One seller, several sellers, and a join that plans as a look-up per seller.
SELECT seller_id, points, closure_at FROM penalty_standings('taobao', 'violations', '2017-07-05') WHERE seller_id = 4;
SELECT seller_id, points FROM penalty_standings('taobao', 'violations', '2017-07-05') WHERE seller_id IN (5, 2, 99);
SELECT s.name, p.points, p.sanction, p.closure_at
  FROM sellers s JOIN penalty_standings('taobao', 'violations', '2018-01-01') p ON p.seller_id = s.id
 WHERE s.level >= 11 ORDER BY s.id;
SELECT count(*) AS events, sum(status = 'counted') AS counted FROM penalty_ledger('taobao', 'violations') WHERE seller_id = 1;
-- The hidden argument columns echo the arguments.
SELECT ruleset, source, as_of, seller_id FROM penalty_standings('taobao', 'violations', '2017-07-05') WHERE seller_id = 1;
SELECT DISTINCT ruleset, source FROM penalty_ledger('taobao', 'violations');
SELECT ruleset, severity FROM penalty_check('nosuch');
-- The standings equal the aggregates for every seller, but for seller 4,
-- whose two events share one instant: the spec orders such ties by rowid in
-- the tables (counterfeit_severe first) and by code in the aggregates
-- (counterfeit first), so the reason names another balance.
SELECT p.seller_id, p.reason, json_extract(a.js, '$.reason') AS aggregate_reason FROM penalty_standings('taobao', 'violations', '2017-07-05') p
  JOIN (SELECT seller_id, penalty_standing('taobao', code, occurred_at, '2017-07-05') AS js FROM violations GROUP BY seller_id) a
    USING (seller_id)
 WHERE json_extract(a.js, '$.points') IS NOT p.points OR json_extract(a.js, '$.repeats') IS NOT p.repeats
    OR json_extract(a.js, '$.closure_at') IS NOT p.closure_at OR json_extract(a.js, '$.reason') IS NOT p.reason
    OR json_extract(a.js, '$.sanction') IS NOT p.sanction OR json(json_extract(a.js, '$.tracks')) IS NOT json(p.tracks);
-- A view as the source (no rowid) and in a view of its own.
CREATE VIEW v_events AS SELECT seller_id, code, occurred_at FROM violations WHERE seller_id <= 2;
SELECT seller_id, event_rowid, occurred_at, nth, track_points FROM penalty_ledger('taobao', 'v_events');
CREATE VIEW closure_report AS SELECT seller_id, closure_at FROM penalty_standings('taobao', 'violations', '2018-01-01') WHERE closure_at IS NOT NULL;
PRAGMA trusted_schema = OFF;
SELECT * FROM closure_report;
-- Other column names: adapt with a view.
CREATE TABLE cases(shop TEXT, kind TEXT, at INTEGER);
INSERT INTO cases VALUES ('a', 'harassment', 1496318400);
SELECT * FROM penalty_standings('taobao', 'cases', '2018-01-01');
CREATE VIEW cases_src AS SELECT shop AS seller_id, kind AS code, at AS occurred_at FROM cases;
SELECT seller_id, points FROM penalty_standings('taobao', 'cases_src', '2018-01-01');
-- A seller_id column with COLLATE NOCASE: 'a' and 'A' are two sellers (by
-- value), each seen whole, never split by the column's collation.
CREATE TABLE nocase(seller_id TEXT COLLATE NOCASE, code, occurred_at);
INSERT INTO nocase VALUES ('a', 'harassment', '2017-01-01'), ('A', 'harassment', '2017-01-02'),
                          ('a', 'harassment', '2017-01-03'), ('B', 'harassment', '2017-01-04');
SELECT seller_id, points, offences FROM penalty_standings('taobao', 'nocase', '2017-06-01');
-- The source name is an identifier, never SQL.
SELECT * FROM penalty_standings('taobao', 'violations; DROP TABLE sellers; --', '2018-01-01');
SELECT * FROM penalty_standings('taobao', 'violations" WHERE 0 UNION SELECT 1,2,3 --', '2018-01-01');
SELECT count(*) AS sellers_still_there FROM sellers;
CREATE TABLE "odd ""name"""(seller_id, code, occurred_at);
INSERT INTO "odd ""name""" VALUES (9, 'harassment', '2017-01-01');
SELECT seller_id, points FROM penalty_standings('taobao', 'odd "name"', '2017-02-01');
-- Errors.
SELECT * FROM penalty_standings('taobao', 'nosuch', '2018-01-01');
SELECT * FROM penalty_ledger('taobao', NULL);
SELECT * FROM penalty_standings('taobao', 'violations');
SELECT * FROM penalty_standings('taobao', 'violations', 'next year');
SELECT * FROM penalty_standings('nosuch', 'violations', '2018-01-01');
INSERT INTO violations VALUES (7, 'spam', '2017-01-01');
SELECT * FROM penalty_ledger('taobao', 'violations') WHERE seller_id = 7;
SELECT seller_id, points FROM penalty_standings('taobao', 'violations', '2016-06-01') WHERE seller_id = 7;
INSERT INTO violations VALUES (8, 'harassment', 'last tuesday');
SELECT * FROM penalty_standings('taobao', 'violations', '2018-01-01') WHERE seller_id = 8;
INSERT INTO violations VALUES (10, NULL, '2017-01-01');
SELECT * FROM penalty_standings('taobao', 'violations', '2018-01-01') WHERE seller_id = 10;
CREATE VIRTUAL TABLE my_ledger USING penalty_ledger;
