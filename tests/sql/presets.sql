-- The three presets: valid, and scored as their sources describe.
.load PENALTY
SELECT penalty_install();
.read sql/presets/taobao.sql
.read sql/presets/youtube_strikes.sql
.read sql/presets/uk_driving.sql
.read sql/presets/taobao.sql
.mode list
.headers on
SELECT r.ruleset, (SELECT count(*) FROM penalty_check(r.ruleset)) AS problems,
       (SELECT count(*) FROM penalty_violation v WHERE v.ruleset = r.ruleset) AS codes,
       (SELECT count(*) FROM penalty_level l WHERE l.ruleset = r.ruleset) AS levels
  FROM penalty_ruleset r ORDER BY r.ruleset;
WITH t(credit) AS (VALUES (0), (4), (10), (11), (250), (251), (10000), (10001), (150000), (200001), (10000001), (99999999))
SELECT credit, penalty_level('taobao', credit) AS level FROM t;
-- YouTube: a warning first, then strikes that expire after 90 days.
CREATE TABLE channel(seller_id, code, occurred_at);
INSERT INTO channel VALUES ('c1', 'community_guidelines', '2024-01-01'), ('c1', 'community_guidelines', '2024-02-01'),
                           ('c1', 'community_guidelines', '2024-03-01'), ('c1', 'community_guidelines', '2024-09-01'),
                           ('c1', 'community_guidelines', '2024-09-15'), ('c1', 'community_guidelines', '2024-10-01'),
                           ('c2', 'severe_abuse', '2024-05-05');
SELECT seller_id, occurred_at, nth, points, track_points, sanction, closes FROM penalty_ledger('youtube_strikes', 'channel');
SELECT seller_id, points, sanction, sanction_until, closure_at FROM penalty_standings('youtube_strikes', 'channel', '2024-03-10');
SELECT seller_id, points, sanction, closure_at FROM penalty_standings('youtube_strikes', 'channel', '2024-12-31');
-- UK: 12 points within 3 years disqualify; points older than 3 years do not count.
CREATE TABLE driver(seller_id, code, occurred_at);
INSERT INTO driver VALUES ('d1', 'SP30', '2019-01-10'), ('d1', 'SP30', '2020-06-01'), ('d1', 'CU80', '2022-03-01'),
                          ('d2', 'SP30', '2020-01-01'), ('d2', 'CU80', '2021-01-01'), ('d2', 'SP30', '2022-06-01'),
                          ('d3', 'DR10', '2023-07-07');
SELECT seller_id, occurred_at, code, track_points, sanction FROM penalty_ledger('uk_driving', 'driver');
SELECT seller_id, points, sanction, sanction_until FROM penalty_standings('uk_driving', 'driver', '2022-07-01');
