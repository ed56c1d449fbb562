-- taobao.sql — the Taobao seller penalty rules as a `penalty` ruleset.
--
-- Plain SQL (no shell dot-commands): any client can run it, after
-- SELECT penalty_install(); (or sql/schema.sql). Running it again replaces
-- the ruleset 'taobao' with exactly these rows.
--
-- Source: Taobao Rules (淘宝规则), the chapters on serious violations
-- (严重违规行为), selling counterfeit goods (出售假冒商品) and general
-- violations (一般违规行为), as summarised in the project's source material
-- (docs/model.md §5, §3.6):
--   * points are counted per track and reset each calendar year (Beijing
--     time, UTC+08:00: the year turns at 16:00 UTC on 31 December); repeat
--     offences are looked up over 365 days;
--   * serious track: 12 / 24 / 36 points restrict the shop for 7 / 14 / 21
--     days; 48 points seal the account for good (closure);
--   * counterfeit track (出售假冒商品, its own balance since the rules keep
--     counterfeit points apart): the same steps 12 / 24 / 36 / 48; at the
--     yearly reset a balance of 24 to 47 points is not cleared but kept at
--     24, and a balance of 48 or more is never cleared (penalty_carry);
--   * general track: every 12 points (12, 24, 36, ... with no upper limit)
--     shield the shop for 7 days (one threshold row with every = 12).
-- Codes other than harassment are the commonly cited point values of the
-- same rules; each row says which rule it stands for.
-- Simplified: the restrictions that go with each step (shielding, no new
-- listings, no new shop, ...) are one sanction name per step; a sanction
-- runs from the violation's time, not from the day Taobao applies it.
-- The benchmark keeps the 0.1.0 version of this file (tests/sql/fixtures/taobao-0.1.0.sql).

SAVEPOINT penalty_preset_taobao;

DELETE FROM penalty_level           WHERE ruleset = 'taobao';
DELETE FROM penalty_sanction_repeat WHERE ruleset = 'taobao';
DELETE FROM penalty_threshold       WHERE ruleset = 'taobao';
DELETE FROM penalty_repeat          WHERE ruleset = 'taobao';
DELETE FROM penalty_violation       WHERE ruleset = 'taobao';
DELETE FROM penalty_carry           WHERE ruleset = 'taobao';
DELETE FROM penalty_track           WHERE ruleset = 'taobao';
DELETE FROM penalty_ruleset         WHERE ruleset = 'taobao';

INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days, description) VALUES
  ('taobao', '+08:00', 365, 'Taobao seller rules: serious, counterfeit and general violation points, reset each calendar year (Beijing time)');

INSERT INTO penalty_track(ruleset, track, period, period_days) VALUES
  ('taobao', 'serious',     'year', NULL),   -- 严重违规行为: points of the calendar year
  ('taobao', 'counterfeit', 'year', NULL),   -- 出售假冒商品: points of the calendar year, partly carried over (below)
  ('taobao', 'general',     'year', NULL);   -- 一般违规行为: points of the calendar year

-- 出售假冒商品 at the yearly reset: 24 <= N < 48 points open the new year
-- with 24; N >= 48 opens it with all N (never cleared); below 24, nothing.
INSERT INTO penalty_carry(ruleset, track, min_points, carry) VALUES
  ('taobao', 'counterfeit', 24, 24),
  ('taobao', 'counterfeit', 48, NULL);

INSERT INTO penalty_violation(ruleset, code, track, points, closes, description) VALUES
  -- 恶意骚扰 (malicious harassment of a buyer, e.g. after a bad review: phone
  -- harassment, insults, threats, things mailed to frighten): 12 points per case.
  ('taobao', 'harassment',          'serious', 12, 0, 'Malicious harassment of a buyer: 12 points per case'),
  -- 恶意骚扰, severe case (情节严重): the account is sealed at once.
  ('taobao', 'harassment_severe',   'serious', 12, 1, 'Severe malicious harassment: the shop is closed at once'),
  -- 出售假冒商品 (selling counterfeit goods): 2 points per case; 12 when
  -- serious (情节严重); 48 when especially serious (情节特别严重).
  ('taobao', 'counterfeit',         'counterfeit',  2, 0, 'Selling counterfeit goods: 2 points per case'),
  ('taobao', 'counterfeit_serious', 'counterfeit', 12, 0, 'Selling counterfeit goods, serious case: 12 points'),
  ('taobao', 'counterfeit_severe',  'counterfeit', 48, 0, 'Selling counterfeit goods, especially serious case: 48 points'),
  -- 骗取他人财物 (defrauding others of property): 48 points per case.
  ('taobao', 'fraud',               'serious', 48, 0, 'Defrauding others of property: 48 points'),
  -- 盗用他人账户 (using another person''s account): 48 points per case.
  ('taobao', 'account_theft',       'serious', 48, 0, 'Using another person''s account: 48 points'),
  -- 泄露他人信息 (leaking others'' personal information): 6 points per case.
  ('taobao', 'leak_personal_info',  'serious',  6, 0, 'Leaking others'' personal information: 6 points'),
  -- 描述不符 (goods not as described): 3 points per case.
  ('taobao', 'not_as_described',    'general',  3, 0, 'Goods not as described: 3 points'),
  -- 违背承诺 (breaking a service commitment): 4 points per case.
  ('taobao', 'broken_promise',      'general',  4, 0, 'Breaking a service commitment: 4 points');

INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, closes, every) VALUES
  -- 严重违规行为: 12 / 24 / 36 points restrict the shop for 7 / 14 / 21 days,
  -- 48 points seal the account (查封账户) for good.
  ('taobao', 'serious',     12, 'restrict_7d',  7,    0, NULL),
  ('taobao', 'serious',     24, 'restrict_14d', 14,   0, NULL),
  ('taobao', 'serious',     36, 'restrict_21d', 21,   0, NULL),
  ('taobao', 'serious',     48, 'seal_account', NULL, 1, NULL),
  -- 出售假冒商品: the same steps on its own balance. A balance carried into
  -- a new year fires nothing by itself: a step fires when a new case crosses it.
  ('taobao', 'counterfeit', 12, 'restrict_7d',  7,    0, NULL),
  ('taobao', 'counterfeit', 24, 'restrict_14d', 14,   0, NULL),
  ('taobao', 'counterfeit', 36, 'restrict_21d', 21,   0, NULL),
  ('taobao', 'counterfeit', 48, 'seal_account', NULL, 1, NULL),
  -- 一般违规行为: every 12 points (12, 24, 36, ... no upper limit): the shop
  -- is shielded (屏蔽) for 7 days.
  ('taobao', 'general',     12, 'restrict_7d',  7,    0, 12);

-- Seller credit levels (信用等级): 20 levels from the seller's credit score.
INSERT INTO penalty_level(ruleset, min_credit, label) VALUES
  ('taobao', 4, '1 heart'),        ('taobao', 11, '2 hearts'),       ('taobao', 41, '3 hearts'),
  ('taobao', 91, '4 hearts'),      ('taobao', 151, '5 hearts'),
  ('taobao', 251, '1 diamond'),    ('taobao', 501, '2 diamonds'),    ('taobao', 1001, '3 diamonds'),
  ('taobao', 2001, '4 diamonds'),  ('taobao', 5001, '5 diamonds'),
  ('taobao', 10001, '1 crown'),    ('taobao', 20001, '2 crowns'),    ('taobao', 50001, '3 crowns'),
  ('taobao', 100001, '4 crowns'),  ('taobao', 200001, '5 crowns'),
  ('taobao', 500001, '1 gold crown'),    ('taobao', 1000001, '2 gold crowns'),
  ('taobao', 2000001, '3 gold crowns'),  ('taobao', 5000001, '4 gold crowns'),
  ('taobao', 10000001, '5 gold crowns');

RELEASE penalty_preset_taobao;
