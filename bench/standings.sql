-- standings.sql — benchmark (c): the figures of benchmark (b),
--   count(*), count(closure_at), sum(points) over every seller,
-- written in plain SQL with window functions, the way a reporting script
-- would compute the Taobao standings without the extension. ?1 is as_of.
-- It covers only what the Taobao preset uses (yearly tracks in Beijing
-- time, one rule version per code, no repeat steps, no min_prior); the
-- extension covers every rule of the model.
WITH
ev AS (
  SELECT v.rowid AS rid, v.seller_id, unixepoch(v.occurred_at) AS t,
         strftime('%Y', v.occurred_at, '+8 hours') AS yr, r.track, r.points, r.closes
    FROM violations AS v
    JOIN penalty_violation AS r ON r.ruleset = 'taobao' AND r.code = v.code
   WHERE unixepoch(v.occurred_at) <= unixepoch(?1)
),
run AS (
  SELECT seller_id, t, track, points, closes,
         sum(points) OVER (PARTITION BY seller_id, track, yr ORDER BY t, rid ROWS UNBOUNDED PRECEDING) AS bal
    FROM ev
),
closing AS (
  SELECT seller_id, min(t) AS closure_t
    FROM run
   WHERE closes = 1
      OR EXISTS (SELECT 1 FROM penalty_threshold AS th
                  WHERE th.ruleset = 'taobao' AND th.track = run.track AND th.closes = 1
                    AND th.points > run.bal - run.points AND th.points <= run.bal)
   GROUP BY seller_id
),
live AS (
  SELECT seller_id, sum(CASE WHEN yr = strftime('%Y', ?1, '+8 hours') THEN points ELSE 0 END) AS points
    FROM ev GROUP BY seller_id
)
SELECT count(*), count(closure_t), sum(points) FROM live LEFT JOIN closing USING (seller_id);
