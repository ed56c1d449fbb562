-- schema.sql — the penalty rule tables (docs/model.md §2).
--
-- penalty_install() runs exactly this text (it is embedded at build time),
-- so running this file by hand is the same as calling penalty_install().
-- CHECK constraints say what SQL can say; penalty_check(ruleset) reports
-- every rule, including those SQL cannot check (tracks that exist,
-- timestamps that parse, offsets within 14:00).

CREATE TABLE IF NOT EXISTS penalty_ruleset(
  ruleset     TEXT NOT NULL PRIMARY KEY,
  tz_offset   TEXT NOT NULL DEFAULT '+00:00'      -- calendar periods in this UTC offset
              CHECK (tz_offset GLOB '[+-][0-9][0-9]:[0-5][0-9]'),
  repeat_days INTEGER                             -- look-back for repeats and prior record; NULL: whole history
              CHECK (repeat_days IS NULL OR (typeof(repeat_days) = 'integer' AND repeat_days >= 0)),
  description TEXT
);

CREATE TABLE IF NOT EXISTS penalty_track(
  ruleset     TEXT NOT NULL,
  track       TEXT NOT NULL,
  period      TEXT NOT NULL
              CHECK (period IN ('year', 'quarter', 'month', 'rolling', 'lifetime')),
  period_days INTEGER                             -- required (> 0) for 'rolling' only
              CHECK (period <> 'rolling' OR (typeof(period_days) = 'integer' AND period_days > 0)),
  PRIMARY KEY (ruleset, track)
);

CREATE TABLE IF NOT EXISTS penalty_violation(
  ruleset     TEXT NOT NULL,
  code        TEXT NOT NULL,
  valid_from  NOT NULL DEFAULT '0001-01-01',      -- no type: a timestamp of any accepted form; this version applies to events at or after it
  track       TEXT NOT NULL,
  points      INTEGER NOT NULL CHECK (typeof(points) = 'integer' AND points >= 0),
  closes      INTEGER NOT NULL DEFAULT 0 CHECK (closes IN (0, 1)),
  min_prior   INTEGER NOT NULL DEFAULT 0 CHECK (typeof(min_prior) = 'integer' AND min_prior >= 0),
  description TEXT,
  PRIMARY KEY (ruleset, code, valid_from)
);

CREATE TABLE IF NOT EXISTS penalty_repeat(
  ruleset     TEXT NOT NULL,
  code        TEXT NOT NULL,
  nth         INTEGER NOT NULL CHECK (typeof(nth) = 'integer' AND nth >= 1),
  points      INTEGER NOT NULL CHECK (typeof(points) = 'integer' AND points >= 0),
  PRIMARY KEY (ruleset, code, nth)
);

CREATE TABLE IF NOT EXISTS penalty_threshold(
  ruleset     TEXT NOT NULL,
  track       TEXT NOT NULL,
  points      INTEGER NOT NULL CHECK (typeof(points) = 'integer' AND points > 0),
  sanction    TEXT NOT NULL,
  days        INTEGER                             -- NULL: indefinite
              CHECK (days IS NULL OR (typeof(days) = 'integer' AND days >= 0)),
  closes      INTEGER NOT NULL DEFAULT 0 CHECK (closes IN (0, 1)),
  PRIMARY KEY (ruleset, track, points)
);

CREATE TABLE IF NOT EXISTS penalty_level(
  ruleset     TEXT NOT NULL,
  min_credit  INTEGER NOT NULL CHECK (typeof(min_credit) = 'integer'),
  label       TEXT NOT NULL,
  PRIMARY KEY (ruleset, min_credit)
);
