-- taobao_linked.sql — the Taobao rules with linked sellers (docs/model.md §6):
-- the ruleset 'taobao_linked', a copy of 'taobao' in every rule row, with
-- both link options in use:
--   * prior_scope = 'cluster': a shop's prior record is that of every shop
--     linked to it (a new shop of a gang is judged by the gang's record);
--   * link_closes = 1: a shop closed by its own events closes every shop
--     linked to it at the same time (Taobao closes the other shops of a
--     seller whose shop was sealed for serious violations).
-- The figures differ from 'taobao' only when penalty_standings or
-- penalty_ledger is given a links source; without one they are the same.
--
-- Plain SQL. Run after sql/presets/taobao.sql: the rows are read from the
-- ruleset 'taobao' as it is then, so the two cannot drift apart. Running it
-- again replaces the ruleset 'taobao_linked'. (A separate file, not a second
-- ruleset in taobao.sql, so that everything which reads taobao.sql keeps
-- seeing exactly one ruleset there.)

SAVEPOINT penalty_preset_taobao_linked;

DELETE FROM penalty_level           WHERE ruleset = 'taobao_linked';
DELETE FROM penalty_sanction_repeat WHERE ruleset = 'taobao_linked';
DELETE FROM penalty_threshold       WHERE ruleset = 'taobao_linked';
DELETE FROM penalty_repeat          WHERE ruleset = 'taobao_linked';
DELETE FROM penalty_violation       WHERE ruleset = 'taobao_linked';
DELETE FROM penalty_carry           WHERE ruleset = 'taobao_linked';
DELETE FROM penalty_track           WHERE ruleset = 'taobao_linked';
DELETE FROM penalty_ruleset         WHERE ruleset = 'taobao_linked';

INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days, description, prior_scope, link_closes)
  SELECT 'taobao_linked', tz_offset, repeat_days, 'Taobao seller rules, with linked shops: cluster-wide prior record, a closure closes the linked shops',
         'cluster', 1
    FROM penalty_ruleset WHERE ruleset = 'taobao';
INSERT INTO penalty_track(ruleset, track, period, period_days, daily_cap, merge_days)
  SELECT 'taobao_linked', track, period, period_days, daily_cap, merge_days FROM penalty_track WHERE ruleset = 'taobao';
INSERT INTO penalty_carry(ruleset, track, min_points, carry)
  SELECT 'taobao_linked', track, min_points, carry FROM penalty_carry WHERE ruleset = 'taobao';
INSERT INTO penalty_violation(ruleset, code, valid_from, track, points, closes, min_prior, description, expires_days, merge_days,
                              clean_days, restore_days)
  SELECT 'taobao_linked', code, valid_from, track, points, closes, min_prior, description, expires_days, merge_days,
         clean_days, restore_days
    FROM penalty_violation WHERE ruleset = 'taobao';
INSERT INTO penalty_repeat(ruleset, code, nth, points)
  SELECT 'taobao_linked', code, nth, points FROM penalty_repeat WHERE ruleset = 'taobao';
INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, closes, every, reset_to, reset_on)
  SELECT 'taobao_linked', track, points, sanction, days, closes, every, reset_to, reset_on FROM penalty_threshold WHERE ruleset = 'taobao';
INSERT INTO penalty_sanction_repeat(ruleset, track, points, nth, sanction, days, closes)
  SELECT 'taobao_linked', track, points, nth, sanction, days, closes FROM penalty_sanction_repeat WHERE ruleset = 'taobao';
INSERT INTO penalty_level(ruleset, min_credit, label)
  SELECT 'taobao_linked', min_credit, label FROM penalty_level WHERE ruleset = 'taobao';

RELEASE penalty_preset_taobao_linked;
