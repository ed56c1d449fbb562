-- sanctions_active.sql — shops under an active sanction as of a date (not
-- closed ones: see closure_list.sql), most points first.
--
--   sqlite3 -box marketplace.db -cmd '.load build/penalty' < sql/reports/sanctions_active.sql
--   (or -csv, -json, -line, -markdown ...: the report sets no output mode)
--   parameters (sqlite3 shell: .parameter set @as_of "'2018-01-01'", with the SQL quotes
--   inside the shell's: the value is an SQL expression):
--               @as_of   default '2017-12-31 23:59:59+08:00'
--               @ruleset default 'taobao'
-- Expects sellers(id, name, credit, turnover) and violations(seller_id, code, occurred_at).
SELECT s.name AS shop,
       penalty_level(coalesce(@ruleset, 'taobao'), s.credit) AS level,
       p.sanction,
       coalesce(p.sanction_until, 'indefinite') AS until,
       p.points,
       p.tracks,
       p.reason
  FROM penalty_standings(coalesce(@ruleset, 'taobao'), 'violations', coalesce(@as_of, '2017-12-31 23:59:59+08:00')) AS p
  JOIN sellers AS s ON s.id = p.seller_id
 WHERE p.sanction IS NOT NULL AND p.closure_at IS NULL
 ORDER BY p.points DESC, s.name;
