-- aliexpress.sql — AliExpress's intellectual property infringement points
-- and serious-infringement strikes as a ruleset.
--
-- Plain SQL; run after SELECT penalty_install(); running it again replaces
-- the ruleset 'aliexpress'.
--
-- Source: AliExpress Rules, "Intellectual Property Infringement Rules"
-- (知识产权规则) and the penalty points scale for IP and prohibited goods
-- (知识产权禁限售违规), as published for sellers:
--   * a general infringement (一般侵权: trademark, copyright or patent): the
--     first violation of a kind scores 0 points, every later one 6 points;
--   * all general violations of one day together score at most 6 points
--     (daily_cap 6);
--   * a serious infringement (严重侵权, e.g. a counterfeit of a registered
--     mark) is a strike; all serious violations within 3 days count as one
--     (merge_days '3 days' on the serious track); three serious violations
--     close the account, whatever the kinds of infringement;
--   * each violation is valid for 365 days from the penalty (rolling
--     '365 days' on both tracks);
--   * points: 6 restrict product operations for 3 days, 12 freeze the
--     account for 7 days, 24 for 14 days, 36 for 30 days, 48 close it.
-- Simplified, or not from the rule text:
--   * the first and second serious strikes freeze the account for 1 and 7
--     days as AliExpress's seller help answers describe; the rule text we
--     follow says only that three close the account;
--   * "one day" is a day in Beijing time (+08:00): the rules do not say
--     which clock; the 3-day window is counted from the first counted
--     violation (a merged one opens no window of its own);
--   * the steps of the points scale (6, 12, 24, 36, 48) are as we have
--     them from AliExpress's points table, which changes from time to time:
--     check them against the current rules before relying on them;
--   * the 2-point "severe warning" step is left out (general violations
--     score 0 or 6, so a 2 would always fire together with the 6);
--   * the first-violation warning is per kind of infringement (one per
--     code) over the seller's whole history;
--   * the dates are those of the penalty (the complaint upheld).

SAVEPOINT penalty_preset_aliexpress;

DELETE FROM penalty_level           WHERE ruleset = 'aliexpress';
DELETE FROM penalty_sanction_repeat WHERE ruleset = 'aliexpress';
DELETE FROM penalty_threshold       WHERE ruleset = 'aliexpress';
DELETE FROM penalty_repeat          WHERE ruleset = 'aliexpress';
DELETE FROM penalty_violation       WHERE ruleset = 'aliexpress';
DELETE FROM penalty_carry           WHERE ruleset = 'aliexpress';
DELETE FROM penalty_track           WHERE ruleset = 'aliexpress';
DELETE FROM penalty_ruleset         WHERE ruleset = 'aliexpress';

INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days, description) VALUES
  ('aliexpress', '+08:00', NULL, 'AliExpress IP infringement: general points capped at 6 a day, serious strikes within 3 days count once, 3 strikes close');

INSERT INTO penalty_track(ruleset, track, period, period_days, daily_cap, merge_days) VALUES
  ('aliexpress', 'general', 'rolling', '365 days', 6,    NULL),       -- general violations: at most 6 points a day
  ('aliexpress', 'serious', 'rolling', '365 days', NULL, '3 days');   -- serious violations within 3 days: one strike

INSERT INTO penalty_violation(ruleset, code, track, points, closes, description) VALUES
  -- 商标侵权, general: other unauthorised use of another's trademark.
  ('aliexpress', 'trademark_general', 'general', 6, 0, 'Trademark infringement, general: 0 points the first time, then 6'),
  -- 著作权侵权, general: unauthorised use of copyrighted images, text, designs.
  ('aliexpress', 'copyright_general', 'general', 6, 0, 'Copyright infringement, general: 0 points the first time, then 6'),
  -- 专利侵权, general: a design, utility model or invention patent infringed.
  ('aliexpress', 'patent_general',    'general', 6, 0, 'Patent infringement, general: 0 points the first time, then 6'),
  -- 商标侵权, serious: an identical or similar mark on the same goods without
  -- the owner's permission (counterfeits): one strike.
  ('aliexpress', 'trademark_serious', 'serious', 1, 0, 'Trademark infringement, serious: one strike'),
  -- 著作权侵权, serious: unauthorised copies of a work (pirated goods): one strike.
  ('aliexpress', 'copyright_serious', 'serious', 1, 0, 'Copyright infringement, serious: one strike'),
  -- 专利侵权, serious (decided case by case): one strike.
  ('aliexpress', 'patent_serious',    'serious', 1, 0, 'Patent infringement, serious: one strike');

-- 首次违规扣0分, 其后每次重复违规扣6分: the first violation of a kind is free.
INSERT INTO penalty_repeat(ruleset, code, nth, points) VALUES
  ('aliexpress', 'trademark_general', 1, 0), ('aliexpress', 'trademark_general', 2, 6),
  ('aliexpress', 'copyright_general', 1, 0), ('aliexpress', 'copyright_general', 2, 6),
  ('aliexpress', 'patent_general',    1, 0), ('aliexpress', 'patent_general',    2, 6);

INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, closes) VALUES
  ('aliexpress', 'general',  6, 'restrict_products_3d', 3,    0),  -- 限制商品操作3天
  ('aliexpress', 'general', 12, 'freeze_7d',            7,    0),  -- 冻结账号7天
  ('aliexpress', 'general', 24, 'freeze_14d',           14,   0),  -- 冻结账号14天
  ('aliexpress', 'general', 36, 'freeze_30d',           30,   0),  -- 冻结账号30天
  ('aliexpress', 'general', 48, 'close_account',        NULL, 1),  -- 关闭账号
  ('aliexpress', 'serious',  1, 'freeze_1d',            1,    0),  -- first serious strike (seller help answers)
  ('aliexpress', 'serious',  2, 'freeze_7d',            7,    0),  -- second serious strike (seller help answers)
  ('aliexpress', 'serious',  3, 'close_account',        NULL, 1);  -- 三次违规者关闭账号

RELEASE penalty_preset_aliexpress;
