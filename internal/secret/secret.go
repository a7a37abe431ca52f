// Package secret keeps passwords out of what xdm prints: reports, errors,
// JSON, settings.
//
// A connection string is masked by its structure, read the way the driver
// that takes it reads it (pgx for PostgreSQL, go-mssqldb for SQL Server):
// a URL, libpq's keyword=value pairs, ADO's key=value; pairs, ODBC's
// key={value}; pairs (the last two read by internal/connstr, the one reader
// of SQL Server's key=value strings, which xphone/atlas uses too). Password values are replaced by Mask; so is every
// part whose meaning is not certain (a key no driver knows, which may be a
// piece of a password that was not quoted). A string that cannot be read
// at all is not shown: Withheld stands for it. Nothing is ever masked by
// searching for the password's text, which would change other words that
// contain it ("-P sql" would turn "sqlserver://" into "xxxxxserver://") and
// show where the password is.
//
// A driver's message may quote a connection string or a password back:
// Redact and Driver.RedactMessage show such a message only when it holds
// none of them, and otherwise say that it was withheld.
package secret

import (
	"net/url"
	"sort"
	"strings"
)

// Mask is what a hidden value is replaced with.
const Mask = "xxxxx"

// Withheld replaces a connection string that cannot be read: any part of
// it might be the password.
const Withheld = "(connection string not shown: it cannot be read as a URL or key=value list, and may hold a password)"

// WithheldMessage replaces a message that quotes a password.
const WithheldMessage = "(message not shown: it quotes the password)"

// Driver says whose rules a connection string follows.
type Driver int

const (
	// AnyDriver masks what either driver would read as a password or may
	// be part of one: for a string whose driver is unknown.
	AnyDriver Driver = iota
	// Postgres is pgx: postgres:// or postgresql:// URLs, else libpq's
	// keyword=value pairs.
	Postgres
	// SQLServer is go-mssqldb: sqlserver:// URLs, odbc:-prefixed ODBC
	// strings, else ADO key=value pairs.
	SQLServer
)

// RedactDSN returns dsn with every password masked, for any driver.
func RedactDSN(dsn string) string { return AnyDriver.RedactDSN(dsn) }

// RedactDSN returns dsn as d reads it, with its password values and every
// part of uncertain meaning replaced by Mask, or Withheld when d cannot
// read it.
func (d Driver) RedactDSN(dsn string) string {
	if dsn == "" {
		return ""
	}
	r, ok := d.read(dsn)
	if !ok {
		return Withheld
	}
	return r.masked(dsn)
}

// Passwords returns what in dsn must never be printed: the password values
// as d reads them (unescaped) and the text of every part RedactDSN masks.
// For an unreadable dsn it returns dsn itself and the passwords of four
// bytes or more read before it became unreadable.
func (d Driver) Passwords(dsn string) []string {
	if dsn == "" {
		return nil
	}
	r, ok := d.read(dsn)
	if !ok {
		// What was read before the string became unsure may not be the
		// password at all: short values would make every message suspect.
		out := []string{dsn}
		for _, v := range r.values {
			if len(v) >= 4 {
				out = append(out, v)
			}
		}
		return out
	}
	out := append([]string(nil), r.values...)
	for _, s := range r.spans {
		out = append(out, dsn[s.start:s.end])
	}
	return out
}

// RedactMessage returns a driver's message text for printing: each
// occurrence of dsn is replaced by its masked form; the result is shown
// only if it quotes none of passwords, nor the passwords of dsn (see
// Redact).
func (d Driver) RedactMessage(text, dsn string, passwords ...string) string {
	if dsn != "" {
		text = strings.ReplaceAll(text, dsn, d.RedactDSN(dsn))
		passwords = append(passwords, d.Passwords(dsn)...)
	}
	return Redact(text, passwords...)
}

// Redact returns text, or WithheldMessage when text quotes one of the
// secrets: as it is, or escaped the way a URL, an ODBC braced value, an ADO
// quoted value or a libpq quoted value writes it. A secret counts where it
// stands as a word of its own (a password "sql" is not in "mssql"). The
// text is never shown with the secret cut out: that would show where it was.
func Redact(text string, secrets ...string) string {
	for _, s := range secrets {
		for _, form := range forms(s) {
			if containsWord(text, form) {
				return WithheldMessage
			}
		}
	}
	return text
}

// forms returns the ways a secret may be written in a message.
func forms(s string) []string {
	if s == "" {
		return nil
	}
	fs := []string{
		s,
		url.QueryEscape(s),
		url.PathEscape(s),
		strings.TrimPrefix(url.UserPassword("", s).String(), ":"),
		strings.ReplaceAll(s, "}", "}}"),
		strings.ReplaceAll(s, `"`, `""`),
		strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s),
		strings.ReplaceAll(s, "'", "''"),
	}
	sort.Strings(fs)
	out := fs[:0]
	for i, f := range fs {
		if i == 0 || f != fs[i-1] {
			out = append(out, f)
		}
	}
	return out
}

// containsWord reports whether w occurs in text with no letter or digit
// joined to it on a side where w itself begins or ends with one.
func containsWord(text, w string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], w)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(w)
		if (start == 0 || !joins(text[start-1], w[0])) && (end == len(text) || !joins(text[end], w[len(w)-1])) {
			return true
		}
		i = start + 1
	}
}

// joins reports whether the byte b beside a word's edge byte e makes the
// two one longer word: both are letters or digits (bytes of non-ASCII
// characters count as letters).
func joins(b, e byte) bool { return isWordByte(b) && isWordByte(e) }

func isWordByte(b byte) bool {
	return b >= 0x80 || b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// IsSecretKey reports whether a setting's name says it holds a secret.
func IsSecretKey(key string) bool {
	k := strings.ToLower(key)
	return strings.Contains(k, "password") || strings.HasSuffix(k, "pwd")
}
