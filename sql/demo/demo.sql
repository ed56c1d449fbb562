-- demo.sql — the demo's printout: the sample marketplace scored with the
-- Taobao rules, the shops eligible for closure at the end of 2017, then the
-- shops that the same closures reach through links (shared phones, devices,
-- bank accounts: the table shop_links), with the ruleset 'taobao_linked'.
--
-- Runs on the demo database that ./run.sh demo writes (build/marketplace.db:
-- penalty_install(), sql/presets/taobao.sql, sql/presets/taobao_linked.sql,
-- then sql/demo/marketplace.sql); it reads no other file, so it runs from
-- any directory:
--   sqlite3 build/marketplace.db -cmd '.load build/penalty' < sql/demo/demo.sql
-- A short table per list (no reason column); the reports in sql/reports/
-- give every column.
.bail on
.print 'Sample marketplace: 5,000 shops, one year of violations (2017), Taobao rules.'
.mode list
.headers off
SELECT printf('%,d violations by %,d shops; %d harassment cases', count(*), count(DISTINCT seller_id),
              sum(code LIKE 'harassment%')) FROM violations;
.print ''
.print 'Shops eligible for closure as of 2017-12-31 23:59:59 Beijing time:'
.mode box
CREATE TEMP VIEW demo_closures AS
  SELECT s.name AS shop, penalty_level('taobao', s.credit) AS level, s.turnover, s.credit,
         p.points, p.repeats, p.closure_at
    FROM penalty_standings('taobao', 'violations', '2017-12-31 23:59:59+08:00') AS p
    JOIN sellers AS s ON s.id = p.seller_id
   WHERE p.closure_at IS NOT NULL;
SELECT shop, level, printf('¥%,d', turnover) AS turnover, points, repeats, closure_at
  FROM demo_closures ORDER BY demo_closures.turnover DESC;
.mode list
SELECT printf('%d shops to be closed, %d of them crown level or above, turnover ¥%,d a year in all (largest ¥%,d)',
              count(*), sum(credit >= 10001), coalesce(sum(turnover), 0), coalesce(max(turnover), 0))
  FROM demo_closures;
.print ''
.print 'Shops closed through links to a closed shop (ruleset taobao_linked, links shop_links):'
.mode box
CREATE TEMP VIEW demo_linked AS
  SELECT s.name AS shop, penalty_level('taobao_linked', s.credit) AS level, s.turnover,
         p.linked_closure_at AS closure_at, c.name AS closed_with
    FROM penalty_standings('taobao_linked', 'violations', '2017-12-31 23:59:59+08:00', 'shop_links') AS p
    JOIN sellers AS s ON s.id = p.seller_id
    JOIN sellers AS c ON c.id = p.linked_seller
   WHERE p.linked_closure_at IS NOT NULL
     AND p.reason LIKE 'closed at ' || p.linked_closure_at || ': linked to seller %';
SELECT shop, level, printf('¥%,d', turnover) AS turnover, closure_at, closed_with
  FROM demo_linked ORDER BY demo_linked.turnover DESC;
.mode list
SELECT printf('%d shops to be closed through links, turnover ¥%,d a year in all', count(*), coalesce(sum(turnover), 0))
  FROM demo_linked;
