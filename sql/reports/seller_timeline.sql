-- seller_timeline.sql — one seller's ledger, with the track balance after
-- each event drawn as a text bar (one # per @unit points).
--
--   sqlite3 -box marketplace.db -cmd '.load build/penalty' < sql/reports/seller_timeline.sql
--   (or -csv, -json, -line, -markdown ...: the report sets no output mode)
--   parameters (sqlite3 shell: .parameter set @as_of "'2018-01-01'", with the SQL quotes
--   inside the shell's: the value is an SQL expression):
--               @seller  default: the seller with the most events
--               @ruleset default 'taobao'
--               @unit    default 2 (points per #)
-- One result set: occurred_at, code, track, status ('counted' or
-- 'dismissed'), points (INTEGER), balance (the track's points after the
-- event), bar, sanction, closes (1 when the event closes the shop), note.
-- Expects violations(seller_id, code, occurred_at).
SELECT l.occurred_at,
       l.code,
       l.track,
       l.status,
       l.points,
       l.track_points AS balance,
       substr(replace(printf('%*s', l.track_points / coalesce(@unit, 2), ''), ' ', '#'), 1, 60)
         || CASE WHEN l.track_points / coalesce(@unit, 2) > 60 THEN '>' ELSE '' END AS bar,
       l.sanction,
       l.closes,
       l.note
  FROM penalty_ledger(coalesce(@ruleset, 'taobao'), 'violations') AS l
 WHERE l.seller_id = coalesce(@seller,
         (SELECT seller_id FROM violations GROUP BY seller_id ORDER BY count(*) DESC, seller_id LIMIT 1))
 ORDER BY l.occurred_at;
