-- closure_list.sql — the shops eligible for closure as of a date, the way a
-- platform publishes its punishment list, largest turnover first.
--
--   sqlite3 -box marketplace.db -cmd '.load build/penalty' < sql/reports/closure_list.sql
--   (or -csv, -json, -line, -markdown ...: the report sets no output mode)
--   parameters (sqlite3 shell: .parameter set @as_of "'2018-01-01'" — the value is an SQL
--   expression, so a date needs its SQL quotes inside the shell's quotes):
--     @as_of    default '2017-12-31 23:59:59+08:00' (end of 2017, Beijing time)
--     @ruleset  default 'taobao'
-- One result set: shop, level, turnover (INTEGER yuan a year), points,
-- repeats, closure_at, reason.
-- Expects the tables sellers(id, name, credit, turnover) and
-- violations(seller_id, code, occurred_at), as in sql/demo/marketplace.sql.
SELECT s.name AS shop,
       penalty_level(coalesce(@ruleset, 'taobao'), s.credit) AS level,
       s.turnover,
       p.points,
       p.repeats,
       p.closure_at,
       p.reason
  FROM penalty_standings(coalesce(@ruleset, 'taobao'), 'violations', coalesce(@as_of, '2017-12-31 23:59:59+08:00')) AS p
  JOIN sellers AS s ON s.id = p.seller_id
 WHERE p.closure_at IS NOT NULL
 ORDER BY s.turnover DESC;
