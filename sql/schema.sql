-- schema.sql — the penalty rule tables (docs/model.md §2).
--
-- penalty_install() runs exactly this text (it is embedded at build time),
-- so running this file by hand on a new database is the same as calling
-- penalty_install(). On a database whose rule tables an older release
-- created, penalty_install() also upgrades them to these definitions,
-- keeping their rows (running this file by hand does not).
-- CHECK constraints say what SQL can say; penalty_check(ruleset) reports
-- every rule, including those SQL cannot check (tracks that exist,
-- timestamps and durations that parse, offsets within 14:00).
--
-- A duration column (repeat_days, period_days, days, expires_days,
-- merge_days, clean_days, restore_days) holds INTEGER days or TEXT 'n unit' (docs/model.md §1.4).

CREATE TABLE IF NOT EXISTS penalty_ruleset(
  ruleset     TEXT NOT NULL PRIMARY KEY,
  tz_offset   TEXT NOT NULL DEFAULT '+00:00'      -- calendar periods in this UTC offset
              CHECK (tz_offset GLOB '[+-][0-9][0-9]:[0-5][0-9]'),
  repeat_days                                     -- duration: look-back for repeats and prior record; NULL: whole history
              CHECK (repeat_days IS NULL OR typeof(repeat_days) = 'text'
                     OR (typeof(repeat_days) = 'integer' AND repeat_days >= 0)),
  description TEXT,
  prior_scope TEXT NOT NULL DEFAULT 'seller'      -- 'seller' | 'cluster': whose events make the prior record
              CHECK (prior_scope IN ('seller', 'cluster')),
  link_closes INTEGER NOT NULL DEFAULT 0          -- 1: a linked seller's closure closes this seller too
              CHECK (link_closes IN (0, 1))
);

CREATE TABLE IF NOT EXISTS penalty_track(
  ruleset     TEXT NOT NULL,
  track       TEXT NOT NULL,
  period      TEXT NOT NULL
              CHECK (period IN ('year', 'quarter', 'month', 'rolling', 'lifetime', 'cycle')),
  period_days                                     -- duration, required for 'rolling' and 'cycle' only
              CHECK (period NOT IN ('rolling', 'cycle') OR typeof(period_days) = 'text'
                     OR (typeof(period_days) = 'integer' AND period_days > 0)),
  daily_cap   INTEGER                             -- most points the track takes per local day; NULL: no cap
              CHECK (daily_cap IS NULL OR (typeof(daily_cap) = 'integer' AND daily_cap > 0)),
  merge_days                                      -- duration: events of the track within it count as one
              CHECK (merge_days IS NULL OR typeof(merge_days) = 'text'
                     OR (typeof(merge_days) = 'integer' AND merge_days > 0)),
  PRIMARY KEY (ruleset, track)
);

CREATE TABLE IF NOT EXISTS penalty_carry(
  ruleset     TEXT NOT NULL,
  track       TEXT NOT NULL,
  min_points  INTEGER NOT NULL CHECK (typeof(min_points) = 'integer' AND min_points > 0),
  carry       INTEGER                             -- the next period's opening balance; NULL: the whole balance
              CHECK (carry IS NULL OR (typeof(carry) = 'integer' AND carry >= 0 AND carry <= min_points)),
  PRIMARY KEY (ruleset, track, min_points)
);

CREATE TABLE IF NOT EXISTS penalty_violation(
  ruleset     TEXT NOT NULL,
  code        TEXT NOT NULL,
  valid_from  NOT NULL DEFAULT '0001-01-01',      -- no type: a timestamp of any accepted form; this version applies to events at or after it
  track       TEXT NOT NULL,
  points      INTEGER NOT NULL CHECK (typeof(points) = 'integer'),  -- negative: a credit code
  closes      INTEGER NOT NULL DEFAULT 0 CHECK (closes IN (0, 1)),
  min_prior   INTEGER NOT NULL DEFAULT 0 CHECK (typeof(min_prior) = 'integer' AND min_prior >= 0),
  description TEXT,
  expires_days                                    -- duration: the event's points stop counting after it
              CHECK (expires_days IS NULL OR typeof(expires_days) = 'text'
                     OR (typeof(expires_days) = 'integer' AND expires_days > 0)),
  merge_days                                      -- duration: a repeat of the code within it counts as one
              CHECK (merge_days IS NULL OR typeof(merge_days) = 'text'
                     OR (typeof(merge_days) = 'integer' AND merge_days > 0)),
  clean_days                                      -- duration: the track's record heals after it without an offence
              CHECK (clean_days IS NULL OR typeof(clean_days) = 'text'
                     OR (typeof(clean_days) = 'integer' AND clean_days > 0)),
  restore_days                                    -- duration: this event's points go after it without an offence
              CHECK (restore_days IS NULL OR typeof(restore_days) = 'text'
                     OR (typeof(restore_days) = 'integer' AND restore_days > 0)),
  PRIMARY KEY (ruleset, code, valid_from)
);

CREATE TABLE IF NOT EXISTS penalty_repeat(
  ruleset     TEXT NOT NULL,
  code        TEXT NOT NULL,
  nth         INTEGER NOT NULL CHECK (typeof(nth) = 'integer' AND nth >= 1),
  points      INTEGER NOT NULL CHECK (typeof(points) = 'integer'),
  PRIMARY KEY (ruleset, code, nth)
);

CREATE TABLE IF NOT EXISTS penalty_threshold(
  ruleset     TEXT NOT NULL,
  track       TEXT NOT NULL,
  points      INTEGER NOT NULL CHECK (typeof(points) = 'integer' AND points > 0),
  sanction    TEXT NOT NULL,
  days                                            -- duration of the sanction; NULL: indefinite
              CHECK (days IS NULL OR typeof(days) = 'text' OR (typeof(days) = 'integer' AND days >= 0)),
  closes      INTEGER NOT NULL DEFAULT 0 CHECK (closes IN (0, 1)),
  every       INTEGER                             -- also fires at points + k * every, k = 1, 2, ...
              CHECK (every IS NULL OR (typeof(every) = 'integer' AND every > 0)),
  reset_to    INTEGER                             -- the track's balance is cut to it; NULL: no reset
              CHECK (reset_to IS NULL OR (typeof(reset_to) = 'integer' AND reset_to >= 0)),
  reset_on    TEXT NOT NULL DEFAULT 'start'       -- the reset at the 'start' or the 'end' of the sanction
              CHECK (reset_on IN ('start', 'end')),
  PRIMARY KEY (ruleset, track, points)
);

CREATE TABLE IF NOT EXISTS penalty_sanction_repeat(
  ruleset     TEXT NOT NULL,                      -- the nth firing of threshold (ruleset, track, points)
  track       TEXT NOT NULL,
  points      INTEGER NOT NULL CHECK (typeof(points) = 'integer' AND points > 0),
  nth         INTEGER NOT NULL CHECK (typeof(nth) = 'integer' AND nth >= 1),
  sanction    TEXT NOT NULL,
  days                                            -- duration of the sanction; NULL: indefinite
              CHECK (days IS NULL OR typeof(days) = 'text' OR (typeof(days) = 'integer' AND days >= 0)),
  closes      INTEGER NOT NULL DEFAULT 0 CHECK (closes IN (0, 1)),
  PRIMARY KEY (ruleset, track, points, nth)
);

CREATE TABLE IF NOT EXISTS penalty_level(
  ruleset     TEXT NOT NULL,
  min_credit  INTEGER NOT NULL CHECK (typeof(min_credit) = 'integer'),
  label       TEXT NOT NULL,
  PRIMARY KEY (ruleset, min_credit)
);
