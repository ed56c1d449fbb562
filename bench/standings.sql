-- standings.sql — benchmark (c): the figures of benchmark (b),
--   count(*), count(closure_at), sum(points) over every seller,
-- in plain SQL, as fast as we could make it in SQLite. ?1 is as_of.
-- bench.cpp reads it from other sources by replacing ' violations AS v'.
--
-- It covers only what the Taobao preset uses (yearly tracks in Beijing
-- time, one rule version per code, no repeat steps, no min_prior, points
-- >= 0), and it relies on occurred_at being stored as UTC text
-- 'YYYY-MM-DD HH:MM:SS' (what datetime() writes), so that text order is
-- time order; the extension covers every rule of the model and every time
-- format. How it saves work:
--   * one grouped pass per seller gives the points of the current year
--     (events at or after the year's start, compared as text) and a bound:
--     a seller whose points on the tracks that can close are below the
--     lowest closing threshold, and who has no closing code, cannot close;
--   * the running balance (the window, and its sort) is computed only for
--     the remaining sellers' events (at 1M: 3,886 sellers, 16% of the
--     events), found with IN (...) so that SQLite
--     may scan or use an index on seller_id, whichever is cheaper.
-- In `run`, CROSS JOIN keeps the source as the outer loop: without it, on
-- 10M events and no index, SQLite chose to build an automatic index on the
-- whole source by code.
-- Ties in time may be summed in any order: with points >= 0 the first
-- crossing of a threshold falls at the same time whatever the order.
WITH
rule AS (
  SELECT r.code, r.track, r.points, r.closes, b.bar
    FROM penalty_violation AS r
    LEFT JOIN (SELECT track, min(points) AS bar FROM penalty_threshold
                WHERE ruleset = 'taobao' AND closes = 1 GROUP BY track) AS b USING (track)
   WHERE r.ruleset = 'taobao'
),
lim AS (
  SELECT datetime(?1) AS upto,
         datetime(?1, '+8 hours', 'start of year', '-8 hours') AS year_start,
         (SELECT min(bar) FROM rule) AS bar
),
seller AS MATERIALIZED (
  SELECT v.seller_id,
         sum(CASE WHEN v.occurred_at >= lim.year_start THEN r.points ELSE 0 END) AS points,
         sum(CASE WHEN r.bar IS NOT NULL THEN r.points ELSE 0 END) >= lim.bar OR max(r.closes) AS at_risk
    FROM lim, violations AS v JOIN rule AS r ON r.code = v.code
   WHERE v.occurred_at <= lim.upto
   GROUP BY v.seller_id
),
run AS (
  SELECT v.seller_id, v.occurred_at AS at, r.track, r.points, r.closes,
         sum(r.points) OVER (PARTITION BY v.seller_id, r.track, strftime('%Y', v.occurred_at, '+8 hours')
                             ORDER BY v.occurred_at ROWS UNBOUNDED PRECEDING) AS bal
    FROM violations AS v CROSS JOIN rule AS r ON r.code = v.code, lim
   WHERE v.occurred_at <= lim.upto AND v.seller_id IN (SELECT seller_id FROM seller WHERE at_risk)
),
closing AS (
  SELECT seller_id, min(at) AS closure_at
    FROM run
   WHERE closes = 1
      OR EXISTS (SELECT 1 FROM penalty_threshold AS th
                  WHERE th.ruleset = 'taobao' AND th.track = run.track AND th.closes = 1
                    AND th.points > run.bal - run.points AND th.points <= run.bal)
   GROUP BY seller_id
)
SELECT count(*), count(closure_at), sum(points) FROM seller LEFT JOIN closing USING (seller_id);
