-- examples.sql — the database every example of docs/reference.md runs on
-- (tests/doc_examples.py runs each example after this file and compares
-- its output with the text in the reference).
CREATE TEMP TABLE examples_install AS SELECT penalty_install();
.read sql/presets/taobao.sql
CREATE TABLE violations(seller_id INTEGER, code TEXT, occurred_at);
CREATE INDEX violations_seller ON violations(seller_id, occurred_at, code);
INSERT INTO violations VALUES
  (1, 'harassment', '2017-03-01 12:00:00'), (1, 'harassment', '2017-04-01 12:00:00'),
  (1, 'harassment', '2017-05-01 12:00:00'), (1, 'harassment', '2017-06-01 12:00:00'),
  (2, 'harassment', '2016-12-31 15:00:00'), (2, 'harassment', '2016-12-31 17:00:00'),
  (3, 'harassment_severe', '2017-05-20T08:00:00+08:00'),
  (4, 'broken_promise', '2017-01-10'), (4, 'broken_promise', '2017-02-10'), (4, 'broken_promise', '2017-03-10');
