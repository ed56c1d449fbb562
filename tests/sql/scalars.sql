-- penalty_version, penalty_install, penalty_points, penalty_level.
.load PENALTY
SELECT penalty_version();
-- Before the rule tables exist:
SELECT penalty_points('taobao', 'harassment', '2017-06-01');
SELECT * FROM penalty_check('taobao');
SELECT penalty_install() AS created;
SELECT penalty_install() AS created_again;
SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name;
.read sql/presets/taobao.sql
SELECT count(*) AS problems FROM penalty_check('taobao');
SELECT penalty_points('taobao', 'harassment', '2017-06-01');
SELECT penalty_points('taobao', 'harassment_severe', 1496275200);
SELECT penalty_points('taobao', 'counterfeit_severe', 1496275200.75);
SELECT penalty_level('taobao', 150000), penalty_level('taobao', 3), penalty_level('taobao', 4),
       penalty_level('taobao', 10000001), penalty_level('taobao', 250.9), penalty_level('taobao', NULL) IS NULL;
-- A rule version that changes: points by the time of the offence.
INSERT INTO penalty_violation(ruleset, code, valid_from, track, points) VALUES ('taobao', 'harassment', '2018-01-01 00:00:00+08:00', 'serious', 16);
SELECT penalty_points('taobao', 'harassment', '2017-12-31 15:59:59'), penalty_points('taobao', 'harassment', '2017-12-31 16:00:00');
-- Errors name the function, the argument and what was expected.
SELECT penalty_points('taobao', 'nope', '2017-06-01');
SELECT penalty_points('taobao', 'harassment', '2017-02-30');
SELECT penalty_points('taobao', 'harassment', NULL);
SELECT penalty_points('taobao', 'harassment', x'00');
SELECT penalty_points('taobao', 'harassment', 'soon');
SELECT penalty_points('taobao', 'harassment', 1e300);
SELECT penalty_points('taobao', NULL, '2017-06-01');
SELECT penalty_points(NULL, 'harassment', '2017-06-01');
SELECT penalty_points('tmall', 'harassment', '2017-06-01');
SELECT penalty_points('taobao', 'harassment', '0001-01-01') IS NULL;
SELECT penalty_points('taobao', 'harassment', '0000-12-31');
SELECT penalty_level('taobao', 'lots');
SELECT penalty_level('tmall', 5);
SELECT penalty_points('taobao', 'harassment');
-- penalty_install cannot run from a view or trigger (SQLITE_DIRECTONLY).
CREATE VIEW v_install AS SELECT penalty_install();
SELECT * FROM v_install;
