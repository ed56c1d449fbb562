-- penalty_standings (table) and penalty_standing (aggregate) agree on every
-- figure of every seller, on the generated demo marketplace (5,000 shops)
-- scored with a ruleset that uses every feature: four periods in UTC-05:00,
-- a 90-day look-back, min_prior, a first-offence warning and an escalation,
-- a rule version, closing codes and thresholds. Sellers with two events at
-- one instant are left out: the spec orders such ties by rowid in tables
-- and by code in aggregates.
.load PENALTY
.bail on
CREATE TEMP TABLE t_install AS SELECT penalty_install();
.read sql/presets/taobao.sql
.read sql/demo/marketplace.sql
INSERT INTO penalty_ruleset VALUES ('rich', '-05:00', 90, 'every feature');
INSERT INTO penalty_track VALUES ('rich', 'q', 'quarter', NULL), ('rich', 'm', 'month', NULL),
                                 ('rich', 'r', 'rolling', 45), ('rich', 'l', 'lifetime', NULL);
INSERT INTO penalty_violation(ruleset, code, valid_from, track, points, closes, min_prior) VALUES
  ('rich', 'not_as_described', '0001-01-01', 'm', 3, 0, 0),
  ('rich', 'broken_promise', '0001-01-01', 'q', 4, 0, 1),
  ('rich', 'harassment', '0001-01-01', 'r', 10, 0, 0),
  ('rich', 'harassment', '2017-07-01', 'l', 15, 0, 0),
  ('rich', 'harassment_severe', '0001-01-01', 'l', 5, 1, 0),
  ('rich', 'counterfeit', '0001-01-01', 'q', 2, 0, 0),
  ('rich', 'counterfeit_serious', '0001-01-01', 'r', 12, 0, 0);
INSERT INTO penalty_repeat VALUES ('rich', 'not_as_described', 1, 0), ('rich', 'not_as_described', 3, 6);
INSERT INTO penalty_threshold VALUES ('rich', 'q', 8, 'q8', 10, 0), ('rich', 'q', 16, 'q16', NULL, 0),
  ('rich', 'm', 6, 'm6', 3, 0), ('rich', 'r', 20, 'r20', 30, 0), ('rich', 'r', 40, 'r40', NULL, 1),
  ('rich', 'l', 30, 'l30', 5, 1);
SELECT count(*) AS problems FROM penalty_check('rich');
CREATE TEMP TABLE untied AS
  SELECT seller_id FROM violations GROUP BY seller_id HAVING count(*) = count(DISTINCT occurred_at);
.mode list
.headers on
WITH asof(t) AS (VALUES ('2017-03-31 23:59:59-05:00'), ('2017-07-15'), ('2017-12-31 23:59:59+08:00'), ('2018-06-01'))
SELECT asof.t AS as_of,
       (SELECT count(*) FROM penalty_standings('rich', 'violations', asof.t) p JOIN untied USING (seller_id)) AS sellers,
       (SELECT count(*) FROM penalty_standings('rich', 'violations', asof.t) p JOIN untied USING (seller_id)
         JOIN (SELECT seller_id, penalty_standing('rich', code, occurred_at, asof.t) AS js FROM violations GROUP BY seller_id) a
           USING (seller_id)
        WHERE json_extract(a.js, '$.points') IS NOT p.points
           OR json(json_extract(a.js, '$.tracks')) IS NOT json(p.tracks)
           OR json_extract(a.js, '$.offences') IS NOT p.offences
           OR json_extract(a.js, '$.dismissed') IS NOT p.dismissed
           OR json_extract(a.js, '$.repeats') IS NOT p.repeats
           OR json_extract(a.js, '$.sanction') IS NOT p.sanction
           OR json_extract(a.js, '$.sanction_until') IS NOT p.sanction_until
           OR json_extract(a.js, '$.closure_at') IS NOT p.closure_at
           OR json_extract(a.js, '$.reason') IS NOT p.reason) AS disagreements,
       (SELECT count(*) FROM penalty_standings('rich', 'violations', asof.t) WHERE dismissed > 0) AS with_dismissed,
       (SELECT count(*) FROM penalty_standings('rich', 'violations', asof.t) WHERE sanction IS NOT NULL) AS sanctioned,
       (SELECT count(*) FROM penalty_standings('rich', 'violations', asof.t) WHERE closure_at IS NOT NULL) AS closed,
       (SELECT sum(points) FROM penalty_standings('rich', 'violations', asof.t)) AS points
  FROM asof;
