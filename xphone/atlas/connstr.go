package atlas

import (
	"fmt"
	"strings"

	"github.com/xdm-migrate/xdm/internal/connstr"
	"github.com/xdm-migrate/xdm/internal/secret"
)

// ErrConnectionString is the cause of a connection string that cannot be
// read.
var ErrConnectionString = connstr.ErrSyntax

// Pair is one keyword=value setting of a connection string.
type Pair struct {
	// Key is the keyword as written (trimmed); Value the value without
	// its quotes.
	Key, Value string
	// where it stands in the string
	st connstr.Setting
}

// ConnectionString is an ADO.NET (SqlClient) connection string as XPhone
// writes it into atlas.xml: "Data Source=(local)\XPCONNECT;Initial
// Catalog=XPDATA;Integrated Security=True". Keywords are case-insensitive and
// have synonyms (Server for Data Source, Database for Initial Catalog, UID
// for User ID, PWD for Password, Trusted_Connection for Integrated
// Security); values may be quoted with ' or " (a doubled quote stands for
// itself) or, ODBC style, with braces.
type ConnectionString struct {
	raw   string
	Pairs []Pair
	// unreadable: the string did not parse, Pairs are those before the
	// error, and any part of the rest may be a password.
	unreadable bool
}

// synonyms maps each keyword xdm reads to its spellings (SqlClient).
var synonyms = map[string][]string{
	"data source":         {"data source", "server", "address", "addr", "network address"},
	"initial catalog":     {"initial catalog", "database"},
	"integrated security": {"integrated security", "trusted_connection"},
	"user id":             {"user id", "uid", "user"},
	"password":            {"password", "pwd"},
}

// ParseConnectionString reads s into its settings, as SqlClient reads it.
func ParseConnectionString(s string) (ConnectionString, error) {
	cs := ConnectionString{raw: s}
	settings, err := connstr.ADONet(s) // an error wraps ErrConnectionString
	for _, st := range settings {
		cs.Pairs = append(cs.Pairs, Pair{Key: st.Key, Value: st.Value, st: st})
	}
	cs.unreadable = err != nil
	return cs, err
}

// find returns the last setting of keyword (any synonym), as SqlClient
// uses the last of repeated settings.
func (c ConnectionString) find(keyword string) (Pair, bool) {
	names := synonyms[keyword]
	for i := len(c.Pairs) - 1; i >= 0; i-- {
		for _, n := range names {
			if strings.EqualFold(c.Pairs[i].Key, n) {
				return c.Pairs[i], true
			}
		}
	}
	return Pair{}, false
}

// Get returns the value of keyword ("data source", "initial catalog",
// "integrated security", "user id", "password") under any synonym.
func (c ConnectionString) Get(keyword string) (string, bool) {
	p, ok := c.find(keyword)
	return p.Value, ok
}

// DataSource is the server and instance, e.g. (local)\XPCONNECT.
func (c ConnectionString) DataSource() string { v, _ := c.Get("data source"); return v }

// InitialCatalog is the database, e.g. XPDATA.
func (c ConnectionString) InitialCatalog() string { v, _ := c.Get("initial catalog"); return v }

// IntegratedSecurity reports whether the connection logs in with the
// Windows account (Integrated Security=True, SSPI or yes).
func (c ConnectionString) IntegratedSecurity() bool {
	v, _ := c.Get("integrated security")
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "sspi", "yes":
		return true
	}
	return false
}

// UserID is the SQL Server login, when the string names one.
func (c ConnectionString) UserID() string { v, _ := c.Get("user id"); return v }

// HasPassword reports whether the string holds a password (never returned).
func (c ConnectionString) HasPassword() bool { _, ok := c.find("password"); return ok }

// Masked returns the connection string with the value of every password
// setting (any spelling) replaced by secret.Mask, found by the parse: a
// quoted or braced password with ';', quotes or doubled braces in it is
// hidden whole. A string that cannot be read is not shown at all, as its
// password cannot be found.
func (c ConnectionString) Masked() string {
	if c.unreadable {
		return unreadableConnectionString
	}
	var b strings.Builder
	prev := 0
	for _, p := range c.Pairs {
		if isKeyword(p.Key, "password") {
			b.WriteString(c.raw[prev:p.st.ValueStart])
			b.WriteString(secret.Mask)
			prev = p.st.ValueEnd
		}
	}
	b.WriteString(c.raw[prev:])
	return b.String()
}

// unreadableConnectionString stands for a connection string that cannot be
// read.
const unreadableConnectionString = "(a connection string that cannot be read: not shown)"

// maskedConnectionString masks the passwords of a connection string.
func maskedConnectionString(raw string) string {
	cs, _ := ParseConnectionString(raw)
	return cs.Masked()
}

// Security describes how the connection logs in, for people: "Windows
// login" or "SQL login NAME (password set)".
func (c ConnectionString) Security() string {
	switch {
	case c.IntegratedSecurity():
		return "Windows login (Integrated Security)"
	case c.UserID() != "":
		pw := "no password"
		if c.HasPassword() {
			pw = "password set"
		}
		return fmt.Sprintf("SQL login %s (%s)", c.UserID(), pw)
	}
	return "not stated"
}

// quoteValue writes v as a connection string value, quoted when it must be.
func quoteValue(v string) string {
	if v == "" || strings.ContainsAny(v, ";'\"") || v != strings.TrimSpace(v) {
		if !strings.Contains(v, `"`) {
			return `"` + v + `"`
		}
		return `'` + strings.ReplaceAll(v, `'`, `''`) + `'`
	}
	return v
}
