package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/internal/pgtest"
)

// uccRows fills both UCC tables with what makes lowercasing interesting:
// NULLs, mixed case, non-ASCII letters, values that need COPY escapes.
func uccRows(vcc, inv, id, conf, addr string) string {
	return `
INSERT INTO ` + vcc + ` (` + id + `, ` + addr + `) VALUES
  (1, 'Alice@Example.COM'), (2, 'bob@example.com'), (3, NULL), (4, 'ÄRGER@Beispiel.DE'),
  (5, 'STRAßE@X.DE'), (6, 'ΣΟΦΙΑΣ@X.GR'), (7, E'TAB\tIN@X'), (8, E'LINE\nBREAK@X'), (9, E'BACK\\SLASH@X'), (10, '');
INSERT INTO ` + inv + ` (` + id + `, ` + conf + `, ` + addr + `) VALUES
  (1, 10, 'Carol@X.COM'), (2, 10, NULL), (3, 11, 'carol@x.com'), (4, NULL, 'ZOË@X.COM');
`
}

var uccSchemas = []struct {
	name, ddl, vcc, inv, id, conf, addr string
}{
	{
		name: "unquoted",
		ddl: `CREATE SCHEMA symVCC;
CREATE TABLE symVCC.symConferenceUserTempl (ID int PRIMARY KEY, InvitationAddress varchar(255), Note text DEFAULT 'Keep Me');
CREATE SCHEMA symConferencing;
CREATE TABLE symConferencing.Invitees (ID int PRIMARY KEY, ConferenceID int, InvitationAddress varchar(255),
  CONSTRAINT invitees_conf_addr UNIQUE (ConferenceID, InvitationAddress));
CREATE TABLE public.other (id int, InvitationAddress text);
INSERT INTO public.other VALUES (1, 'NOT@TOUCHED');`,
		vcc: "symVCC.symConferenceUserTempl", inv: "symConferencing.Invitees", id: "ID", conf: "ConferenceID", addr: "InvitationAddress",
	},
	{
		name: "quoted",
		ddl: `CREATE SCHEMA "symVCC";
CREATE TABLE "symVCC"."symConferenceUserTempl" ("ID" int PRIMARY KEY, "Note" text DEFAULT 'Keep Me', "InvitationAddress" varchar(255));
CREATE SCHEMA "symConferencing";
CREATE TABLE "symConferencing"."Invitees" ("InvitationAddress" varchar(255), "ID" int PRIMARY KEY, "ConferenceID" int,
  CONSTRAINT "Invitees_Conf_Addr" UNIQUE ("ConferenceID", "InvitationAddress"));`,
		vcc: `"symVCC"."symConferenceUserTempl"`, inv: `"symConferencing"."Invitees"`, id: `"ID"`, conf: `"ConferenceID"`, addr: `"InvitationAddress"`,
	},
}

// TestUCCLowercaseRoundTrip is the proof of the offline path: pg_dump a
// database, rewrite the dump, restore it into a fresh database, and compare
// that with the original database after the live command.
func TestUCCLowercaseRoundTrip(t *testing.T) {
	c := pgtest.Start(t)
	for _, s := range uccSchemas {
		t.Run(s.name, func(t *testing.T) {
			live := c.CreateDB(t, "ucc_live_"+s.name)
			c.Psql(t, live, s.ddl+uccRows(s.vcc, s.inv, s.id, s.conf, s.addr))
			dir := t.TempDir()
			dump := filepath.Join(dir, "dump.sql")
			if err := os.WriteFile(dump, c.Run(t, nil, "pg_dump", live), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "lower.sql")
			if code, stdout, stderr := runCLI(t, "ucc", "lowercase", "--dump", dump, "-o", out); code != 0 {
				t.Fatalf("offline: code %d\n%s%s", code, stdout, stderr)
			}
			code, stdout, stderr := runCLI(t, "ucc", "lowercase", "--dsn", c.DSN(live))
			if code != 0 {
				t.Fatalf("live: code %d\n%s%s", code, stdout, stderr)
			}
			if !strings.Contains(stderr, "committed: 9 rows lowercased") || stdout != "" {
				t.Errorf("live report (on stderr, nothing on stdout):\n%s\n----\n%s", stderr, stdout)
			}
			restored := c.CreateDB(t, "ucc_restored_"+s.name)
			lowered, _ := os.ReadFile(out)
			c.Run(t, lowered, "psql", restored, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-")

			for _, table := range []string{s.vcc, s.inv} {
				q := "SELECT row_to_json(t)::text FROM " + table + " t ORDER BY " + s.id
				a, b := c.Psql(t, live, q), c.Psql(t, restored, q)
				if a != b {
					t.Errorf("%s differs:\nlive:\n%s\nrestored from the rewritten dump:\n%s", table, a, b)
				}
			}
			got := c.Psql(t, live, "SELECT coalesce("+s.addr+", 'NULL') FROM "+s.vcc+" ORDER BY "+s.id)
			want := "alice@example.com\nbob@example.com\nNULL\närger@beispiel.de\nstraße@x.de\nσοφιασ@x.gr\ntab\tin@x\nline\nbreak@x\nback\\slash@x\n\n"
			if got != want {
				t.Errorf("live result:\n%q\nwant\n%q", got, want)
			}
			// The whole databases, not only the two tables, must match; the
			// UPDATE moved rows within the heap, so compare sorted lines.
			if a, b := sortedLines(c.Run(t, nil, "pg_dump", live)), sortedLines(c.Run(t, nil, "pg_dump", restored)); a != b {
				t.Errorf("pg_dump of the live database and of the restored rewritten dump differ:\n%s\n----\n%s", a, b)
			}
			// And the live command again is a no-op.
			if _, _, stderr := runCLI(t, "ucc", "lowercase", "--dsn", c.DSN(live)); !strings.Contains(stderr, "committed: 0 rows") {
				t.Errorf("second live run:\n%s", stderr)
			}
		})
	}

	t.Run("collisions", func(t *testing.T) {
		db := c.CreateDB(t, "ucc_collide")
		s := uccSchemas[0]
		c.Psql(t, db, s.ddl+`INSERT INTO symConferencing.Invitees VALUES (1, 7, 'Ann@X'), (2, 7, 'ann@x'), (3, 8, 'Bob@X');`)
		dir := t.TempDir()
		dump := filepath.Join(dir, "dump.sql")
		os.WriteFile(dump, c.Run(t, nil, "pg_dump", db), 0o644)

		code, stdout, stderr := runCLI(t, "ucc", "lowercase", "--dsn", c.DSN(db))
		if code != ExitInvalid || !strings.Contains(stderr, `(conferenceid=7, invitationaddress=ann@x) would be shared by "Ann@X", "ann@x"`) ||
			!strings.Contains(stderr, "nothing was changed") {
			t.Errorf("live: code %d\n%s%s", code, stdout, stderr)
		}
		if got := c.Psql(t, db, "SELECT string_agg(invitationaddress, ',' ORDER BY id) FROM symconferencing.invitees"); got != "Ann@X,ann@x,Bob@X\n" {
			t.Errorf("live changed rows despite collisions: %s", got)
		}

		before, _ := os.ReadFile(dump)
		code, stdout, stderr = runCLI(t, "ucc", "lowercase", "--dump", dump)
		if code != ExitInvalid || !strings.Contains(stderr, "invitees_conf_addr") || !strings.Contains(stderr, "nothing was written") {
			t.Errorf("offline: code %d\n%s%s", code, stdout, stderr)
		}
		after, _ := os.ReadFile(dump)
		if string(after) != string(before) {
			t.Error("dump changed despite collisions")
		}
		if _, err := os.Stat(dump + ".orig"); err == nil {
			t.Error("backup written despite collisions")
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Errorf("files left next to the dump: %v", entries)
		}
	})

	t.Run("dry-run-json-and-missing", func(t *testing.T) {
		db := c.CreateDB(t, "ucc_dry")
		c.Psql(t, db, `CREATE SCHEMA symconferencing; CREATE TABLE symconferencing.invitees (id int, invitationaddress text);
INSERT INTO symconferencing.invitees VALUES (1, 'X@Y');`)
		code, stdout, stderr := runCLI(t, "ucc", "lowercase", "--dsn", c.DSN(db), "--dry-run", "--json")
		if code != 0 {
			t.Fatalf("code %d: %s", code, stderr)
		}
		var res struct {
			Mode   string
			Report struct {
				DryRun    bool `json:"dry_run"`
				Committed bool
				Tables    []struct {
					Found  bool
					Note   string
					Rows   int64
					Sample []struct{ Old, New string }
				}
			}
		}
		if err := json.Unmarshal([]byte(stdout), &res); err != nil {
			t.Fatalf("%v\n%s", err, stdout)
		}
		r := res.Report
		if res.Mode != "live" || !r.DryRun || r.Committed || len(r.Tables) != 2 || r.Tables[0].Found || r.Tables[0].Note != "no such table" ||
			r.Tables[1].Rows != 1 || len(r.Tables[1].Sample) != 1 || r.Tables[1].Sample[0].New != "x@y" {
			t.Errorf("report %+v", res)
		}
		if got := c.Psql(t, db, "SELECT invitationaddress FROM symconferencing.invitees"); got != "X@Y\n" {
			t.Errorf("dry run changed the row: %s", got)
		}
		code, _, stderr = runCLI(t, "ucc", "lowercase", "--dsn", c.DSN(db), "--require-all")
		if code != ExitInvalid || !strings.Contains(stderr, "symVCC.symConferenceUserTempl.InvitationAddress (no such table)") {
			t.Errorf("--require-all: code %d, %s", code, stderr)
		}
	})
}

func TestUCCLowercaseConnectionErrorHidesPassword(t *testing.T) {
	code, stdout, stderr := runCLI(t, "ucc", "lowercase", "--dsn", "postgres://xpr:Hunter2Secret@127.0.0.1:1/mrsdb?connect_timeout=2")
	if code != ExitFailure || strings.Contains(stdout+stderr, "Hunter2Secret") || !strings.Contains(stderr, "connecting to") {
		t.Errorf("code %d, output %q %q", code, stdout, stderr)
	}
	code, _, stderr = runCLI(t, "ucc", "lowercase", "--dsn", "host=127.0.0.1 port=1 user=xpr password=Hunter2Secret dbname=mrsdb connect_timeout=2")
	if code != ExitFailure || strings.Contains(stderr, "Hunter2Secret") {
		t.Errorf("key=value DSN: code %d, %q", code, stderr)
	}
	t.Setenv("XDM_PG_DSN", "postgres://xpr:Hunter2Secret@127.0.0.1:1/mrsdb?connect_timeout=2")
	code, _, stderr = runCLI(t, "ucc", "lowercase")
	if code != ExitFailure || strings.Contains(stderr, "Hunter2Secret") || !strings.Contains(stderr, "xpr:xxxxx@127.0.0.1:1") {
		t.Errorf("DSN from XDM_PG_DSN: code %d, %q", code, stderr)
	}
}

// sortedLines sorts a dump's lines, leaving out the \restrict and
// \unrestrict lines of newer pg_dump versions, whose key is random.
func sortedLines(b []byte) string {
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(l, `\restrict `) && !strings.HasPrefix(l, `\unrestrict `) {
			lines = append(lines, l)
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

const uccSmallDump = "SET client_encoding = 'UTF8';\r\n" +
	"COPY symvcc.symconferenceusertempl (id, invitationaddress) FROM stdin;\r\n" +
	"1\tA@B.DE\r\n2\tc@d.de\r\n\\.\r\n"

func TestUCCLowercaseDumpInPlace(t *testing.T) {
	dir := t.TempDir()
	dump := filepath.Join(dir, "dump.sql")
	os.WriteFile(dump, []byte(uccSmallDump), 0o644)

	code, stdout, stderr := runCLI(t, "ucc", "lowercase", "--dump", dump, "--check")
	if code != ExitDifferent || !strings.Contains(stderr, "2 rows, 1 to lowercase") || !strings.Contains(stderr, `dump.sql:3: "A@B.DE" -> "a@b.de"`) || stdout != "" {
		t.Errorf("--check: code %d\n%s\n----\n%s", code, stderr, stdout)
	}
	if code, _, stderr := runCLI(t, "ucc", "lowercase", "--dump", dump); code != 0 || !strings.Contains(stderr, "dump.sql.orig") {
		t.Fatalf("in place: code %d %s", code, stderr)
	}
	got, _ := os.ReadFile(dump)
	orig, _ := os.ReadFile(dump + ".orig")
	if string(got) != strings.Replace(uccSmallDump, "A@B.DE", "a@b.de", 1) || string(orig) != uccSmallDump {
		t.Errorf("result %q, original %q", got, orig)
	}
	if code, _, _ := runCLI(t, "ucc", "lowercase", "--dump", dump, "--check"); code != 0 {
		t.Errorf("--check after the fix: code %d, want 0", code)
	}
	// Run again: nothing to lowercase, nothing touched.
	if code, _, stderr := runCLI(t, "ucc", "lowercase", "--dump", dump); code != 0 || !strings.Contains(stderr, "nothing to lowercase") {
		t.Errorf("second in-place run: code %d %s", code, stderr)
	}
	if got, _ := os.ReadFile(dump + ".orig"); string(got) != uccSmallDump {
		t.Errorf("the second run changed dump.sql.orig to %q", got)
	}
	// A dump that needs lowercasing while dump.sql.orig holds an earlier
	// original: refused (exit 2), the advice says what --force does.
	os.WriteFile(dump, []byte(strings.Replace(uccSmallDump, "c@d.de", "C@D.DE", 1)), 0o644)
	if code, _, stderr := runCLI(t, "ucc", "lowercase", "--dump", dump); code != ExitUsage || !strings.Contains(stderr, "dump.sql.orig") || !strings.Contains(stderr, "--force") {
		t.Errorf("in place over an existing .orig: code %d %s", code, stderr)
	}
	code, stdout, _ = runCLI(t, "ucc", "lowercase", "--dump", dump+".orig", "--dry-run", "--json")
	var res struct{ Report struct{ Changed int64 } }
	if code != 0 || json.Unmarshal([]byte(stdout), &res) != nil || res.Report.Changed != 1 {
		t.Errorf("--dry-run --json: code %d %s", code, stdout)
	}
}

func TestUCCLowercaseDumpErrors(t *testing.T) {
	dir := t.TempDir()
	dump := filepath.Join(dir, "dump.sql")
	os.WriteFile(dump, []byte("COPY symconferencing.invitees (id, invitationaddress) FROM stdin;\n1\tA@B\n2\n\\.\n"), 0o644)
	code, _, stderr := runCLI(t, "ucc", "lowercase", "--dump", dump)
	if code != ExitInvalid || !strings.Contains(stderr, "dump.sql:3:1: malformed COPY data: a row of symconferencing.invitees has 1 field,") {
		t.Errorf("malformed row: code %d, %q", code, stderr)
	}
	os.WriteFile(dump, []byte("SET client_encoding = 'EUC_JP';\nCOPY symconferencing.invitees (id, invitationaddress) FROM stdin;\n\\.\n"), 0o644)
	code, _, stderr = runCLI(t, "ucc", "lowercase", "--dump", dump)
	if code != ExitInvalid || !strings.Contains(stderr, "dump.sql:2: client_encoding not supported for Unicode lowercasing: EUC_JP") || !strings.Contains(stderr, "--ascii") {
		t.Errorf("unsupported encoding: code %d, %q", code, stderr)
	}
	// Cut off inside COPY data: an error naming the last line; the dump is
	// neither replaced nor kept as .orig.
	truncated := "COPY symconferencing.invitees (id, invitationaddress) FROM stdin;\n1\tA@B\n2\tC@"
	os.WriteFile(dump, []byte(truncated), 0o644)
	code, _, stderr = runCLI(t, "ucc", "lowercase", "--dump", dump)
	if code != ExitInvalid || !strings.Contains(stderr, "dump.sql:3: truncated dump: the file ends inside the COPY block of symconferencing.invitees (line 1)") {
		t.Errorf("truncated dump: code %d, %q", code, stderr)
	}
	if got, _ := os.ReadFile(dump); string(got) != truncated {
		t.Errorf("the truncated dump was changed: %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files left after errors: %v", entries)
	}
	code, _, _ = runCLI(t, "ucc", "lowercase", "--dump", filepath.Join(dir, "missing.sql"))
	if code != ExitFailure {
		t.Errorf("missing file: code %d", code)
	}
}

func TestUCCLowercaseFlags(t *testing.T) {
	t.Setenv("XDM_PG_DSN", "")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{}, "give --dsn"},
		{[]string{"--dsn", "postgres://x@y/z", "--dump", "d.sql"}, "not both"},
		{[]string{"--dsn", "postgres://x@y/z", "--check"}, "--check applies to --dump only"},
		{[]string{"--dump", "d.sql", "--check", "--dry-run"}, "exclude each other"},
		{[]string{"--dump", "d.sql", "--check", "-o", "x.sql"}, "drop -o"},
	} {
		code, _, stderr := runCLI(t, append([]string{"ucc", "lowercase"}, tc.args...)...)
		if code != ExitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: code %d, %q (want %q)", tc.args, code, stderr, tc.want)
		}
	}
}

// TestUCCLowercaseWrongDatabase: a database (or dump) with neither UCC
// table is not a success with 0 rows: exit 3, naming the database, unless
// --allow-missing says it is expected.
func TestUCCLowercaseWrongDatabase(t *testing.T) {
	c := pgtest.Shared(t)
	db := c.CreateDB(t, "ucc_wrong_db")
	c.Psql(t, db, "CREATE TABLE public.something (id int);")
	code, stdout, stderr := runCLI(t, "ucc", "lowercase", "--dsn", c.DSN(db))
	if code != ExitInvalid || !strings.Contains(stderr, `database "`+db+`"`) || !strings.Contains(stderr, "neither") || strings.Contains(stderr, "committed") {
		t.Errorf("neither table: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if code, _, stderr := runCLI(t, "ucc", "lowercase", "--dsn", c.DSN(db), "--allow-missing"); code != 0 {
		t.Errorf("--allow-missing: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "ucc", "lowercase", "--dsn", c.DSN(db), "--allow-missing", "--require-all"); code != ExitUsage {
		t.Errorf("--allow-missing with --require-all: exit %d, %s", code, stderr)
	}

	dump := filepath.Join(t.TempDir(), "dump.sql")
	os.WriteFile(dump, c.Run(t, nil, "pg_dump", db), 0o644)
	before, _ := os.ReadFile(dump)
	code, _, stderr = runCLI(t, "ucc", "lowercase", "--dump", dump)
	if code != ExitInvalid || !strings.Contains(stderr, "neither") || !strings.Contains(stderr, "dump.sql") {
		t.Errorf("dump with neither table: exit %d, %q", code, stderr)
	}
	if after, _ := os.ReadFile(dump); string(after) != string(before) {
		t.Error("the dump changed")
	}
	if code, _, stderr := runCLI(t, "ucc", "lowercase", "--dump", dump, "--allow-missing"); code != 0 {
		t.Errorf("dump, --allow-missing: exit %d, %s", code, stderr)
	}
	if names := dirNames(t, filepath.Dir(dump)); len(names) != 1 {
		t.Errorf("files written: %v", names)
	}
}
