-- china_driving.sql — China's motor vehicle driver scoring (记分) as a ruleset.
--
-- Plain SQL; run after SELECT penalty_install(); running it again replaces
-- the ruleset 'china_driving'.
--
-- Source: 《道路交通安全违法行为记分管理办法》 (Measures for Scoring Road
-- Traffic Safety Violations, Ministry of Public Security Order No. 163, in
-- force since 1 April 2022):
--   * the scoring cycle (记分周期) is 12 months, counted from the date the
--     driver first obtained the licence (初次领取机动车驾驶证之日): a
--     'cycle' track with period_days '1 year', each driver's licence date in
--     the source's anchor_at (a licence of 29 February: the cycle turns on
--     28 February in common years, the model's calendar reading);
--   * a violation scores 12, 9, 6, 3 or 1 points (examples below, one per
--     value); at the end of a cycle the points are cleared;
--   * 12 points in one cycle (满分): the licence is held (扣留机动车驾驶证)
--     and the driver must attend 7 days of study of the road traffic laws
--     and pass the theory exam (科目一); twice 12, or 24 points in a cycle:
--     14 days' study and also the road test (科目三); 36 points or more: 21
--     days' study and also the driving skills test (科目二);
--   * 学法减分 (reducing points by studying the law): a driver below 12 points may take
--     points off by online study of the road traffic laws (30 minutes within
--     3 days and a passed test: 1 point each time), at most 6 points per
--     cycle: a credit code of -1 point, the 7th and later within a year
--     worth 0 (penalty_repeat nth 7 -> 0, repeat_days '1 year').
-- Simplified:
--   * the sanctions' days (7, 14, 21) are the study periods; the licence is
--     in fact held until the driver passes, which takes at least that long;
--   * the study credit's 6-point limit counts over the year before each
--     course, not over the cycle (repeat_days is one look-back for the whole
--     ruleset), and ignores the conditions that exclude it (12 points
--     reached, drink driving and other listed offences in the cycle); the
--     on-site study (2 points) and public-service (1 point) reductions are
--     not listed, since the 6-point limit they share cannot be expressed;
--   * passing the exam clears the points in reality; here the balance
--     stays the cycle's cumulative points, which is what the 24 and 36
--     steps count (so after a passed exam the balance reads higher than
--     the driver's own);
--   * points left unpaid at the end of a cycle (fines outstanding) are
--     carried to the next in reality; here every cycle opens at 0.

SAVEPOINT penalty_preset_china;

DELETE FROM penalty_level           WHERE ruleset = 'china_driving';
DELETE FROM penalty_sanction_repeat WHERE ruleset = 'china_driving';
DELETE FROM penalty_threshold       WHERE ruleset = 'china_driving';
DELETE FROM penalty_repeat          WHERE ruleset = 'china_driving';
DELETE FROM penalty_violation       WHERE ruleset = 'china_driving';
DELETE FROM penalty_carry           WHERE ruleset = 'china_driving';
DELETE FROM penalty_track           WHERE ruleset = 'china_driving';
DELETE FROM penalty_ruleset         WHERE ruleset = 'china_driving';

-- Beijing time: a licence date is a local date; anchor_at is its local midnight.
INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days, description) VALUES
  ('china_driving', '+08:00', '1 year', 'China, driver scoring (MPS Order 163): 12-month cycles from the licence date; 12 points hold the licence for study and exam');

INSERT INTO penalty_track(ruleset, track, period, period_days) VALUES
  ('china_driving', 'score', 'cycle', '1 year');   -- 记分周期: 12 months from the licence date, cleared at its end

INSERT INTO penalty_violation(ruleset, code, track, points, description) VALUES
  -- 12 points: driving after drinking (饮酒后驾驶机动车).
  ('china_driving', 'drink_driving',          'score', 12, 'Driving after drinking alcohol'),
  -- 9 points: driving a vehicle the licence class does not cover
  -- (驾驶与准驾车型不符的机动车).
  ('china_driving', 'wrong_licence_class',    'score',  9, 'Driving a vehicle the licence class does not cover'),
  -- 6 points: running a red light (违反道路交通信号灯通行).
  ('china_driving', 'red_light',              'score',  6, 'Running a red light'),
  -- 3 points: not slowing, stopping or yielding to pedestrians at a
  -- crossing (行经人行横道未按规定减速、停车、避让行人).
  ('china_driving', 'not_yielding_pedestrian', 'score', 3, 'Not yielding to pedestrians at a crossing'),
  -- 3 points: making or taking calls on a hand-held phone while
  -- driving (驾驶时拨打、接听手持电话).
  ('china_driving', 'phone_while_driving',    'score',  3, 'Using a hand-held phone while driving'),
  -- 1 point: not using the lights as required (不按规定使用灯光).
  ('china_driving', 'improper_lights',        'score',  1, 'Not using the lights as required'),
  -- 学法减分: online study of the road traffic laws and a passed
  -- test: 1 point off (a credit).
  ('china_driving', 'study_online',           'score', -1, 'Online road-law study and test: 1 point off (at most 6 a year)');

-- At most 6 study credits (6 points) within a year: the 7th and later take nothing.
INSERT INTO penalty_repeat(ruleset, code, nth, points) VALUES
  ('china_driving', 'study_online', 7, 0);

INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, closes) VALUES
  -- 满分: licence held, 7 days' study, theory exam
  ('china_driving', 'score', 12, 'licence_held_study_7d_exam',            '7 days',  0),
  -- twice 12 or 24 points in a cycle: 14 days' study, theory exam and road test
  ('china_driving', 'score', 24, 'licence_held_study_14d_road_test',      '14 days', 0),
  -- 36 points or more in a cycle: 21 days' study, theory, skills and road tests
  ('china_driving', 'score', 36, 'licence_held_study_21d_skills_test',    '21 days', 0);

RELEASE penalty_preset_china;
