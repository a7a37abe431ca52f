package pg

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/xdm-migrate/xdm/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// schemaUnquoted is the UCC schema as created without quotes: PostgreSQL
// folds every name to lower case.
const schemaUnquoted = `
CREATE SCHEMA symVCC;
CREATE TABLE symVCC.symConferenceUserTempl (ID int PRIMARY KEY, Name text, InvitationAddress varchar(255));
CREATE SCHEMA symConferencing;
CREATE TABLE symConferencing.Invitees (ID int PRIMARY KEY, ConferenceID int, InvitationAddress varchar(255),
  CONSTRAINT invitees_conf_addr UNIQUE (ConferenceID, InvitationAddress));
`

// schemaQuoted keeps the mixed-case names.
const schemaQuoted = `
CREATE SCHEMA "symVCC";
CREATE TABLE "symVCC"."symConferenceUserTempl" ("ID" int PRIMARY KEY, "Name" text, "InvitationAddress" varchar(255));
CREATE SCHEMA "symConferencing";
CREATE TABLE "symConferencing"."Invitees" ("ID" int PRIMARY KEY, "ConferenceID" int, "InvitationAddress" varchar(255),
  CONSTRAINT "Invitees_Conf_Addr" UNIQUE ("ConferenceID", "InvitationAddress"));
`

func connect(t *testing.T, c *pgtest.Cluster, db string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), c.DSN(db))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// column returns "id=value" lines of a table, NULL as NULL, in id order.
func column(t *testing.T, c *pgtest.Cluster, db, table, id, col string) string {
	t.Helper()
	return c.Psql(t, db, "SELECT "+id+" || '=' || coalesce("+col+", 'NULL') FROM "+table+" ORDER BY "+id)
}

func TestLowercaseUnquotedSchema(t *testing.T) {
	c := pgtest.Shared(t)
	db := c.CreateDB(t, "ucc_unquoted")
	c.Psql(t, db, schemaUnquoted+`
INSERT INTO symVCC.symConferenceUserTempl VALUES
  (1, 'n', 'Alice@Example.COM'), (2, 'n', 'bob@example.com'), (3, 'n', NULL),
  (4, 'n', 'ÄRGER@Beispiel.DE'), (5, 'n', 'STRAßE@X.DE'), (6, 'n', 'ΣΟΦΙΑΣ@X.GR'), (7, 'n', '');
INSERT INTO symConferencing.Invitees VALUES (1, 10, 'Carol@X.COM'), (2, 10, NULL), (3, 11, 'carol@x.com'), (4, 10, 'dave@x.com');
`)
	conn := connect(t, c, db)
	rep, err := Lowercase(context.Background(), conn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Committed || len(rep.Tables) != 2 {
		t.Fatalf("report %+v", rep)
	}
	want := []TableResult{
		{Schema: "symvcc", Table: "symconferenceusertempl", Column: "invitationaddress", Rows: 4},
		{Schema: "symconferencing", Table: "invitees", Column: "invitationaddress", Rows: 1},
	}
	for i, w := range want {
		g := rep.Tables[i]
		if !g.Found || g.Schema != w.Schema || g.Table != w.Table || g.Column != w.Column || g.Rows != w.Rows {
			t.Errorf("table %d: got %+v, want %+v", i, g, w)
		}
	}
	got := column(t, c, db, "symvcc.symconferenceusertempl", "id", "invitationaddress")
	// C.UTF-8 (libc towlower): per character, so the final Σ becomes σ, ß stays.
	wantRows := "1=alice@example.com\n2=bob@example.com\n3=NULL\n4=ärger@beispiel.de\n5=straße@x.de\n6=σοφιασ@x.gr\n7=\n"
	if got != wantRows {
		t.Errorf("after lowercase:\n%s\nwant:\n%s", got, wantRows)
	}
	if got := column(t, c, db, "symconferencing.invitees", "id", "invitationaddress"); got != "1=carol@x.com\n2=NULL\n3=carol@x.com\n4=dave@x.com\n" {
		t.Errorf("invitees after lowercase:\n%s", got)
	}

	again, err := Lowercase(context.Background(), conn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Changed() != 0 {
		t.Errorf("second run changed %d rows, want a no-op", again.Changed())
	}
}

func TestLowercaseQuotedSchemaDryRun(t *testing.T) {
	c := pgtest.Shared(t)
	db := c.CreateDB(t, "ucc_quoted")
	c.Psql(t, db, schemaQuoted+`
INSERT INTO "symVCC"."symConferenceUserTempl" VALUES (1, 'n', 'Bob@X.COM'), (2, 'n', 'ann@x.com'), (3, 'n', 'ZOË@X.COM');
INSERT INTO "symConferencing"."Invitees" VALUES (1, 1, 'EVE@X.COM');
`)
	conn := connect(t, c, db)
	before := column(t, c, db, `"symVCC"."symConferenceUserTempl"`, `"ID"`, `"InvitationAddress"`)
	rep, err := Lowercase(context.Background(), conn, Options{DryRun: true, SampleSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Committed || rep.Changed() != 3 {
		t.Fatalf("dry run: committed %v, changed %d, want false, 3", rep.Committed, rep.Changed())
	}
	vcc := rep.Tables[0]
	if vcc.Schema != "symVCC" || vcc.Table != "symConferenceUserTempl" || vcc.Column != "InvitationAddress" || vcc.Rows != 2 {
		t.Errorf("found %+v", vcc)
	}
	if len(vcc.Sample) != 1 || vcc.Sample[0] != (Change{Old: "Bob@X.COM", New: "bob@x.com"}) {
		t.Errorf("sample %+v", vcc.Sample)
	}
	if after := column(t, c, db, `"symVCC"."symConferenceUserTempl"`, `"ID"`, `"InvitationAddress"`); after != before {
		t.Errorf("dry run changed the table:\n%s\nwas:\n%s", after, before)
	}

	rep, err = Lowercase(context.Background(), conn, Options{})
	if err != nil || rep.Changed() != 3 {
		t.Fatalf("real run: %v, changed %d", err, rep.Changed())
	}
	if got := column(t, c, db, `"symVCC"."symConferenceUserTempl"`, `"ID"`, `"InvitationAddress"`); got != "1=bob@x.com\n2=ann@x.com\n3=zoë@x.com\n" {
		t.Errorf("after:\n%s", got)
	}
}

func TestLowercaseCollisionsChangeNothing(t *testing.T) {
	c := pgtest.Shared(t)
	db := c.CreateDB(t, "ucc_collide")
	c.Psql(t, db, schemaUnquoted+`
CREATE UNIQUE INDEX vcc_addr ON symVCC.symConferenceUserTempl (InvitationAddress);
CREATE UNIQUE INDEX vcc_addr_lower ON symVCC.symConferenceUserTempl (lower(InvitationAddress));
CREATE UNIQUE INDEX vcc_name_partial ON symVCC.symConferenceUserTempl (Name) WHERE InvitationAddress LIKE '%@corp%';
INSERT INTO symVCC.symConferenceUserTempl VALUES (1, 'x', 'Ann@Corp.com'), (2, 'x', 'bob@Corp.com'), (3, 'y', 'CY@home'), (4, 'y', NULL), (5, 'z', NULL);
INSERT INTO symConferencing.Invitees VALUES
  (1, 10, 'Ann@X.COM'), (2, 10, 'ann@x.com'),    -- same conference: collide
  (3, 11, 'Bob@X.COM'), (4, 12, 'bob@x.com'),    -- different conferences: fine
  (5, NULL, 'Eve@X.COM'), (6, NULL, 'eve@x.com'); -- NULL keys never collide
`)
	conn := connect(t, c, db)
	rep, err := Lowercase(context.Background(), conn, Options{})
	if !errors.Is(err, ErrCollisions) {
		t.Fatalf("err = %v, want ErrCollisions", err)
	}
	var got []string
	for _, col := range rep.Collisions {
		got = append(got, col.String())
	}
	want := []string{
		// The partial index covers rows 1 and 2 only once both addresses are lower case ('%@corp%').
		`"symvcc"."symconferenceusertempl": unique index "vcc_name_partial": (name=x) would be shared by "Ann@Corp.com", "bob@Corp.com"`,
		`"symconferencing"."invitees": unique index "invitees_conf_addr": (conferenceid=10, invitationaddress=ann@x.com) would be shared by "Ann@X.COM", "ann@x.com"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("collisions:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rep.Committed {
		t.Error("committed despite collisions")
	}
	if got := column(t, c, db, "symconferencing.invitees", "id", "invitationaddress"); !strings.Contains(got, "1=Ann@X.COM") || !strings.Contains(got, "3=Bob@X.COM") {
		t.Errorf("rows changed despite collisions:\n%s", got)
	}
}

func TestLowercaseMissingTable(t *testing.T) {
	c := pgtest.Shared(t)
	db := c.CreateDB(t, "ucc_missing")
	c.Psql(t, db, `CREATE SCHEMA symvcc; CREATE TABLE symvcc.symconferenceusertempl (id int, other text);
INSERT INTO symvcc.symconferenceusertempl VALUES (1, 'A');`)
	conn := connect(t, c, db)
	rep, err := Lowercase(context.Background(), conn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Tables[0].Found || rep.Tables[0].Note != "table has no column InvitationAddress" ||
		rep.Tables[1].Found || rep.Tables[1].Note != "no such table" {
		t.Errorf("report %+v", rep.Tables)
	}
	_, err = Lowercase(context.Background(), conn, Options{RequireAll: true})
	if !errors.Is(err, ErrMissing) || !strings.Contains(err.Error(), "symConferencing.Invitees.InvitationAddress (no such table)") {
		t.Errorf("RequireAll: err = %v", err)
	}
}

func TestLowercaseBothSpellingsPresent(t *testing.T) {
	c := pgtest.Shared(t)
	db := c.CreateDB(t, "ucc_both")
	c.Psql(t, db, schemaUnquoted+schemaQuoted+`
INSERT INTO symvcc.symconferenceusertempl VALUES (1, 'n', 'A@X');
INSERT INTO "symVCC"."symConferenceUserTempl" VALUES (1, 'n', 'B@X');`)
	rep, err := Lowercase(context.Background(), connect(t, c, db), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tr := range rep.Tables {
		names = append(names, tr.Name())
	}
	if got := strings.Join(names, " "); got != `"symVCC"."symConferenceUserTempl" "symvcc"."symconferenceusertempl" "symConferencing"."Invitees" "symconferencing"."invitees"` {
		t.Errorf("tables %s", got)
	}
	if rep.Changed() != 2 {
		t.Errorf("changed %d, want 2", rep.Changed())
	}
}
