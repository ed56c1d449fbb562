-- ny_dmv.sql — New York State's driver point system as a ruleset.
--
-- Plain SQL; run after SELECT penalty_install(); running it again replaces
-- the ruleset 'ny_dmv'.
--
-- Source: New York State DMV, "The NYS Driver Point System" and "Point and
-- Insurance Reduction Program (PIRP)" (Vehicle and Traffic Law § 510 and
-- 15 NYCRR Part 131):
--   * points count from the date of the violation, not of the conviction,
--     over an 18-month period: a rolling '18 months' track;
--   * 11 points or more in 18 months: the licence may be suspended;
--   * 6 points or more in 18 months: a Driver Responsibility Assessment, a
--     fee paid each year for 3 years;
--   * the codes below carry the points of the DMV's table;
--   * the PIRP course (a DMV-approved defensive driving course) takes up to
--     4 points off the points counted against the driver, for violations
--     before the course, and reduces points only once every 18 months: a
--     credit code of -4 whose second use within 18 months is worth 0
--     (penalty_repeat nth 2 -> 0, repeat_days '18 months').
-- Simplified:
--   * the suspension's length is not fixed by the point rule (the DMV
--     decides, often after a hearing): the sanction is indefinite here and
--     reads "suspension due"; set days to the length decided;
--   * PIRP cannot prevent a mandatory suspension or revocation, and its
--     4 points come off the count used for suspensions only (the record
--     keeps them, and the Driver Responsibility Assessment ignores the
--     course); here the course takes the points off the one balance;
--   * the once-in-18-months limit counts every course within 18 months,
--     also one that reduced nothing because of it (repeat rows count all
--     earlier credits of the code), where the DMV counts from the last
--     course that did reduce points;
--   * Eastern Standard Time (-05:00) all year: months are counted on the
--     local date; the model has no summer time.

SAVEPOINT penalty_preset_ny_dmv;

DELETE FROM penalty_level           WHERE ruleset = 'ny_dmv';
DELETE FROM penalty_sanction_repeat WHERE ruleset = 'ny_dmv';
DELETE FROM penalty_threshold       WHERE ruleset = 'ny_dmv';
DELETE FROM penalty_repeat          WHERE ruleset = 'ny_dmv';
DELETE FROM penalty_violation       WHERE ruleset = 'ny_dmv';
DELETE FROM penalty_carry           WHERE ruleset = 'ny_dmv';
DELETE FROM penalty_track           WHERE ruleset = 'ny_dmv';
DELETE FROM penalty_ruleset         WHERE ruleset = 'ny_dmv';

INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days, description) VALUES
  ('ny_dmv', '-05:00', '18 months', 'New York DMV point system: points count 18 months from the violation; 11 points may suspend; PIRP takes 4 off');

INSERT INTO penalty_track(ruleset, track, period, period_days) VALUES
  ('ny_dmv', 'points', 'rolling', '18 months');   -- 18 months from the date of the violation

INSERT INTO penalty_violation(ruleset, code, track, points, description) VALUES
  ('ny_dmv', 'speeding_1_10',      'points',  3, 'Speeding 1-10 MPH over the limit'),
  ('ny_dmv', 'speeding_11_20',     'points',  4, 'Speeding 11-20 MPH over the limit'),
  ('ny_dmv', 'speeding_21_30',     'points',  6, 'Speeding 21-30 MPH over the limit'),
  ('ny_dmv', 'speeding_31_40',     'points',  8, 'Speeding 31-40 MPH over the limit'),
  ('ny_dmv', 'speeding_over_40',   'points', 11, 'Speeding more than 40 MPH over the limit'),
  ('ny_dmv', 'reckless_driving',   'points',  5, 'Reckless driving'),
  ('ny_dmv', 'phone_or_texting',   'points',  5, 'Using a mobile phone or portable electronic device while driving'),
  ('ny_dmv', 'school_bus',         'points',  5, 'Failing to stop for a school bus'),
  ('ny_dmv', 'following_too_closely', 'points', 4, 'Following too closely (tailgating)'),
  ('ny_dmv', 'red_light',          'points',  3, 'Disobeying a traffic signal, stop sign or yield sign'),
  ('ny_dmv', 'failure_to_yield',   'points',  3, 'Failing to yield the right-of-way'),
  ('ny_dmv', 'other_moving',       'points',  2, 'Any other moving violation'),
  -- PIRP: up to 4 points off; a credit.
  ('ny_dmv', 'pirp_course',        'points', -4, 'Point and Insurance Reduction Program course: up to 4 points off, once every 18 months');

-- PIRP reduces points only once every 18 months.
INSERT INTO penalty_repeat(ruleset, code, nth, points) VALUES
  ('ny_dmv', 'pirp_course', 2, 0);

INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, closes) VALUES
  ('ny_dmv', 'points',  6, 'driver_responsibility_assessment', '3 years', 0),  -- 6+ points in 18 months: the fee, 3 years
  ('ny_dmv', 'points', 11, 'licence_suspension',               NULL,      0);  -- 11+ points in 18 months: suspension

RELEASE penalty_preset_ny_dmv;
