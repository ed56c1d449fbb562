-- marketplace.sql — a deterministic sample marketplace for the demo.
--
-- Plain SQL, no randomness from outside: every number comes from a linear
-- congruential generator seeded per seller, so every run builds the same
-- data. Needs the taobao preset loaded first (credit levels are drawn from
-- its penalty_level rows).
--
--   sellers(id, name, credit, turnover)   5,000 shops over all 20 credit levels;
--                                         turnover: annual, in yuan
--   violations(id, seller_id, code, occurred_at)
--                                         the year 2017 (UTC text timestamps)
--   shop_links(seller_id, entity)         shops run by the same people: a shared
--                                         phone, device or bank account links them
--                                         (docs/model.md §6)

CREATE TABLE sellers(id INTEGER PRIMARY KEY, name TEXT NOT NULL, credit INTEGER NOT NULL, turnover INTEGER NOT NULL);
CREATE TABLE violations(id INTEGER PRIMARY KEY, seller_id INTEGER NOT NULL REFERENCES sellers(id),
                        code TEXT NOT NULL, occurred_at TEXT NOT NULL);

-- Credit levels with their upper bounds, numbered 0..19.
CREATE TEMP TABLE demo_levels AS
  SELECT row_number() OVER (ORDER BY min_credit) - 1 AS lvl, min_credit,
         coalesce(lead(min_credit) OVER (ORDER BY min_credit), 20000001) AS next_credit
    FROM penalty_level WHERE ruleset = 'taobao';

-- One pseudo-random 31-bit number per seller (and more derived from it).
CREATE TEMP TABLE demo_rng AS
  WITH RECURSIVE s(id, r) AS (
    SELECT 1, 20170601
    UNION ALL
    SELECT id + 1, (r * 1103515245 + 12345) % 2147483648 FROM s WHERE id < 5000)
  SELECT id, r, (r * 69069 + 1) % 2147483648 AS r2, (r * 1664525 + 1013904223) % 2147483648 AS r3 FROM s;

-- Levels: a triangular draw, so middle levels are commonest and every level occurs.
INSERT INTO sellers(id, name, credit, turnover)
  SELECT g.id, printf('shop-%04d', g.id),
         l.min_credit + (g.r2 / 7) % (l.next_credit - l.min_credit),
         (l.min_credit + (g.r2 / 7) % (l.next_credit - l.min_credit)) * (40 + (g.r3 / 11) % 160)
    FROM demo_rng g
    JOIN demo_levels l ON l.lvl = ((g.r / 8) % 20 + (g.r / 256) % 21) / 2;

-- Violations of 2017: a few general ones for many shops; harassment for a
-- few, more often at crown level (larger shops, more buyers to pressure).
CREATE TEMP TABLE demo_n(k INTEGER PRIMARY KEY);
INSERT INTO demo_n WITH RECURSIVE c(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM c WHERE k < 5) SELECT k FROM c;

INSERT INTO violations(seller_id, code, occurred_at)
  SELECT s.id,
         CASE WHEN ((g.r3 >> 3) + n.k) % 2 = 0 THEN 'not_as_described' ELSE 'broken_promise' END,
         datetime('2017-01-01', printf('+%d seconds', ((g.r * (n.k + 3) + g.r2 * 7) % 31536000)))
    FROM sellers s JOIN demo_rng g ON g.id = s.id JOIN demo_n n ON n.k < (g.r3 >> 7) % 4;

INSERT INTO violations(seller_id, code, occurred_at)
  SELECT s.id, 'harassment',
         datetime('2017-01-08', printf('+%d seconds', ((g.r2 * (n.k + 5) + g.r * 13) % 30000000)))
    FROM sellers s JOIN demo_rng g ON g.id = s.id JOIN demo_n n ON n.k < 1 + (g.r >> 9) % 5
   WHERE (g.r3 >> 13) % 1000 < CASE WHEN s.credit >= 10001 THEN 10 ELSE 1 END;

INSERT INTO violations(seller_id, code, occurred_at)
  SELECT s.id, 'harassment_severe', datetime('2017-03-01', printf('+%d seconds', (g.r3 % 25000000)))
    FROM sellers s JOIN demo_rng g ON g.id = s.id
   WHERE (g.r2 >> 17) % 2000 = 7;

INSERT INTO violations(seller_id, code, occurred_at)
  SELECT s.id, CASE WHEN (g.r >> 21) % 10 = 0 THEN 'counterfeit_serious' ELSE 'counterfeit' END,
         datetime('2017-02-01', printf('+%d seconds', (g.r2 * 3 % 28000000)))
    FROM sellers s JOIN demo_rng g ON g.id = s.id
   WHERE (g.r3 >> 19) % 100 < 3;

CREATE INDEX violations_seller ON violations(seller_id, occurred_at);
DROP TABLE demo_levels;
DROP TABLE demo_rng;
DROP TABLE demo_n;

-- Linked shops: three gangs and a shop with no known entity, written out by
-- hand (they change none of the figures above; only penalty_standings and
-- penalty_ledger given the links source 'shop_links' read them).
--   gang 1: shop-2798 (closed by its own harassment_severe on 2017-04-01)
--           shares a phone with shop-0012, which shares a device with
--           shop-0030: both have no closure of their own;
--   gang 2: shop-1955 (closed 2017-06-24) shares a bank account with
--           shop-0757 (closed 2017-08-02 by its own points, later) and
--           shop-0757 a device with shop-0040 (no closure of its own);
--   gang 3: shop-0010, shop-0011 and shop-0020 share a phone; none is closed;
--   shop-0021's entity is unknown (NULL): it is linked to nobody.
CREATE TABLE shop_links(seller_id INTEGER NOT NULL REFERENCES sellers(id), entity TEXT);
INSERT INTO shop_links(seller_id, entity) VALUES
  (2798, 'phone:+86 138 0013 8000'), (12, 'phone:+86 138 0013 8000'),
  (12, 'device:7f3a-19c2'), (30, 'device:7f3a-19c2'),
  (1955, 'bank:6222 0210 0111 2233'), (757, 'bank:6222 0210 0111 2233'),
  (757, 'device:a08e-5d71'), (40, 'device:a08e-5d71'),
  (10, 'phone:+86 139 0571 4422'), (11, 'phone:+86 139 0571 4422'), (20, 'phone:+86 139 0571 4422'),
  (21, NULL);
-- A seller's cluster is found by look-ups on both columns.
CREATE INDEX shop_links_seller ON shop_links(seller_id);
CREATE INDEX shop_links_entity ON shop_links(entity);
