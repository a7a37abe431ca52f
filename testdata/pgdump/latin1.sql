-- Source of sql/pgdump/testdata/latin1.in (scripts/pgdump-samples.sh, which
-- dumps it with pg_dump -E LATIN1): addresses with Latin-1 letters.
CREATE SCHEMA symVCC;
CREATE TABLE symVCC.symConferenceUserTempl (
    ID integer NOT NULL PRIMARY KEY,
    InvitationAddress varchar(255)
);
INSERT INTO symVCC.symConferenceUserTempl VALUES
    (1, 'ÄRGER@BEISPIEL.DE'),
    (2, 'ÉCOLE@X.FR'),
    (3, 'àlready@x.fr');
