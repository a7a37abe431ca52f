package secret

import (
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/microsoft/go-mssqldb/msdsn"

	"github.com/xdm-migrate/xdm/internal/secret/secrettest"
)

func TestRedactDSN(t *testing.T) {
	cases := []struct {
		d          Driver
		in, secret string
		want       string
	}{
		{Postgres, "postgres://xpr:S3cret!@db.local:5432/mrsdb?sslmode=disable", "S3cret!", "postgres://xpr:xxxxx@db.local:5432/mrsdb?sslmode=disable"},
		{SQLServer, "sqlserver://sa:p%40ss@srv/inst?database=XPDATA", "p%40ss", "sqlserver://sa:xxxxx@srv/inst?database=XPDATA"},
		{SQLServer, "sqlserver://sa@srv?database=x&password=hunter2", "hunter2", "sqlserver://sa@srv?database=x&password=xxxxx"},
		{Postgres, "host=/tmp port=5432 user=xpr password=hunter2 dbname=mrsdb", "hunter2", "host=/tmp port=5432 user=xpr password=xxxxx dbname=mrsdb"},
		{Postgres, `host=/tmp password='a b\'c' dbname=mrsdb`, "a b", "host=/tmp password=xxxxx dbname=mrsdb"},
		// ADO: the value runs to the ";", spaces and all.
		{SQLServer, "server=srv;user id=sa;Password=top secret;database=x", "top secret", "server=srv;user id=sa;Password=xxxxx;database=x"},
		// ";" inside a password that was not quoted: the rest is no known key.
		{SQLServer, "server=srv;user id=sa;Password=top;secret;database=x", "secret", "server=srv;user id=sa;Password=xxxxx;database=x"},
		{SQLServer, `server=srv;pwd="we;i""rd";database=x`, `we;i`, "server=srv;pwd=xxxxx;database=x"},
		// ODBC braces with }} escapes.
		{SQLServer, "odbc:server=srv;pwd={we;i}}rd};database=x", "we;i}}rd", "odbc:server=srv;pwd=xxxxx;database=x"},
		// libpq's URL rules: "#" and "?" belong to the password; only "/"
		// or "@" ends it.
		{Postgres, "postgres://xpr:12#secret@db/mrsdb", "secret", "postgres://xpr:xxxxx@db/mrsdb"},
		{Postgres, "postgres://xpr:123456?sec@db/mrsdb", "123456", "postgres://xpr:xxxxx@db/mrsdb"},
		{Postgres, "postgres://xpr:pa{ss@db/mrsdb", "pa{ss", "postgres://xpr:xxxxx@db/mrsdb"},
		{Postgres, "postgres://xpr:päss@db/mrsdb", "päss", "postgres://xpr:xxxxx@db/mrsdb"},
		{Postgres, "postgres://xpr:pw@db:54x32/mrsdb", "54x32", "postgres://xpr:xxxxx@db:xxxxx/mrsdb"},
		// An unquoted space ends a libpq value: the rest is no known keyword.
		{Postgres, "host=db password=ab cd=ef dbname=x", "cd=ef", "host=db password=xxxxx dbname=x"},
		// Query parameters no driver knows may be pieces of a password with "&".
		{SQLServer, "sqlserver://sa@srv?password=ab&cdef&database=x", "cdef", "sqlserver://sa@srv?password=xxxxx&database=x"},
	}
	for _, c := range cases {
		got := c.d.RedactDSN(c.in)
		if strings.Contains(got, c.secret) || got != c.want {
			t.Errorf("RedactDSN(%q) = %q, want %q", c.in, got, c.want)
		}
		if any := RedactDSN(c.in); strings.Contains(any, c.secret) {
			t.Errorf("RedactDSN for any driver (%q) = %q holds the password", c.in, any)
		}
	}
	for _, dsn := range []string{"postgres://xpr@db/mrsdb", "server=srv;user id=sa;database=x"} {
		if got := RedactDSN(dsn); got != dsn {
			t.Errorf("DSN without password changed: %q -> %q", dsn, got)
		}
	}
}

// What is not a valid URL or key=value list is not shown at all.
func TestRedactDSNWithholdsWhatItCannotRead(t *testing.T) {
	for _, dsn := range []string{
		"postgres://xpr:pa/ss@db/mrsdb",   // "/" ends the user information early
		"postgres://xpr:pa%zzss@db/mrsdb", // bad escape
		"postgres://xpr:p@ss@db/mrsdb",    // the first "@" ends it: host "ss@db"?
		"postgres://xpr:pa ss@db/mrsdb",   // a space inside a part
		"host=db password='unterminated dbname=x",
	} {
		if got := Postgres.RedactDSN(dsn); got != Withheld {
			t.Errorf("RedactDSN(%q) = %q, want it withheld", dsn, got)
		}
		if got := RedactDSN(dsn); strings.Contains(got, "ss") && got != Withheld {
			t.Errorf("any driver: RedactDSN(%q) = %q", dsn, got)
		}
	}
}

// A password is found as a word, never as a piece of another: "-P sql"
// must not touch "sqlserver://" or "mssql:", and the text is shown whole or
// not at all.
func TestRedact(t *testing.T) {
	if got := Redact("connecting to sqlserver://sa:xxxxx@srv: mssql: login error", "sql"); got != "connecting to sqlserver://sa:xxxxx@srv: mssql: login error" {
		t.Errorf("a short password changed other words: %q", got)
	}
	for _, msg := range []string{
		"login failed for sa with pw hunter2",
		"cannot parse `password=hunter2`",
		"sqlserver://sa:hunter2@srv",
	} {
		if got := Redact(msg, "hunter2"); got != WithheldMessage {
			t.Errorf("Redact(%q) = %q", msg, got)
		}
	}
	if got := Redact("parse \"sqlserver://sa:p%40ss%2F@srv\": invalid", "p@ss/"); got != WithheldMessage {
		t.Errorf("URL-escaped password shown: %q", got)
	}
	if got := Redact("odbc pwd={a}}b}", "a}b"); got != WithheldMessage {
		t.Errorf("ODBC-escaped password shown: %q", got)
	}
	if got := SQLServer.RedactMessage("cannot open sqlserver://sa:Hunter2@srv: refused", "sqlserver://sa:Hunter2@srv"); got != "cannot open sqlserver://sa:xxxxx@srv: refused" {
		t.Errorf("RedactMessage = %q", got)
	}
}

// templates place a password into every form of connection string, as a
// careful user writes it (escaped) and as a hasty one does (raw).
var templates = []struct {
	name string
	d    Driver
	make func(pw string) string
}{
	{"pg url escaped", Postgres, func(pw string) string {
		return "postgres://xpr:" + strings.TrimPrefix(url.UserPassword("", pw).String(), ":") + "@db.local:5432/mrsdb?sslmode=disable"
	}},
	{"pg url raw", Postgres, func(pw string) string { return "postgres://xpr:" + pw + "@db.local:5432/mrsdb?sslmode=disable" }},
	{"pg url query", Postgres, func(pw string) string { return "postgresql://xpr@db.local/mrsdb?password=" + url.QueryEscape(pw) }},
	{"pg url query raw", Postgres, func(pw string) string { return "postgresql://xpr@db.local/mrsdb?password=" + pw + "&sslmode=disable" }},
	{"pg keyword quoted", Postgres, func(pw string) string {
		return "host=db.local user=xpr password='" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(pw) + "' dbname=mrsdb"
	}},
	{"pg keyword raw", Postgres, func(pw string) string { return "host=db.local user=xpr password=" + pw + " dbname=mrsdb" }},
	{"mssql url escaped", SQLServer, func(pw string) string {
		return "sqlserver://sa:" + strings.TrimPrefix(url.UserPassword("", pw).String(), ":") + "@srv/inst?database=XPDATA"
	}},
	{"mssql url raw", SQLServer, func(pw string) string { return "sqlserver://sa:" + pw + "@srv/inst?database=XPDATA" }},
	{"mssql url query raw", SQLServer, func(pw string) string { return "sqlserver://sa@srv?password=" + pw + "&database=XPDATA" }},
	{"ado quoted", SQLServer, func(pw string) string {
		return `server=srv;user id=sa;password="` + strings.ReplaceAll(pw, `"`, `""`) + `";database=XPDATA`
	}},
	{"ado raw", SQLServer, func(pw string) string { return "server=srv;user id=sa;password=" + pw + ";database=XPDATA" }},
	{"odbc braced", SQLServer, func(pw string) string {
		return "odbc:server=srv;user id=sa;pwd={" + strings.ReplaceAll(pw, "}", "}}") + "};database=XPDATA"
	}},
	{"odbc raw", SQLServer, func(pw string) string { return "odbc:server=srv;user id=sa;pwd=" + pw + ";database=XPDATA" }},
}

// TestRedactDSNGeneratedPasswords puts two thousand hostile passwords into
// every form and checks that no piece of any reaches the output, for the
// driver's rules and for any driver; and that what the driver itself reads
// as the password never shows.
func TestRedactDSNGeneratedPasswords(t *testing.T) {
	pws := secrettest.Passwords(2000, 13)
	checked := 0
	for _, pw := range pws {
		for _, tpl := range templates {
			dsn := tpl.make(pw)
			other := tpl.make("")
			for _, d := range []Driver{tpl.d, AnyDriver} {
				got := d.RedactDSN(dsn)
				if leaks := secrettest.Leaks(got, pw, other); len(leaks) > 0 {
					t.Fatalf("%s, driver %d: RedactDSN(%q) = %q shows %q", tpl.name, d, dsn, got, leaks)
				}
				checked++
			}
			if read := driverPassword(tpl.d, dsn); len(read) >= 4 && !strings.Contains(other, read) {
				if got := tpl.d.RedactDSN(dsn); strings.Contains(got, read) {
					t.Fatalf("%s: the driver reads the password %q, RedactDSN(%q) = %q shows it", tpl.name, read, dsn, got)
				}
				if got := tpl.d.RedactMessage("driver says: "+read, dsn); got != WithheldMessage {
					t.Fatalf("%s: a message quoting %q (the driver's reading of %q) was shown: %q", tpl.name, read, dsn, got)
				}
			}
		}
	}
	if checked < 2000*len(templates) {
		t.Fatalf("only %d checks", checked)
	}
}

// driverPassword is the password the driver reads from dsn ("" when it
// cannot read it).
func driverPassword(d Driver, dsn string) string {
	if d == Postgres {
		cfg, err := pgconn.ParseConfig(dsn)
		if err != nil {
			return ""
		}
		return cfg.Password
	}
	cfg, err := msdsn.Parse(dsn)
	if err != nil {
		return ""
	}
	return cfg.Password
}

func FuzzRedactDSN(f *testing.F) {
	for _, tpl := range templates {
		f.Add(tpl.make("Pa/ss%zz#?{}@;'\"ä"))
	}
	f.Fuzz(func(t *testing.T, dsn string) {
		for _, d := range []Driver{Postgres, SQLServer} {
			got := d.RedactDSN(dsn)
			if pw := driverPassword(d, dsn); len(pw) >= 4 && got != Withheld && strings.Contains(got, pw) {
				// Shown only where the same text stands outside the
				// password too (a user name equal to the password).
				if strings.Count(dsn, pw) < 2 {
					t.Fatalf("driver %d reads password %q from %q; RedactDSN = %q", d, pw, dsn, got)
				}
			}
		}
	})
}
