-- examples.sql — the database every example of docs/reference.md runs on
-- (tests/harness/doc_examples.py runs each example after this file and compares
-- its output with the text in the reference).
CREATE TEMP TABLE examples_install AS SELECT penalty_install();
.read sql/presets/taobao.sql
.read sql/presets/taobao_linked.sql
CREATE TABLE violations(seller_id INTEGER, code TEXT, occurred_at);
CREATE INDEX violations_seller ON violations(seller_id, occurred_at, code);
INSERT INTO violations VALUES
  (1, 'harassment', '2017-03-01 12:00:00'), (1, 'harassment', '2017-04-01 12:00:00'),
  (1, 'harassment', '2017-05-01 12:00:00'), (1, 'harassment', '2017-06-01 12:00:00'),
  (2, 'harassment', '2016-12-31 15:00:00'), (2, 'harassment', '2016-12-31 17:00:00'),
  (3, 'harassment_severe', '2017-05-20T08:00:00+08:00'),
  (4, 'broken_promise', '2017-01-10'), (4, 'broken_promise', '2017-02-10'), (4, 'broken_promise', '2017-03-10');
-- A v2 ruleset and a source with per-case points and revocations.
INSERT INTO penalty_ruleset(ruleset, repeat_days) VALUES ('demo', '1 year');
INSERT INTO penalty_track(ruleset, track, period, daily_cap) VALUES ('demo', 'driving', 'year', 10);
INSERT INTO penalty_carry(ruleset, track, min_points, carry) VALUES ('demo', 'driving', 12, 6), ('demo', 'driving', 24, NULL);
INSERT INTO penalty_violation(ruleset, code, track, points, merge_days) VALUES
  ('demo', 'speeding', 'driving', 3, '3 days'), ('demo', 'reckless', 'driving', 6, NULL), ('demo', 'course', 'driving', -4, NULL);
INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, every) VALUES ('demo', 'driving', 12, 'warning', '1 month', 6);
CREATE TABLE cases(seller_id INTEGER, code TEXT, occurred_at, points INTEGER, revoked_at);
INSERT INTO cases VALUES
  (10, 'speeding', '2016-03-01', NULL, NULL), (10, 'speeding', '2016-03-02', NULL, NULL),
  (10, 'speeding', '2016-03-05', NULL, NULL), (10, 'course', '2016-04-01', NULL, NULL),
  (11, 'reckless', '2016-06-01 09:00', 8, NULL), (11, 'reckless', '2016-06-01 17:00', NULL, NULL),
  (11, 'reckless', '2016-07-01', NULL, NULL), (11, 'speeding', '2017-02-01', NULL, NULL),
  (12, 'reckless', '2016-05-01', NULL, '2016-08-01'), (12, 'reckless', '2016-09-01', NULL, NULL);
-- Linked shops (model.md §6): 3 and 4 share a phone, 4 and 5 a device
-- (5 has no events); 6's only entity is NULL, so it is in no cluster.
CREATE TABLE shop_links(seller_id INTEGER, entity);
CREATE INDEX shop_links_seller ON shop_links(seller_id);
CREATE INDEX shop_links_entity ON shop_links(entity);
INSERT INTO shop_links VALUES (3, 'phone:138-0000-0001'), (4, 'phone:138-0000-0001'),
  (4, 'device:ab12'), (5, 'device:ab12'), (6, NULL);
