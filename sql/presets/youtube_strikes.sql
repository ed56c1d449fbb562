-- youtube_strikes.sql — YouTube's Community Guidelines strikes as a ruleset.
--
-- Plain SQL; run after SELECT penalty_install(); running it again replaces
-- the ruleset 'youtube_strikes'.
--
-- Source: YouTube Help, "Community Guidelines strike basics":
--   * the first violation of a channel is a warning, with no penalty;
--   * after that each violation is a strike; a strike expires 90 days after
--     it was issued;
--   * 1 strike: a one-week freeze on uploading; 2 strikes in 90 days: a
--     two-week freeze; 3 strikes in 90 days: the channel is terminated;
--   * a single case of severe abuse terminates the channel at once.
-- Modelled as: strikes on a rolling 90-day track; the warning is a
-- penalty_repeat row nth = 1 worth 0 points (repeat_days NULL: the warning is
-- given once in the channel's whole history); thresholds 1, 2, 3.

SAVEPOINT penalty_preset_youtube;

DELETE FROM penalty_level     WHERE ruleset = 'youtube_strikes';
DELETE FROM penalty_threshold WHERE ruleset = 'youtube_strikes';
DELETE FROM penalty_repeat    WHERE ruleset = 'youtube_strikes';
DELETE FROM penalty_violation WHERE ruleset = 'youtube_strikes';
DELETE FROM penalty_track     WHERE ruleset = 'youtube_strikes';
DELETE FROM penalty_ruleset   WHERE ruleset = 'youtube_strikes';

INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days, description) VALUES
  ('youtube_strikes', '+00:00', NULL, 'YouTube Community Guidelines: a one-time warning, then strikes that last 90 days');

INSERT INTO penalty_track(ruleset, track, period, period_days) VALUES
  ('youtube_strikes', 'strikes', 'rolling', 90);

INSERT INTO penalty_violation(ruleset, code, track, points, closes, description) VALUES
  ('youtube_strikes', 'community_guidelines', 'strikes', 1, 0, 'A Community Guidelines violation: one strike (the first is a warning)'),
  ('youtube_strikes', 'severe_abuse',         'strikes', 1, 1, 'A single case of severe abuse: termination');

-- The first violation is a warning (0 points); from the second on, a strike.
INSERT INTO penalty_repeat(ruleset, code, nth, points) VALUES
  ('youtube_strikes', 'community_guidelines', 1, 0),
  ('youtube_strikes', 'community_guidelines', 2, 1);

INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, closes) VALUES
  ('youtube_strikes', 'strikes', 1, 'upload_freeze_7d',  7,    0),
  ('youtube_strikes', 'strikes', 2, 'upload_freeze_14d', 14,   0),
  ('youtube_strikes', 'strikes', 3, 'termination',       NULL, 1);

RELEASE penalty_preset_youtube;
