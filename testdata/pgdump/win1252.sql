-- Source of sql/pgdump/testdata/win1252.in (scripts/pgdump-samples.sh, which
-- dumps it with pg_dump -E WIN1252): letters that code page 1252 has and
-- Latin-1 has not (0x8A Š, 0x8C Œ).
CREATE SCHEMA symVCC;
CREATE TABLE symVCC.symConferenceUserTempl (
    ID integer NOT NULL PRIMARY KEY,
    InvitationAddress varchar(255)
);
INSERT INTO symVCC.symConferenceUserTempl VALUES
    (1, 'ŠKODA@X.CZ'),
    (2, 'ŒUVRE@X.FR');
