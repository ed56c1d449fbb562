-- demo.sql — the demo: a sample marketplace scored with the Taobao rules,
-- printing the shops eligible for closure at the end of 2017, then the shops
-- that the same closures reach through links (shared phones, devices, bank
-- accounts: the table shop_links), with the ruleset 'taobao_linked'.
-- Run: sqlite3 :memory: -cmd '.load build/penalty' < sql/demo/demo.sql
.bail on
CREATE TEMP TABLE demo_install AS SELECT penalty_install() AS created;  -- no output
.read sql/presets/taobao.sql
.read sql/presets/taobao_linked.sql
.read sql/demo/marketplace.sql
.print 'Sample marketplace: 5,000 shops, one year of violations (2017), Taobao rules.'
.mode list
SELECT printf('%,d violations by %,d shops; %d harassment cases', count(*), count(DISTINCT seller_id),
              sum(code LIKE 'harassment%')) FROM violations;
.print ''
.print 'Shops eligible for closure as of 2017-12-31 23:59:59 Beijing time:'
.read sql/reports/closure_list.sql
.print ''
.print 'Shops closed through links to a closed shop (ruleset taobao_linked, links shop_links):'
.read sql/reports/linked_closures.sql
