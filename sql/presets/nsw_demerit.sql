-- nsw_demerit.sql — New South Wales (Australia) demerit points for an
-- unrestricted licence as a ruleset (docs/model.md §3b: resets).
--
-- Plain SQL; run after SELECT penalty_install(); running it again replaces
-- the ruleset 'nsw_demerit'.
--
-- Source: Road Transport Act 2013 (NSW), s 33 (demerit points incurred
-- within a 3-year period: 13 or more for an unrestricted licence means a
-- suspension) and s 37 (the points counted towards a suspension are
-- deleted when it takes effect); Transport for NSW, "Demerit points"
-- (nsw.gov.au): 13-15 points: 3 months, 16-19 points: 4 months, 20 or more
-- points: 5 months. Points of the codes below from the same page (speeding
-- by less than 10 km/h: 1; 10-20 km/h: 3; 20-30 km/h: 4; 30-45 km/h: 5; more
-- than 45 km/h: 6; hand-held phone: 5; seatbelt: 3; red light: 3).
--   * the 3-year period: a rolling window of '3 years' from each offence;
--   * each band is a threshold whose sanction starts at the offence that
--     reaches it; an offence that jumps two bands fires both, and the
--     longer sanction is the one in force (docs/model.md §4.6);
--   * reset_to 0, reset_on 'start': every point goes when the suspension
--     begins (s 37), so the next offence starts from 0.
-- Simplified: the suspension starts on the offence date (Transport for NSW
-- sends a notice and it starts later); the option of a good behaviour
-- licence instead of the suspension, double demerits on holidays, the
-- 1-year 'probationary' limits and the drivers of other licence classes are
-- not modelled.

SAVEPOINT penalty_preset_nsw;

DELETE FROM penalty_level           WHERE ruleset = 'nsw_demerit';
DELETE FROM penalty_sanction_repeat WHERE ruleset = 'nsw_demerit';
DELETE FROM penalty_threshold       WHERE ruleset = 'nsw_demerit';
DELETE FROM penalty_repeat          WHERE ruleset = 'nsw_demerit';
DELETE FROM penalty_violation       WHERE ruleset = 'nsw_demerit';
DELETE FROM penalty_carry           WHERE ruleset = 'nsw_demerit';
DELETE FROM penalty_track           WHERE ruleset = 'nsw_demerit';
DELETE FROM penalty_ruleset         WHERE ruleset = 'nsw_demerit';

INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days, description) VALUES
  ('nsw_demerit', '+10:00', '3 years',
   'NSW unrestricted licence: 13 demerit points in 3 years suspend (3, 4 or 5 months by band); the points go when it begins');

INSERT INTO penalty_track(ruleset, track, period, period_days) VALUES
  ('nsw_demerit', 'demerit', 'rolling', '3 years');  -- s 33: points incurred within a 3-year period

INSERT INTO penalty_violation(ruleset, code, track, points, description) VALUES
  ('nsw_demerit', 'speed_under_10',  'demerit', 1, 'Exceeding the speed limit by 10 km/h or less'),
  ('nsw_demerit', 'speed_10_20',     'demerit', 3, 'Exceeding the speed limit by more than 10 km/h, up to 20 km/h'),
  ('nsw_demerit', 'speed_20_30',     'demerit', 4, 'Exceeding the speed limit by more than 20 km/h, up to 30 km/h'),
  ('nsw_demerit', 'speed_30_45',     'demerit', 5, 'Exceeding the speed limit by more than 30 km/h, up to 45 km/h'),
  ('nsw_demerit', 'speed_over_45',   'demerit', 6, 'Exceeding the speed limit by more than 45 km/h'),
  ('nsw_demerit', 'phone',           'demerit', 5, 'Using a hand-held mobile phone while driving'),
  ('nsw_demerit', 'seatbelt',        'demerit', 3, 'Driver not wearing a seatbelt'),
  ('nsw_demerit', 'red_light',       'demerit', 3, 'Failing to stop at a red traffic light');

INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, reset_to, reset_on) VALUES
  ('nsw_demerit', 'demerit', 13, 'suspended_3_months', '3 months', 0, 'start'),  -- 13-15 points; s 37: points deleted
  ('nsw_demerit', 'demerit', 16, 'suspended_4_months', '4 months', 0, 'start'),  -- 16-19 points
  ('nsw_demerit', 'demerit', 20, 'suspended_5_months', '5 months', 0, 'start');  -- 20 or more points

RELEASE penalty_preset_nsw;
