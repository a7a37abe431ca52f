// Package secret keeps passwords out of logs, errors and reports.
package secret

import (
	"net/url"
	"regexp"
	"strings"
)

// Mask is what a hidden value is replaced with.
const Mask = "xxxxx"

// passwordKV matches password settings in key=value connection strings, as
// used by libpq ("password=secret"), ODBC/ADO ("Password=secret;", "PWD={se;cret}").
var passwordKV = regexp.MustCompile(`(?i)\b(password|pwd)(\s*=\s*)('(?:[^'\\]|\\.)*'|\{[^}]*\}|"[^"]*"|[^;\s]*)`)

// RedactDSN returns dsn with any password replaced by Mask. It understands URL
// DSNs (postgres://user:pw@host/db, sqlserver://user:pw@host?password=pw) and
// key=value strings. Text that is neither is returned with key=value passwords masked.
func RedactDSN(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" && u.Host != "" {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), Mask)
		}
		q := u.Query()
		changed := false
		for k := range q {
			if isPasswordKey(k) {
				q.Set(k, Mask)
				changed = true
			}
		}
		if changed {
			u.RawQuery = q.Encode()
		}
		return u.String()
	}
	return passwordKV.ReplaceAllString(dsn, "${1}${2}"+Mask)
}

// Redact replaces every occurrence of the given secrets in s by Mask: for error
// texts from drivers that may quote a connection string or a password back.
func Redact(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) >= 1 {
			s = strings.ReplaceAll(s, sec, Mask)
		}
	}
	return s
}

// IsSecretKey reports whether a setting's name says it holds a secret.
func IsSecretKey(key string) bool {
	k := strings.ToLower(key)
	return strings.Contains(k, "password") || strings.HasSuffix(k, "pwd")
}

func isPasswordKey(k string) bool {
	k = strings.ToLower(k)
	return k == "password" || k == "pwd"
}
