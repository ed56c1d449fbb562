-- policy_impact.sql — what-if: which shops a proposed ruleset would close
-- that the current one does not, and the reverse.
--
--   sqlite3 marketplace.db -cmd '.load build/penalty' < sql/reports/policy_impact.sql
--   parameters (sqlite3 shell: .parameter set @as_of "'2018-01-01'", with the SQL quotes
--   inside the shell's: the value is an SQL expression):
--               @as_of     default '2017-12-31 23:59:59+08:00'
--               @ruleset   the current rules,  default 'taobao'
--               @proposed  the proposed rules, default 'taobao_proposed'
-- Write the proposal as a copy of the current rules, edited with UPDATE
-- (see docs/rules-guide.md); nothing here writes anything.
-- Expects sellers(id, name, credit, turnover) and violations(seller_id, code, occurred_at).
.mode box --wrap 64 --wordwrap on
SELECT CASE WHEN cur.closure_at IS NULL THEN 'newly closed' ELSE 'no longer closed' END AS change,
       s.name AS shop,
       penalty_level(coalesce(@ruleset, 'taobao'), s.credit) AS level,
       printf('¥%,d', s.turnover) AS turnover,
       cur.points AS points_now,
       pro.points AS points_proposed,
       coalesce(pro.reason, cur.reason) AS reason
  FROM penalty_standings(coalesce(@ruleset, 'taobao'), 'violations', coalesce(@as_of, '2017-12-31 23:59:59+08:00')) AS cur
  JOIN penalty_standings(coalesce(@proposed, 'taobao_proposed'), 'violations', coalesce(@as_of, '2017-12-31 23:59:59+08:00')) AS pro
    ON pro.seller_id = cur.seller_id
  JOIN sellers AS s ON s.id = cur.seller_id
 WHERE (cur.closure_at IS NULL) <> (pro.closure_at IS NULL)
 ORDER BY change, s.turnover DESC;
.mode list
SELECT printf('current rules close %d shops; proposed rules close %d', sum(cur.closure_at IS NOT NULL), sum(pro.closure_at IS NOT NULL))
  FROM penalty_standings(coalesce(@ruleset, 'taobao'), 'violations', coalesce(@as_of, '2017-12-31 23:59:59+08:00')) AS cur
  JOIN penalty_standings(coalesce(@proposed, 'taobao_proposed'), 'violations', coalesce(@as_of, '2017-12-31 23:59:59+08:00')) AS pro
    ON pro.seller_id = cur.seller_id;
