-- Source of testdata/backup/SmartBackup/UCC/dump.sql (scripts/pgdump-samples.sh):
-- a small UCC database "mrsdb" as an XPR server with UCC holds it before the
-- upgrade. The schemas, tables and columns are the ones the XPR upgrade
-- manual's UPDATE statements name (symVCC.symConferenceUserTempl and
-- symConferencing.Invitees, column InvitationAddress), created unquoted, with
-- the constraints xdm's collision check reads. Some addresses are mixed case
-- (they need the fix), some are lower case already, a few are NULL; no two of
-- them collide when lowercased, so the fix goes through.
CREATE SCHEMA symVCC;
CREATE SCHEMA symConferencing;

CREATE TABLE symVCC.symConferenceUserTempl (
    ID serial PRIMARY KEY,
    Name varchar(100) NOT NULL,
    InvitationAddress varchar(255),
    Language char(2) NOT NULL DEFAULT 'de',
    Created timestamp without time zone NOT NULL
);
CREATE UNIQUE INDEX symconferenceusertempl_invitationaddress
    ON symVCC.symConferenceUserTempl USING btree (InvitationAddress);

CREATE TABLE symConferencing.Conferences (
    ID serial PRIMARY KEY,
    Subject text NOT NULL,
    StartTime timestamp without time zone NOT NULL,
    DurationMinutes integer NOT NULL DEFAULT 60,
    Organizer varchar(255) NOT NULL
);

CREATE TABLE symConferencing.Invitees (
    ID serial PRIMARY KEY,
    ConferenceID integer NOT NULL REFERENCES symConferencing.Conferences (ID) ON DELETE CASCADE,
    InvitationAddress varchar(255) NOT NULL,
    DisplayName text,
    Role smallint NOT NULL DEFAULT 0,
    CONSTRAINT invitees_conf_addr UNIQUE (ConferenceID, InvitationAddress)
);
CREATE INDEX invitees_conferenceid ON symConferencing.Invitees USING btree (ConferenceID);

INSERT INTO symVCC.symConferenceUserTempl (Name, InvitationAddress, Language, Created) VALUES
    ('Jour fixe Vertrieb', 'Vertrieb@Firma.DE', 'de', '2019-03-04 09:12:00'),
    ('Technik-Runde', 'technik@firma.de', 'de', '2019-03-04 09:15:31'),
    ('Monatsabschluss', 'Buchhaltung@Firma.de', 'de', '2019-05-21 14:02:10'),
    ('Support Escalation', 'Support.Team@Firma.DE', 'en', '2019-06-02 08:00:00'),
    ('Geschäftsleitung', 'Jürgen.Müller@Firma.DE', 'de', '2020-01-13 10:45:00'),
    ('Projekt Straße', 'STRASSENBAU@stadtwerke-ulm.de', 'de', '2020-02-17 16:30:00'),
    ('Schulung', NULL, 'de', '2020-04-01 12:00:00'),
    ('Board Call', 'board@partner.example.com', 'en', '2020-09-30 07:59:59'),
    ('Réunion Paris', 'Équipe.Paris@Firma.FR', 'fr', '2021-02-08 11:11:11'),
    ('Helpdesk', 'helpdesk@firma.de', 'de', '2021-07-19 13:37:00'),
    ('Bereitschaft', 'Bereitschaft@Firma.DE', 'de', '2022-11-07 06:30:00'),
    ('Ausbildung', NULL, 'de', '2023-01-09 08:00:00');

INSERT INTO symConferencing.Conferences (Subject, StartTime, DurationMinutes, Organizer) VALUES
    ('Jour fixe Vertrieb KW 10', '2024-03-04 09:00:00', 30, 'Anna.Schmidt@Firma.DE'),
    ('Technik-Runde März', '2024-03-05 14:00:00', 60, 'Peter.Weber@Firma.DE'),
    ('Quartalsabschluss Q1', '2024-03-28 10:00:00', 90, 'Buchhaltung@Firma.de'),
    ('Partner Review', '2024-04-02 16:00:00', 45, 'Jürgen.Müller@Firma.DE');

INSERT INTO symConferencing.Invitees (ConferenceID, InvitationAddress, DisplayName, Role) VALUES
    (1, 'Anna.Schmidt@Firma.DE', 'Anna Schmidt', 1),
    (1, 'Thomas.Becker@Firma.DE', 'Thomas Becker', 0),
    (1, 'sabine.koch@firma.de', 'Sabine Koch', 0),
    (1, 'Vertrieb@Firma.DE', 'Vertrieb', 0),
    (2, 'Peter.Weber@Firma.DE', 'Peter Weber', 1),
    (2, 'technik@firma.de', 'Technik', 0),
    (2, 'Özlem.Yılmaz@Firma.DE', 'Özlem Yılmaz', 0),
    (2, 'm.hoffmann@extern-it.de', 'Markus Hoffmann (extern)', 0),
    (3, 'Buchhaltung@Firma.de', 'Buchhaltung', 1),
    (3, 'Anna.Schmidt@Firma.DE', 'Anna Schmidt', 0),
    (3, 'STEUERBERATER@KANZLEI-FRANK.DE', 'Kanzlei Frank', 0),
    (4, 'Jürgen.Müller@Firma.DE', 'Jürgen Müller', 1),
    (4, 'John.Smith@Partner.Example.COM', 'John Smith', 0),
    (4, 'board@partner.example.com', 'Board', 0),
    (4, 'Équipe.Paris@Firma.FR', 'Équipe Paris', 0);
