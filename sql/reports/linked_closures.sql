-- linked_closures.sql — the shops to be closed because of a link as of a
-- date (docs/model.md §6): each with the closed shop it is linked to, the
-- entities that link them (the path in the reason) and its turnover.
--
--   sqlite3 -box marketplace.db -cmd '.load build/penalty' < sql/reports/linked_closures.sql
--   (or -csv, -json, -line, -markdown ...: the report sets no output mode)
--   parameters (sqlite3 shell: .parameter set @as_of "'2018-01-01'" — the value is an SQL
--   expression, so a date needs its SQL quotes inside the shell's quotes):
--     @as_of    default '2017-12-31 23:59:59+08:00' (end of 2017, Beijing time)
--     @ruleset  default 'taobao_linked' (sql/presets/taobao_linked.sql); it must have
--               link_closes = 1, or no shop is closed through a link
--     @links    default 'shop_links'
-- One result set: shop, level, turnover (INTEGER yuan a year), closure_at,
-- closed_with (the closed shop it is linked to), through (the entities).
-- Expects the tables sellers(id, name, credit, turnover),
-- violations(seller_id, code, occurred_at) and a links source
-- (seller_id, entity), as in sql/demo/marketplace.sql.
-- A shop is listed when its closure is the linked one: its reason is
-- "closed at T: linked to seller S through entit(y|ies) E, ... (S's reason)"
-- with T its linked_closure_at (a shop closed as early by its own events
-- keeps its own reason and is not listed).
WITH p AS (
  SELECT seller_id, closure_at, linked_seller, reason,
         substr(reason, instr(reason, ' through ') + 9) AS rest
    FROM penalty_standings(coalesce(@ruleset, 'taobao_linked'), 'violations',
                           coalesce(@as_of, '2017-12-31 23:59:59+08:00'), coalesce(@links, 'shop_links'))
   WHERE linked_closure_at IS NOT NULL
     AND reason LIKE 'closed at ' || linked_closure_at || ': linked to seller %')
SELECT s.name AS shop,
       penalty_level(coalesce(@ruleset, 'taobao_linked'), s.credit) AS level,
       s.turnover,
       p.closure_at,
       c.name AS closed_with,
       substr(p.rest, instr(p.rest, ' ') + 1, instr(p.rest, ' (closed at ') - instr(p.rest, ' ') - 1) AS through
  FROM p
  JOIN sellers AS s ON s.id = p.seller_id
  JOIN sellers AS c ON c.id = p.linked_seller
 ORDER BY s.turnover DESC;
