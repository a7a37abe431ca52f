package mssql

import (
	"strings"
	"testing"
)

func TestParseServer(t *testing.T) {
	cases := []struct {
		in, host, inst string
		port           int
	}{
		{`SQLSERVER\SQL2016`, "SQLSERVER", "SQL2016", 0},
		{`tcp:db.example,1433`, "db.example", "", 1433},
		{`.\SQLEXPRESS`, "localhost", "SQLEXPRESS", 0},
		{`(local)`, "localhost", "", 0},
	}
	for _, c := range cases {
		h, i, p, err := ParseServer(c.in)
		if err != nil || h != c.host || i != c.inst || p != c.port {
			t.Errorf("ParseServer(%q) = %q %q %d %v", c.in, h, i, p, err)
		}
	}
	if _, _, _, err := ParseServer("srv,notaport"); err == nil {
		t.Error("bad port accepted")
	}
}

func TestConnectionStringKeepsPasswordOutOfRedacted(t *testing.T) {
	o := ConnOptions{Server: `SQLSERVER\SQL2016`, Database: "XPDATA", User: "sa", Password: "Secr3t;x", TrustServerCertificate: true}
	cs, err := o.ConnectionString()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cs, "SQL2016") || !strings.Contains(cs, "database=XPDATA") {
		t.Errorf("connection string %q lacks instance or database", cs)
	}
	if r := o.Redacted(); strings.Contains(r, "Secr3t") {
		t.Errorf("Redacted() = %q shows the password", r)
	}
	o = ConnOptions{DSN: "sqlserver://sa@srv?database=x", Password: "pw123"}
	cs, _ = o.ConnectionString()
	if !strings.Contains(cs, "pw123") {
		t.Errorf("password not merged into DSN: %q", cs)
	}
	if strings.Contains(o.Redacted(), "pw123") {
		t.Error("Redacted shows the merged password")
	}
}
