-- Source of sql/pgdump/testdata/utf8.in (scripts/pgdump-samples.sh): the two
-- UCC tables, created unquoted as XPR's setup does, and a table that is not a
-- target, with values that need COPY escapes, NULLs, an empty address and
-- letters outside ASCII.
CREATE SCHEMA symVCC;
CREATE SCHEMA symConferencing;
CREATE TABLE symVCC.symConferenceUserTempl (
    ID integer NOT NULL PRIMARY KEY,
    Name text,
    InvitationAddress varchar(255)
);
CREATE TABLE symConferencing.Invitees (
    ID integer NOT NULL PRIMARY KEY,
    ConferenceID integer,
    InvitationAddress varchar(255)
);
CREATE TABLE public.other (
    id integer,
    InvitationAddress text
);
INSERT INTO symVCC.symConferenceUserTempl VALUES
    (1, 'Alice', 'Alice@Example.COM'),
    (2, 'Bob', 'bob@example.com'),
    (3, NULL, NULL),
    (4, E'Tab\tName', E'TAB\tIN@X.DE'),
    (5, 'NL', E'LINE\nBREAK@X.DE'),
    (6, 'BS', E'BACK\\SLASH@X.DE'),
    (7, 'Upper', 'ABC@X.DE'),
    (8, 'Mixed', 'Abc@X.DE'),
    (9, 'DÄ', 'ÄRGER@BEISPIEL.DE'),
    (10, 'S', 'STRAßE@X.DE'),
    (11, 'G', 'ΣΟΦΙΑΣ@X.GR'),
    (12, 'Lower', 'unchanged@x.de'),
    (13, 'E', '');
INSERT INTO symConferencing.Invitees VALUES
    (1, 10, 'Carol@X.COM'),
    (2, NULL, 'DAVE@X.COM');
INSERT INTO public.other VALUES (1, 'KEEP@X.DE');
