-- ontario_demerit.sql — Ontario (Canada) demerit points for fully licensed
-- drivers as a ruleset (docs/model.md §3b: a reset at the end of a
-- suspension, an escalating suspension).
--
-- Plain SQL; run after SELECT penalty_install(); running it again replaces
-- the ruleset 'ontario_demerit'.
--
-- Source: Highway Traffic Act (Ontario), O. Reg. 339/94 "Demerit Point
-- System"; ontario.ca, "Demerit point system" (fully licensed drivers):
--   * demerit points stay on the record for 2 years from the offence date:
--     a rolling window of '2 years';
--   * 2 to 8 points: a warning letter; 9 to 14 points: an interview (both
--     sent once, not a sanction that lasts: days 0, shown in the ledger);
--   * 15 points or more: the licence is suspended for 30 days the first
--     time, for 6 months at a later time (penalty_sanction_repeat, nth 2;
--     every earlier suspension counts: repeat_days NULL);
--   * after a suspension the record is reduced to 7 points: reset_to 7,
--     reset_on 'end', taken from the oldest points first;
--   * the points of the codes below from the same page (speeding by 16-29
--     km/h: 3; 30-49 km/h: 4; 50 km/h or more: 6; careless driving: 6;
--     failing to stop for a school bus: 6; disobeying a red light: 3;
--     distracted driving: 3; seatbelt: 2; failing to remain at a collision: 7).
-- Simplified: the suspension runs from the offence date (it starts when the
-- driver is notified); Eastern Standard Time all year (no daylight saving);
-- novice (G1, G2, M1, M2) drivers' lower limits and the reinstatement fee
-- are not modelled.

SAVEPOINT penalty_preset_ontario;

DELETE FROM penalty_level           WHERE ruleset = 'ontario_demerit';
DELETE FROM penalty_sanction_repeat WHERE ruleset = 'ontario_demerit';
DELETE FROM penalty_threshold       WHERE ruleset = 'ontario_demerit';
DELETE FROM penalty_repeat          WHERE ruleset = 'ontario_demerit';
DELETE FROM penalty_violation       WHERE ruleset = 'ontario_demerit';
DELETE FROM penalty_carry           WHERE ruleset = 'ontario_demerit';
DELETE FROM penalty_track           WHERE ruleset = 'ontario_demerit';
DELETE FROM penalty_ruleset         WHERE ruleset = 'ontario_demerit';

INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days, description) VALUES
  ('ontario_demerit', '-05:00', NULL,
   'Ontario, fully licensed: points stay 2 years; 15 points suspend 30 days, then 6 months; the record is cut to 7 after');

INSERT INTO penalty_track(ruleset, track, period, period_days) VALUES
  ('ontario_demerit', 'demerit', 'rolling', '2 years');  -- points stay on the record for 2 years

INSERT INTO penalty_violation(ruleset, code, track, points, description) VALUES
  ('ontario_demerit', 'speed_16_29',     'demerit', 3, 'Exceeding the speed limit by 16 to 29 km/h'),
  ('ontario_demerit', 'speed_30_49',     'demerit', 4, 'Exceeding the speed limit by 30 to 49 km/h'),
  ('ontario_demerit', 'speed_50',        'demerit', 6, 'Exceeding the speed limit by 50 km/h or more'),
  ('ontario_demerit', 'careless',        'demerit', 6, 'Careless driving'),
  ('ontario_demerit', 'school_bus',      'demerit', 6, 'Failing to stop for a school bus'),
  ('ontario_demerit', 'red_light',       'demerit', 3, 'Disobeying a red light'),
  ('ontario_demerit', 'distracted',      'demerit', 3, 'Distracted driving (hand-held device)'),
  ('ontario_demerit', 'seatbelt',        'demerit', 2, 'Driver failing to wear a seatbelt'),
  ('ontario_demerit', 'leave_collision', 'demerit', 7, 'Failing to remain at the scene of a collision');

INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, reset_to, reset_on) VALUES
  ('ontario_demerit', 'demerit',  2, 'warning_letter',    0,  NULL, 'start'),  -- 2 to 8 points: a letter
  ('ontario_demerit', 'demerit',  9, 'interview',         0,  NULL, 'start'),  -- 9 to 14 points: an interview
  ('ontario_demerit', 'demerit', 15, 'suspended_30_days', 30, 7,    'end');    -- 15 or more: 30 days; then 7 points

INSERT INTO penalty_sanction_repeat(ruleset, track, points, nth, sanction, days, closes) VALUES
  ('ontario_demerit', 'demerit', 15, 2, 'suspended_6_months', '6 months', 0);  -- a later time: 6 months

RELEASE penalty_preset_ontario;
