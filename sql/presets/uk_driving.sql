-- uk_driving.sql — UK driving licence penalty points as a ruleset.
--
-- Plain SQL; run after SELECT penalty_install(); running it again replaces
-- the ruleset 'uk_driving'.
--
-- Source: GOV.UK, "Penalty points (endorsements)" and "Driving
-- disqualifications" (Road Traffic Offenders Act 1988, s.29 and s.35):
--   * penalty points count towards a disqualification for 3 years from the
--     date of the offence: a rolling window of '3 years' (calendar years,
--     so 2019-03-01 counts until 2022-03-01; an offence on 29 February
--     counts until 28 February three years on, the model's reading of a
--     year from a leap day);
--   * 12 or more points within 3 years: disqualification ("totting up"),
--     at least 6 months ('6 months');
--   * the codes below carry the points shown (the lower end where the law
--     gives a range: SP30 3-6, CU80 6, IN10 6-8, CD10 3-9, TS10 3, MS90 6);
--   * drink driving (DR10) brings a mandatory disqualification of at least
--     12 months: modelled as one point on a 1-day track whose threshold of 1
--     is the ban, so every DR10 conviction bans on its own.
-- Simplified: the date used is the offence date for both the 3-year window
-- and the ban (a court bans from the conviction); the minimum lengths are
-- used where a court chooses more. Not modelled: new drivers' 6-point limit
-- in their first 2 years; the 3-11 points a DR10 endorsement also carries;
-- longer totting-up bans (1 and 2 years) for drivers banned before.

SAVEPOINT penalty_preset_uk;

DELETE FROM penalty_level           WHERE ruleset = 'uk_driving';
DELETE FROM penalty_sanction_repeat WHERE ruleset = 'uk_driving';
DELETE FROM penalty_threshold       WHERE ruleset = 'uk_driving';
DELETE FROM penalty_repeat          WHERE ruleset = 'uk_driving';
DELETE FROM penalty_violation       WHERE ruleset = 'uk_driving';
DELETE FROM penalty_carry           WHERE ruleset = 'uk_driving';
DELETE FROM penalty_track           WHERE ruleset = 'uk_driving';
DELETE FROM penalty_ruleset         WHERE ruleset = 'uk_driving';

INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days, description) VALUES
  ('uk_driving', '+00:00', '3 years', 'UK driving licence: points count for 3 years; 12 points disqualify');

INSERT INTO penalty_track(ruleset, track, period, period_days) VALUES
  ('uk_driving', 'licence',        'rolling', '3 years'),  -- points live 3 years from the offence
  ('uk_driving', 'mandatory_ban',  'rolling', '1 day');    -- DR10's one point, just long enough to fire the ban

INSERT INTO penalty_violation(ruleset, code, track, points, description) VALUES
  ('uk_driving', 'SP30', 'licence',       3, 'Exceeding a statutory speed limit on a public road'),
  ('uk_driving', 'CU80', 'licence',       6, 'Using a hand-held phone while driving'),
  ('uk_driving', 'IN10', 'licence',       6, 'Using a vehicle uninsured against third party risks'),
  ('uk_driving', 'CD10', 'licence',       3, 'Driving without due care and attention'),
  ('uk_driving', 'TS10', 'licence',       3, 'Failing to comply with traffic light signals'),
  ('uk_driving', 'MS90', 'licence',       6, 'Failure to give information about the identity of a driver'),
  ('uk_driving', 'DR10', 'mandatory_ban', 1, 'Driving or attempting to drive with alcohol above the limit');

INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, closes) VALUES
  ('uk_driving', 'licence',       12, 'disqualified_totting_up',    '6 months',  0),  -- 12 points in 3 years: at least 6 months
  ('uk_driving', 'mandatory_ban',  1, 'disqualified_drink_driving', '12 months', 0);  -- DR10: at least 12 months

RELEASE penalty_preset_uk;
