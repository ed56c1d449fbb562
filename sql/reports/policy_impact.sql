-- policy_impact.sql — what-if: copies the current ruleset to a proposed one
-- with penalty_copy_ruleset, changes the copy with UPDATE (the proposal in
-- step 4 below: harassment costs 16 points instead of 12; edit it to try
-- another), and lists the shops the proposal would close that the
-- current rules do not, and the reverse.
--
--   sqlite3 -box marketplace.db -cmd '.load build/penalty' < sql/reports/policy_impact.sql
--   (or -csv, -json, -line, -markdown ...: the report sets no output mode)
--   parameters (sqlite3 shell: .parameter set @as_of "'2018-01-01'", with the SQL quotes
--   inside the shell's: the value is an SQL expression):
--               @as_of     default '2017-12-31 23:59:59+08:00'
--               @ruleset   the current rules,  default 'taobao'
--               @proposed  the proposed rules, default 'taobao_proposed'
-- Writes only rule tables, and only the proposed ruleset's rows: it first
-- deletes the proposal an earlier run of this report wrote (a ruleset whose
-- description starts with 'what-if proposal of policy_impact.sql'), so it
-- runs again and again. Any other ruleset already named @proposed is not
-- written to: it is compared as it stands. Needs a writable database. The
-- helper statements print nothing: one result set, change ('newly closed'
-- or 'no longer closed'), shop, level, turnover (INTEGER yuan a year),
-- points_now, points_proposed, reason.
-- Expects sellers(id, name, credit, turnover) and violations(seller_id, code, occurred_at).

-- 0. The report writes its proposal into the rule tables: on a read-only
-- database (sqlite3 -readonly, a read-only file) it stops here, saying so,
-- rather than at each write below. A copy under a scratch name, undone at
-- once: it fails first, with penalty_copy_ruleset's message (cannot write
-- ruleset 'policy_impact.sql write check' ...: the database is open
-- read-only ...: open a writable database, or a writable copy of it).
SAVEPOINT policy_impact_writable;
SELECT 1 WHERE penalty_copy_ruleset(coalesce(@ruleset, 'taobao'), 'policy_impact.sql write check') < 0;
ROLLBACK TO policy_impact_writable;
RELEASE policy_impact_writable;

-- 1. An earlier run's proposal goes.
DROP TABLE IF EXISTS temp.policy_impact_stale;
CREATE TEMP TABLE policy_impact_stale AS
  SELECT ruleset FROM penalty_ruleset
   WHERE ruleset = coalesce(@proposed, 'taobao_proposed') AND description LIKE 'what-if proposal of policy_impact.sql%';
DELETE FROM penalty_level WHERE ruleset IN temp.policy_impact_stale;
DELETE FROM penalty_threshold WHERE ruleset IN temp.policy_impact_stale;
DELETE FROM penalty_repeat WHERE ruleset IN temp.policy_impact_stale;
DELETE FROM penalty_violation WHERE ruleset IN temp.policy_impact_stale;
DELETE FROM penalty_carry WHERE ruleset IN temp.policy_impact_stale;
DELETE FROM penalty_track WHERE ruleset IN temp.policy_impact_stale;
DELETE FROM penalty_ruleset WHERE ruleset IN temp.policy_impact_stale;

-- 2. What is compared. `taken`: the name belongs to a ruleset this report
-- did not write; nothing below writes to it.
DROP TABLE IF EXISTS temp.policy_impact_proposal;
CREATE TEMP TABLE policy_impact_proposal AS
  SELECT coalesce(@ruleset, 'taobao') AS current, coalesce(@proposed, 'taobao_proposed') AS proposed,
         EXISTS (SELECT 1 FROM penalty_ruleset WHERE ruleset = coalesce(@proposed, 'taobao_proposed'))
         OR EXISTS (SELECT 1 FROM penalty_violation WHERE ruleset = coalesce(@proposed, 'taobao_proposed')) AS taken;

-- 3. The copy, every rule table in one savepoint. penalty_copy_ruleset runs
-- in a SELECT of its own (not in a statement that writes); this one prints
-- no row.
SELECT 1 FROM temp.policy_impact_proposal
 WHERE CASE WHEN NOT taken THEN penalty_copy_ruleset(current, proposed) END < 0;
UPDATE penalty_ruleset SET description = 'what-if proposal of policy_impact.sql, from ' || (SELECT current FROM temp.policy_impact_proposal)
 WHERE ruleset = (SELECT proposed FROM temp.policy_impact_proposal WHERE NOT taken);

-- 4. The proposal: edit these UPDATEs (WHERE ruleset = the proposed one).
UPDATE penalty_violation SET points = 16
 WHERE ruleset = (SELECT proposed FROM temp.policy_impact_proposal WHERE NOT taken) AND code = 'harassment';

-- 5. The comparison.
SELECT CASE WHEN cur.closure_at IS NULL THEN 'newly closed' ELSE 'no longer closed' END AS change,
       s.name AS shop,
       penalty_level(w.current, s.credit) AS level,
       s.turnover,
       cur.points AS points_now,
       pro.points AS points_proposed,
       coalesce(pro.reason, cur.reason) AS reason
  FROM temp.policy_impact_proposal AS w
  JOIN penalty_standings(w.current, 'violations', coalesce(@as_of, '2017-12-31 23:59:59+08:00')) AS cur
  JOIN penalty_standings(w.proposed, 'violations', coalesce(@as_of, '2017-12-31 23:59:59+08:00')) AS pro
    ON pro.seller_id = cur.seller_id
  JOIN sellers AS s ON s.id = cur.seller_id
 WHERE (cur.closure_at IS NULL) <> (pro.closure_at IS NULL)
 ORDER BY change, s.turnover DESC;
