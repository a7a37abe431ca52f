package secret

import (
	"strings"
	"testing"
)

func TestRedactDSN(t *testing.T) {
	cases := []struct{ in, secret string }{
		{"postgres://xpr:S3cret!@db.local:5432/mrsdb?sslmode=disable", "S3cret!"},
		{"sqlserver://sa:p%40ss@srv/inst?database=XPDATA", "p%40ss"},
		{"sqlserver://sa@srv?database=x&password=hunter2", "hunter2"},
		{"host=/tmp port=5432 user=xpr password=hunter2 dbname=mrsdb", "hunter2"},
		{"host=/tmp password='a b\\'c' dbname=mrsdb", "a b"},
		{"server=srv;user id=sa;Password=top;secret;database=x", "top"},
		{"server=srv;PWD={we;ird};database=x", "we;ird"},
	}
	for _, c := range cases {
		got := RedactDSN(c.in)
		if strings.Contains(got, c.secret) {
			t.Errorf("RedactDSN(%q) = %q still holds the password", c.in, got)
		}
		if !strings.Contains(got, Mask) {
			t.Errorf("RedactDSN(%q) = %q has no mask", c.in, got)
		}
	}
	if got := RedactDSN("postgres://xpr@db/mrsdb"); got != "postgres://xpr@db/mrsdb" {
		t.Errorf("DSN without password changed: %q", got)
	}
}

func TestRedact(t *testing.T) {
	if got := Redact("login failed for sa with pw hunter2", "hunter2", ""); strings.Contains(got, "hunter2") {
		t.Errorf("Redact left the secret: %q", got)
	}
}
