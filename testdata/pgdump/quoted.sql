-- Source of sql/pgdump/testdata/quoted.in (scripts/pgdump-samples.sh): the UCC
-- tables created with quoted mixed-case names, columns in another order.
CREATE SCHEMA "symVCC";
CREATE SCHEMA "symConferencing";
CREATE TABLE "symVCC"."symConferenceUserTempl" (
    "ID" integer NOT NULL PRIMARY KEY,
    "InvitationAddress" varchar(255),
    "Name" text
);
CREATE TABLE "symConferencing"."Invitees" (
    "InvitationAddress" varchar(255),
    "ID" integer NOT NULL PRIMARY KEY
);
INSERT INTO "symVCC"."symConferenceUserTempl" VALUES (1, 'Mixed@Case.DE', 'Keep Me');
INSERT INTO "symConferencing"."Invitees" VALUES ('ZOË@X.COM', 1);
