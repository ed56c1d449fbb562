-- EXPLAIN QUERY PLAN of the main shapes: the seller_id constraint is pushed
-- into the virtual table (a look-up per seller), never a full scan.
.load PENALTY
SELECT penalty_install();
.read sql/presets/taobao.sql
CREATE TABLE violations(seller_id INTEGER, code TEXT, occurred_at);
CREATE INDEX violations_seller ON violations(seller_id, occurred_at);
CREATE TABLE sellers(id INTEGER PRIMARY KEY, name TEXT, level INTEGER);
CREATE INDEX sellers_level ON sellers(level);
EXPLAIN QUERY PLAN SELECT * FROM penalty_standings('taobao', 'violations', '2018-01-01');
EXPLAIN QUERY PLAN SELECT * FROM penalty_standings('taobao', 'violations', '2018-01-01') WHERE seller_id = 5;
EXPLAIN QUERY PLAN SELECT * FROM penalty_standings('taobao', 'violations', '2018-01-01') WHERE seller_id IN (1, 2, 3);
EXPLAIN QUERY PLAN SELECT s.name, p.points
  FROM sellers s JOIN penalty_standings('taobao', 'violations', '2018-01-01') p ON p.seller_id = s.id
 WHERE s.level >= 11;
EXPLAIN QUERY PLAN SELECT * FROM penalty_ledger('taobao', 'violations') WHERE seller_id = 5;
EXPLAIN QUERY PLAN SELECT * FROM sellers s, penalty_ledger('taobao', 'violations') l WHERE l.seller_id = s.id AND s.id = 3;
EXPLAIN QUERY PLAN SELECT * FROM penalty_check('taobao');
