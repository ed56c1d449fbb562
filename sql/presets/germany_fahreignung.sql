-- germany_fahreignung.sql — Germany's driver fitness points system
-- (Fahreignungs-Bewertungssystem, "Punkte in Flensburg") as a ruleset.
--
-- Plain SQL; run after SELECT penalty_install(); running it again replaces
-- the ruleset 'germany_fahreignung'.
--
-- Source: Straßenverkehrsgesetz (StVG) § 4 (the system and its measures) and
-- § 29 (Tilgungsfristen), in force since 1 May 2014; the point values of
-- Anlage 13 zur Fahrerlaubnis-Verordnung (FeV) and the Bußgeldkatalog:
--   * 1 point: an administrative offence that impairs road safety
--     (verkehrssicherheitsbeeinträchtigende Ordnungswidrigkeit); it is
--     erased after 2 years and 6 months ('30 months');
--   * 2 points: a particularly dangerous administrative offence, or a
--     criminal traffic offence without withdrawal of the licence; erased
--     after 5 years ('5 years');
--   * 3 points: a criminal traffic offence for which the court withdrew the
--     licence; erased after 10 years ('10 years');
--   * each entry expires on its own (no Tilgungshemmung since 2014), and the
--     points make one lifetime balance: a 'lifetime' track whose points
--     leave it through each code's expires_days;
--   * 4 or 5 points: Ermahnung (a written admonition); 6 or 7 points:
--     Verwarnung (a written warning); 8 points or more: the licence is
--     withdrawn (Entziehung der Fahrerlaubnis).
-- Simplified:
--   * the periods run from the offence date; under § 29 they run from the
--     day the decision became final (Rechtskraft), and an erased entry is
--     kept one more year (Überliegefrist) for offences committed before
--     its erasure; store the date of Rechtskraft as occurred_at to follow
--     the law more closely;
--   * Ermahnung and Verwarnung are letters, not lasting measures: days 0
--     (the ledger shows them; a standing never has them active);
--   * the withdrawal closes the record (closes = 1, indefinite): § 4
--     erases the points with it, and a new licence (after at least 6
--     months and a medical-psychological assessment) starts a new record;
--   * a 3-point offence is one for which a court withdrew the licence; that
--     withdrawal is the court's, outside the points system, and is not a
--     sanction here (the record, and the 3 points, go on);
--   * not modelled: the step rule (§ 4 Abs. 6: reaching 6 or 8 points
--     without the previous letter reduces the balance to 5 or 7), and the
--     one-point reduction for a voluntary driver fitness seminar
--     (Fahreignungsseminar, § 4 Abs. 7), which applies only at 1 to 5
--     points, a condition rules cannot express.

SAVEPOINT penalty_preset_germany;

DELETE FROM penalty_level           WHERE ruleset = 'germany_fahreignung';
DELETE FROM penalty_sanction_repeat WHERE ruleset = 'germany_fahreignung';
DELETE FROM penalty_threshold       WHERE ruleset = 'germany_fahreignung';
DELETE FROM penalty_repeat          WHERE ruleset = 'germany_fahreignung';
DELETE FROM penalty_violation       WHERE ruleset = 'germany_fahreignung';
DELETE FROM penalty_carry           WHERE ruleset = 'germany_fahreignung';
DELETE FROM penalty_track           WHERE ruleset = 'germany_fahreignung';
DELETE FROM penalty_ruleset         WHERE ruleset = 'germany_fahreignung';

-- Local time is CET (+01:00, no summer time in the model): calendar periods
-- (30 months, 5 and 10 years) are counted from the local date.
INSERT INTO penalty_ruleset(ruleset, tz_offset, repeat_days, description) VALUES
  ('germany_fahreignung', '+01:00', NULL, 'Germany, Fahreignungs-Bewertungssystem (StVG § 4): points expire after 2.5, 5 or 10 years; 8 points withdraw the licence');

INSERT INTO penalty_track(ruleset, track, period, period_days) VALUES
  ('germany_fahreignung', 'punkte', 'lifetime', NULL);   -- one balance; each entry leaves it when it is erased

INSERT INTO penalty_violation(ruleset, code, track, points, expires_days, description) VALUES
  -- 1 point, erased after 2 years 6 months (§ 29 Abs. 1 Nr. 1 StVG):
  -- speeding 21-30 km/h inside built-up areas (BKat 11.3.4).
  ('germany_fahreignung', 'speeding_21_30_urban',   'punkte', 1, '30 months', 'Speeding 21-30 km/h inside built-up areas'),
  -- 1 point: using a hand-held phone while driving (§ 23 Abs. 1a StVO, BKat 246.1).
  ('germany_fahreignung', 'phone_while_driving',    'punkte', 1, '30 months', 'Using a hand-held phone while driving'),
  -- 2 points, erased after 5 years (§ 29 Abs. 1 Nr. 2 StVG): running a red
  -- light that had been red for more than one second (BKat 132.3).
  ('germany_fahreignung', 'red_light_over_1s',      'punkte', 2, '5 years',   'Running a red light red for more than 1 second'),
  -- 2 points: driving with 0.5 per mille of alcohol or more (§ 24a StVG, an
  -- administrative offence; BKat 241).
  ('germany_fahreignung', 'alcohol_0_5_permille',   'punkte', 2, '5 years',   'Driving with 0.5 per mille or more (administrative offence)'),
  -- 2 points: a criminal traffic offence without withdrawal of the licence,
  -- e.g. leaving the scene of an accident (§ 142 StGB) with a driving ban only.
  ('germany_fahreignung', 'crime_without_withdrawal', 'punkte', 2, '5 years', 'Criminal traffic offence, licence not withdrawn'),
  -- 3 points, erased after 10 years (§ 29 Abs. 1 Nr. 3 StVG): a criminal
  -- offence for which the licence was withdrawn, e.g. drunk driving (§ 316 StGB)
  -- or endangering road traffic (§ 315c StGB).
  ('germany_fahreignung', 'crime_with_withdrawal',  'punkte', 3, '10 years',  'Criminal traffic offence, licence withdrawn');

INSERT INTO penalty_threshold(ruleset, track, points, sanction, days, closes) VALUES
  ('germany_fahreignung', 'punkte', 4, 'ermahnung',         0,    0),  -- 4-5 points: admonition (§ 4 Abs. 5 Nr. 1)
  ('germany_fahreignung', 'punkte', 6, 'verwarnung',        0,    0),  -- 6-7 points: warning (§ 4 Abs. 5 Nr. 2)
  ('germany_fahreignung', 'punkte', 8, 'licence_withdrawn', NULL, 1);  -- 8 points: licence withdrawn (§ 4 Abs. 5 Nr. 3)

RELEASE penalty_preset_germany;
