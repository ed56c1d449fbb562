-- recidivists.sql — the top repeat offenders: shops with the most repeat
-- offences within the ruleset's look-back, as of a date.
--
--   sqlite3 -box marketplace.db -cmd '.load build/penalty' < sql/reports/recidivists.sql
--   (or -csv, -json, -line, -markdown ...: the report sets no output mode)
--   parameters (sqlite3 shell: .parameter set @as_of "'2018-01-01'", with the SQL quotes
--   inside the shell's: the value is an SQL expression):
--               @as_of   default '2017-12-31 23:59:59+08:00'
--               @ruleset default 'taobao'
--               @top     default 20
-- Expects sellers(id, name, credit, turnover) and violations(seller_id, code, occurred_at).
SELECT s.name AS shop,
       penalty_level(coalesce(@ruleset, 'taobao'), s.credit) AS level,
       p.repeats,
       p.offences,
       p.dismissed,
       p.points,
       CASE WHEN p.closure_at IS NOT NULL THEN 'closed ' || p.closure_at
            WHEN p.sanction IS NOT NULL THEN p.sanction
            ELSE '' END AS status
  FROM penalty_standings(coalesce(@ruleset, 'taobao'), 'violations', coalesce(@as_of, '2017-12-31 23:59:59+08:00')) AS p
  JOIN sellers AS s ON s.id = p.seller_id
 WHERE p.repeats > 0
 ORDER BY p.repeats DESC, p.points DESC, s.name
 LIMIT coalesce(@top, 20);
