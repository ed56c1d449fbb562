-- The SQL surface added by the extension: every function (with arity and
-- kind) and module, compared before and after loading. A new or renamed
-- name changes this output.
CREATE TEMP TABLE f0 AS SELECT name, narg, type, flags FROM pragma_function_list;
CREATE TEMP TABLE m0 AS SELECT name FROM pragma_module_list;
.load PENALTY
.mode list
.headers on
SELECT name, narg, type,
       (flags & 0x000800) <> 0 AS deterministic,
       (flags & 0x080000) <> 0 AS directonly,
       (flags & 0x200000) <> 0 AS innocuous
  FROM pragma_function_list
 WHERE (name, narg, type) NOT IN (SELECT name, narg, type FROM f0)
 ORDER BY name, narg;
SELECT name AS module FROM pragma_module_list WHERE name NOT IN (SELECT name FROM m0) ORDER BY name;
SELECT count(*) AS removed FROM f0 WHERE (name, narg, type) NOT IN (SELECT name, narg, type FROM pragma_function_list);
