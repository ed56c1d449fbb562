-- youtube_strikes.sql — YouTube's Community Guidelines strikes as a ruleset.
--
-- Plain SQL; run after SELECT penalty_install(); running it again replaces
-- the ruleset 'youtube_strikes'.
--
-- Source: YouTube Help, "Community Guidelines strike basics on YouTube":
--   * the first violation is a warning, with no penalty to the channel; the
--     warning expires after 90 days, after which a new violation is again
--     met with a warning;
--   * a violation while a warning or strike is on the channel is a strike;
--     a strike expires 90 days after it was issued;
--   * 1 strike: a one-week freeze on uploading; 2 strikes in 90 days: a
--     two-week freeze; 3 strikes in 90 days: the channel is terminated;
--   * a single case of severe abuse terminates the channel at once.
-- Modelled as: strikes on a rolling '90 days' track; repeat_days '90 days'
-- and a penalty_repeat row nth = 1 worth 0 points: a violation with no other
-- violation of the channel in the 90 days before it is a warning, every
-- other one a strike; thresholds 1, 2, 3.
-- Simplified: YouTube lets the warning expire only after the channel takes
-- a policy training, and a violation of the same policy within the 90 days
-- keeps the warning from expiring; here the training is taken, and any
-- violation counts (every code shares one warning). A freeze runs from the
-- violation's time.

SAVEPOINT penalty_preset_youtube;

DELETE FROM penalty_level           WHERE ruleset = 'youtube_strikes';
DELETE FROM penalty_sanction_repeat WHERE ruleset = 'youtube_strikes';
DELETE FROM penalty_threshold       WHERE ruleset = 'youtube_strikes';
DELETE FROM penalty_repeat          WHERE ruleset = 'youtube_strikes';
DELETE FROM penalty_violation       WHERE ruleset = 'youtube_strikes';
DELETE FROM penalty_carry           WHERE ruleset = 'youtube_strikes';
DELETE FROM penalty_track           WHERE ruleset = 'youtube_strikes';
DELETE FROM penalty_ruleset         WHERE ruleset = 'youtube_strikes';

INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days, description) VALUES
  ('youtube_strikes', '+00:00', '90 days', 'YouTube Community Guidelines: a warning that expires after 90 days, then strikes that last 90 days');

INSERT INTO penalty_track(ruleset, track, period, period_days) VALUES
  ('youtube_strikes', 'strikes', 'rolling', '90 days');   -- a strike expires 90 days after it was issued

INSERT INTO penalty_violation(ruleset, code, track, points, closes, description) VALUES
  ('youtube_strikes', 'community_guidelines', 'strikes', 1, 0, 'A Community Guidelines violation: one strike (a warning when nothing else is on the channel)'),
  ('youtube_strikes', 'severe_abuse',         'strikes', 1, 1, 'A single case of severe abuse: termination');

-- The first violation in 90 days is a warning (0 points); from the second
-- on, a strike. The warning itself is event #1 within the 90 days, so it
-- stops making the next violation a strike once 90 days have passed.
INSERT INTO penalty_repeat(ruleset, code, nth, points) VALUES
  ('youtube_strikes', 'community_guidelines', 1, 0),
  ('youtube_strikes', 'community_guidelines', 2, 1);

INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, closes) VALUES
  ('youtube_strikes', 'strikes', 1, 'upload_freeze_7d',  '1 week',  0),  -- first strike: one-week freeze
  ('youtube_strikes', 'strikes', 2, 'upload_freeze_14d', '2 weeks', 0),  -- second strike in 90 days: two-week freeze
  ('youtube_strikes', 'strikes', 3, 'termination',       NULL,      1);  -- third strike in 90 days: terminated

RELEASE penalty_preset_youtube;
