-- france_permis.sql — the French points licence (permis à points) as a
-- ruleset (docs/model.md §3b: clean records, a one-point offence's point
-- back after 6 months, courses as credits).
--
-- Plain SQL; run after SELECT penalty_install(); running it again replaces
-- the ruleset 'france_permis'.
--
-- Source: Code de la route, articles L223-1 to L223-6 (Légifrance) and R223-1
-- (12 points; the points an offence costs); service-public.fr, "Permis à
-- points":
--   * a licence holds 12 points: the track counts the points LOST, and 12
--     lost makes the licence void (L223-1: 'licence_void', closes);
--   * L223-6: all 12 points come back when 2 years pass without an offence
--     that costs points (clean_days '2 years'); 3 years when the record holds
--     a délit or a contravention of the 4th or 5th class (clean_days '3
--     years' on those codes: the record's longest applies);
--   * L223-6: the point of an offence that cost 1 point comes back 6 months
--     after it when no offence that costs points came meanwhile
--     (restore_days '6 months');
--   * L223-6: an awareness course (stage de sensibilisation) gives back up
--     to 4 points, once a year at most: a credit of 4 (course), its second
--     within a year worth 0 (penalty_repeat nth 2 -> 0, repeat_days '1
--     year');
--   * the points of the codes below (R413-14: speeding by less than 20 km/h
--     where the limit is above 50 km/h, 3rd class: 1; by 20-30 km/h: 2;
--     30-40: 3; 40-50: 4; 50 or more (5th class): 6; R412-6-1 hand-held phone:
--     3; R412-30 red light: 4; R412-1 seatbelt: 3; L234-1 driving over the
--     alcohol limit, a délit: 6).
-- Simplified: points are lost on the offence date (the law: when the fine
-- is paid or the conviction final); the 10-year rule of L223-6, the
-- probationary licence's 6 points and the 6-month wait after a void
-- licence are not modelled.

SAVEPOINT penalty_preset_france;

DELETE FROM penalty_level           WHERE ruleset = 'france_permis';
DELETE FROM penalty_sanction_repeat WHERE ruleset = 'france_permis';
DELETE FROM penalty_threshold       WHERE ruleset = 'france_permis';
DELETE FROM penalty_repeat          WHERE ruleset = 'france_permis';
DELETE FROM penalty_violation       WHERE ruleset = 'france_permis';
DELETE FROM penalty_carry           WHERE ruleset = 'france_permis';
DELETE FROM penalty_track           WHERE ruleset = 'france_permis';
DELETE FROM penalty_ruleset         WHERE ruleset = 'france_permis';

INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days, description) VALUES
  ('france_permis', '+01:00', '1 year',
   'France, permis à points: 12 points; all back after 2 (3) clean years; a 1-point offence back after 6 months; a course, once a year');

INSERT INTO penalty_track(ruleset, track, period) VALUES
  ('france_permis', 'points_lost', 'lifetime');  -- lost until restored (L223-6)

INSERT INTO penalty_violation(ruleset, code, track, points, clean_days, restore_days, description) VALUES
  ('france_permis', 'speed_under_20', 'points_lost', 1, '2 years', '6 months', 'Speeding by less than 20 km/h, limit above 50 km/h (3rd class)'),
  ('france_permis', 'speed_20_30',    'points_lost', 2, '3 years', NULL, 'Speeding by 20 to 30 km/h (4th class)'),
  ('france_permis', 'speed_30_40',    'points_lost', 3, '3 years', NULL, 'Speeding by 30 to 40 km/h (4th class)'),
  ('france_permis', 'speed_40_50',    'points_lost', 4, '3 years', NULL, 'Speeding by 40 to 50 km/h (4th class)'),
  ('france_permis', 'speed_50',       'points_lost', 6, '3 years', NULL, 'Speeding by 50 km/h or more (5th class)'),
  ('france_permis', 'phone',          'points_lost', 3, '3 years', NULL, 'Hand-held phone while driving (4th class)'),
  ('france_permis', 'red_light',      'points_lost', 4, '3 years', NULL, 'Failing to stop at a red light (4th class)'),
  ('france_permis', 'seatbelt',       'points_lost', 3, '3 years', NULL, 'Not wearing a seatbelt (4th class)'),
  ('france_permis', 'alcohol',        'points_lost', 6, '3 years', NULL, 'Driving over the alcohol limit (délit)'),
  ('france_permis', 'course',         'points_lost', -4, NULL, NULL, 'Awareness course: up to 4 points back');

INSERT INTO penalty_repeat(ruleset, code, nth, points) VALUES
  ('france_permis', 'course', 2, 0);  -- once a year: a second course within a year gives nothing

INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, closes) VALUES
  ('france_permis', 'points_lost', 12, 'licence_void', NULL, 1);  -- no point left: the licence is void

RELEASE penalty_preset_france;
