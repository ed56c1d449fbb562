-- x_covid.sql — X (Twitter)'s COVID-19 misleading information strike
-- policy as a ruleset.
--
-- Plain SQL; run after SELECT penalty_install(); running it again replaces
-- the ruleset 'x_covid'.
--
-- Source: Twitter Help Center, "COVID-19 misleading information policy",
-- and the Twitter Safety blog post "Updates to our work on COVID-19 vaccine
-- misinformation" (1 March 2021), which set the strike system:
--   * 1 strike: no account-level action;
--   * 2 strikes: a 12-hour account lock;
--   * 3 strikes: a 12-hour account lock;
--   * 4 strikes: a 7-day account lock;
--   * 5 or more strikes: permanent suspension;
--   * a Tweet labelled under the policy counts 1 strike, a Tweet whose
--     removal is required counts 2.
-- The policy was in force from March 2021; X stopped enforcing it on
-- 23 November 2022. It is kept as a compact example of a strike ladder.
-- Simplified: strikes never expire (the policy gave them no expiry): a
-- 'lifetime' track; a lock runs from the violation's time, not from the
-- moment the account is locked; a removal that crosses two steps at once
-- (1 -> 3 strikes) fires both 12-hour locks, which end together: one lock.

SAVEPOINT penalty_preset_x_covid;

DELETE FROM penalty_level           WHERE ruleset = 'x_covid';
DELETE FROM penalty_sanction_repeat WHERE ruleset = 'x_covid';
DELETE FROM penalty_threshold       WHERE ruleset = 'x_covid';
DELETE FROM penalty_repeat          WHERE ruleset = 'x_covid';
DELETE FROM penalty_violation       WHERE ruleset = 'x_covid';
DELETE FROM penalty_carry           WHERE ruleset = 'x_covid';
DELETE FROM penalty_track           WHERE ruleset = 'x_covid';
DELETE FROM penalty_ruleset         WHERE ruleset = 'x_covid';

INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days, description) VALUES
  ('x_covid', '+00:00', NULL, 'X/Twitter COVID-19 misleading information policy (2021-2022): five strikes and out');

INSERT INTO penalty_track(ruleset, track, period, period_days) VALUES
  ('x_covid', 'strikes', 'lifetime', NULL);   -- strikes do not expire

INSERT INTO penalty_violation(ruleset, code, track, points, description) VALUES
  ('x_covid', 'covid_tweet_labelled', 'strikes', 1, 'A Tweet labelled as misleading about COVID-19: 1 strike'),
  ('x_covid', 'covid_tweet_removed',  'strikes', 2, 'A Tweet removed as harmful COVID-19 misinformation: 2 strikes');

INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, closes) VALUES
  ('x_covid', 'strikes', 2, 'account_lock_12h',     '12 hours', 0),  -- 2 strikes: 12-hour lock
  ('x_covid', 'strikes', 3, 'account_lock_12h',     '12 hours', 0),  -- 3 strikes: 12-hour lock
  ('x_covid', 'strikes', 4, 'account_lock_7d',      '7 days',   0),  -- 4 strikes: 7-day lock
  ('x_covid', 'strikes', 5, 'permanent_suspension', NULL,       1);  -- 5+ strikes: permanent suspension

RELEASE penalty_preset_x_covid;
