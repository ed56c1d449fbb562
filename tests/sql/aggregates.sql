-- Aggregate and window functions: the worked example, time zones, windows, errors.
.load PENALTY
SELECT penalty_install();
.read sql/presets/taobao.sql
CREATE TABLE violations(seller_id INTEGER, code TEXT, occurred_at);
INSERT INTO violations VALUES
  (1, 'harassment', '2017-03-01 12:00:00'), (1, 'harassment', '2017-04-01 12:00:00'),
  (1, 'harassment', '2017-05-01 12:00:00'), (1, 'harassment', '2017-06-01 12:00:00'),
  -- seller 2: the same four across Beijing New Year (2016-12-31 16:00 UTC)
  (2, 'harassment', '2016-10-01 12:00:00'), (2, 'harassment', '2016-12-31 15:00:00'),
  (2, 'harassment', '2016-12-31 17:00:00'), (2, 'harassment', '2017-02-01 12:00:00'),
  -- seller 3: one severe case
  (3, 'harassment_severe', '2017-05-20T08:00:00+08:00'),
  -- seller 4: general track, integer timestamps, and a later event
  (4, 'broken_promise', 1483228800), (4, 'broken_promise', 1485907200), (4, 'broken_promise', 1488326400),
  (4, 'counterfeit', '2018-03-01');
.mode list
.headers on
-- The spec's reporting query.
SELECT seller_id, penalty_standing('taobao', code, occurred_at, '2017-12-31 23:59:59+08:00') AS standing
  FROM violations GROUP BY seller_id ORDER BY seller_id;
SELECT seller_id,
       penalty_total('taobao', code, occurred_at, '2017-06-30') AS points,
       penalty_total('taobao', code, occurred_at, '2017-06-30', 'general') AS general,
       penalty_repeats('taobao', code, occurred_at, '2017-06-30') AS repeats,
       penalty_closure('taobao', code, occurred_at, '2017-06-30') AS closure_at
  FROM violations GROUP BY seller_id ORDER BY seller_id;
-- A running balance: the window with the default frame.
SELECT seller_id, occurred_at,
       penalty_total('taobao', code, occurred_at, occurred_at) OVER w AS balance,
       penalty_closure('taobao', code, occurred_at, occurred_at) OVER w AS closed
  FROM violations WHERE seller_id IN (1, 2)
WINDOW w AS (PARTITION BY seller_id ORDER BY occurred_at) ORDER BY seller_id, occurred_at;
-- ROWS frames from UNBOUNDED PRECEDING are the same; rows out of time order are sorted first.
SELECT seller_id, penalty_total('taobao', code, occurred_at, occurred_at)
         OVER (PARTITION BY seller_id ORDER BY occurred_at ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS balance
  FROM violations WHERE seller_id = 2;
SELECT penalty_total('taobao', code, occurred_at, '2017-12-31') OVER (ORDER BY occurred_at DESC) AS desc_order
  FROM violations WHERE seller_id = 1;
-- No rows; no rows up to as_of.
SELECT penalty_total('taobao', code, occurred_at, '2017-01-01') AS t, penalty_repeats('taobao', code, occurred_at, '2017-01-01') AS r,
       penalty_closure('taobao', code, occurred_at, '2017-01-01') IS NULL AS c, penalty_standing('taobao', code, occurred_at, '2017-01-01') IS NULL AS s
  FROM violations WHERE 0;
SELECT penalty_standing('taobao', code, occurred_at, '2000-01-01') FROM violations WHERE seller_id = 1;
-- Unknown codes after as_of are ignored; up to as_of they are an error.
INSERT INTO violations VALUES (5, 'harassment', '2017-01-01'), (5, 'spam', '2019-01-01');
SELECT penalty_total('taobao', code, occurred_at, '2018-01-01') FROM violations WHERE seller_id = 5;
SELECT penalty_total('taobao', code, occurred_at, '2019-06-01') FROM violations WHERE seller_id = 5;
-- Errors.
SELECT penalty_total('taobao', code, occurred_at, occurred_at) FROM violations GROUP BY seller_id;
SELECT penalty_total(CASE WHEN seller_id = 1 THEN 'taobao' ELSE 'other' END, code, occurred_at, '2018-01-01') FROM violations;
SELECT penalty_total('taobao', code, occurred_at, '2018-01-01', 'nope') FROM violations;
SELECT penalty_total('taobao', code, occurred_at, '2018-01-01', CASE WHEN seller_id = 1 THEN 'serious' ELSE 'general' END) FROM violations;
SELECT penalty_total('taobao', code, NULL, '2018-01-01') FROM violations;
SELECT penalty_total('taobao', code, occurred_at, 'tomorrow') FROM violations;
SELECT penalty_total('taobao', 12, occurred_at, '2018-01-01') FROM violations;
SELECT penalty_total('taobao', code, occurred_at, occurred_at)
         OVER (PARTITION BY seller_id ORDER BY occurred_at ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM violations;
SELECT penalty_total('nosuch', code, occurred_at, '2018-01-01') FROM violations;
