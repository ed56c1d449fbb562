-- The reports of sql/reports/ on the demo marketplace, with their defaults
-- and with parameters.
.load PENALTY
.bail on
CREATE TEMP TABLE t_install AS SELECT penalty_install();
.read sql/presets/taobao.sql
.read sql/demo/marketplace.sql
.print '== sanctions_active (default as_of)'
.read sql/reports/sanctions_active.sql
.print '== sanctions_active as of 2017-06-30'
.parameter set @as_of "'2017-06-30'"
.read sql/reports/sanctions_active.sql
.parameter clear
.print '== recidivists, top 5'
.parameter set @top 5
.read sql/reports/recidivists.sql
.parameter clear
.print '== policy_impact: a proposal that makes harassment cost 16 points'
INSERT INTO penalty_ruleset SELECT 'taobao_proposed', tz_offset, repeat_days, 'proposal' FROM penalty_ruleset WHERE ruleset = 'taobao';
INSERT INTO penalty_track SELECT 'taobao_proposed', track, period, period_days FROM penalty_track WHERE ruleset = 'taobao';
INSERT INTO penalty_violation SELECT 'taobao_proposed', code, valid_from, track, points, closes, min_prior, description FROM penalty_violation WHERE ruleset = 'taobao';
INSERT INTO penalty_threshold SELECT 'taobao_proposed', track, points, sanction, days, closes FROM penalty_threshold WHERE ruleset = 'taobao';
UPDATE penalty_violation SET points = 16 WHERE ruleset = 'taobao_proposed' AND code = 'harassment';
.read sql/reports/policy_impact.sql
.print '== seller_timeline (default: the seller with the most events)'
.read sql/reports/seller_timeline.sql
.print '== seller_timeline of shop 2444, 4 points per #'
.parameter set @seller 2444
.parameter set @unit 4
.read sql/reports/seller_timeline.sql
