-- penalty_check: one row per problem; every function refuses an invalid ruleset.
.load PENALTY
SELECT penalty_install();
.read sql/presets/taobao.sql
.read sql/presets/youtube_strikes.sql
.read sql/presets/uk_driving.sql
SELECT r.ruleset, (SELECT count(*) FROM penalty_check(r.ruleset)) AS problems FROM penalty_ruleset AS r ORDER BY r.ruleset;
.mode list
.headers on
SELECT * FROM penalty_check('nosuch');
-- Break every rule the CHECK constraints would have stopped.
PRAGMA ignore_check_constraints = ON;
INSERT INTO penalty_ruleset VALUES ('bad', '+8', -2, 'broken on purpose');
INSERT INTO penalty_track VALUES ('bad', 'y', 'year', NULL), ('bad', 'r', 'rolling', 0), ('bad', 'w', 'weekly', NULL),
                                 ('bad', 'l', 'lifetime', 30);
INSERT INTO penalty_violation(ruleset, code, valid_from, track, points, closes, min_prior) VALUES
  ('bad', 'a', '0001-01-01', 'missing', 1, 0, 0),
  ('bad', 'b', '0001-01-01', 'y', -1, 0, 0),
  ('bad', 'c', '0001-01-01', 'y', 1, 2, 0),
  ('bad', 'd', '0001-01-01', 'y', 1, 0, -1),
  ('bad', 'e', '2017-02-30', 'y', 1, 0, 0),
  ('bad', 'f', '0001-01-01', 'y', 2.5, 0, 0),
  ('bad', 'g', '0001-01-01', 'w', 1, 0, 0);
INSERT INTO penalty_repeat VALUES ('bad', 'b', 0, 1), ('bad', 'zzz', 2, 1);
INSERT INTO penalty_threshold VALUES ('bad', 'y', 0, 's', 1, 0), ('bad', 'y', 5, 's', -1, 0), ('bad', 'nope', 5, 's', 1, 0),
                                     ('bad', 'y', 6, 's', NULL, 7);
INSERT INTO penalty_level VALUES ('bad', 'x', 'label'), ('bad', 5, '');
SELECT * FROM penalty_check('bad');
SELECT penalty_points('bad', 'a', '2017-01-01');
SELECT * FROM penalty_check(NULL);
SELECT * FROM penalty_check;
