// Package mssql connects to SQL Server through github.com/microsoft/go-mssqldb
// with the connection settings sqlcmd users know (-S, -d, -U, -P, -E), and
// runs sqlcmd scripts: Run reads the batches with sql/batch and sends them
// through an Executor (Connect returns the go-mssqldb one) with sqlcmd's error
// handling (-b, :on error, state 127), checkpoints and resume.
package mssql

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/xdm-migrate/xdm/internal/secret"
)

// ConnOptions are the connection settings of sqlcmd plus a DSN. A non-empty
// DSN wins over the other fields except Password, which fills a DSN without one.
type ConnOptions struct {
	Server   string // -S: server[\instance][,port], optionally tcp: prefixed; "." and "(local)" mean localhost
	Database string // -d
	User     string // -U; empty with Trusted means Windows authentication
	Password string // -P or XDM_MSSQL_PASSWORD
	Trusted  bool   // -E
	DSN      string // sqlserver://... or key=value as go-mssqldb takes it

	Encrypt                string // "", "true", "false", "strict", "disable"
	TrustServerCertificate bool
	ConnectTimeout         time.Duration // -l
	AppName                string
	// QuotedIdentifier is sqlcmd -I: SET QUOTED_IDENTIFIER ON for the
	// session. sqlcmd's default, and Connect's, is OFF.
	QuotedIdentifier bool
}

// ConnectionString returns the go-mssqldb connection string. It holds the
// password: never print it; use Redacted.
func (o ConnOptions) ConnectionString() (string, error) {
	if o.DSN != "" {
		return o.dsnWithPassword()
	}
	if o.Server == "" {
		return "", fmt.Errorf("no server: give -S server[\\instance][,port] or --dsn")
	}
	host, instance, port, err := ParseServer(o.Server)
	if err != nil {
		return "", err
	}
	u := &url.URL{Scheme: "sqlserver", Host: host}
	if port != 0 {
		u.Host = host + ":" + strconv.Itoa(port)
	}
	if instance != "" {
		u.Path = "/" + instance
	}
	if !o.Trusted && o.User != "" {
		u.User = url.UserPassword(o.User, o.Password)
	}
	q := url.Values{}
	if o.Database != "" {
		q.Set("database", o.Database)
	}
	if o.Encrypt != "" {
		q.Set("encrypt", o.Encrypt)
	}
	if o.TrustServerCertificate {
		q.Set("TrustServerCertificate", "true")
	}
	if o.ConnectTimeout > 0 {
		q.Set("connection timeout", strconv.Itoa(int(o.ConnectTimeout/time.Second)))
	}
	app := o.AppName
	if app == "" {
		app = "xdm"
	}
	q.Set("app name", app)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func (o ConnOptions) dsnWithPassword() (string, error) {
	if o.Password == "" {
		return o.DSN, nil
	}
	u, err := url.Parse(o.DSN)
	if err != nil || u.Scheme == "" {
		// Quoted, so that a ";" or quote in the password stays in it.
		if strings.HasPrefix(o.DSN, "odbc:") {
			return strings.TrimRight(o.DSN, ";") + ";pwd={" + strings.ReplaceAll(o.Password, "}", "}}") + "}", nil
		}
		return strings.TrimRight(o.DSN, ";") + `;password="` + strings.ReplaceAll(o.Password, `"`, `""`) + `"`, nil
	}
	if u.User != nil {
		if _, has := u.User.Password(); !has {
			u.User = url.UserPassword(u.User.Username(), o.Password)
		}
	}
	return u.String(), nil
}

// Redacted describes the connection for messages, without the password.
func (o ConnOptions) Redacted() string {
	s, err := o.ConnectionString()
	if err != nil {
		return o.Server
	}
	return secret.SQLServer.RedactDSN(s)
}

// ParseServer splits sqlcmd's -S value: [tcp:]host[\instance][,port].
// "." , "(local)" and "(localdb)" hosts become localhost.
func ParseServer(s string) (host, instance string, port int, err error) {
	s = strings.TrimSpace(s)
	if p, ok := strings.CutPrefix(strings.ToLower(s), "tcp:"); ok {
		s = s[len(s)-len(p):]
	}
	if h, p, ok := strings.Cut(s, ","); ok {
		port, err = strconv.Atoi(strings.TrimSpace(p))
		if err != nil || port <= 0 || port > 65535 {
			return "", "", 0, fmt.Errorf("server %q: port %q is not a number from 1 to 65535", s, p)
		}
		s = h
	}
	host, instance, _ = strings.Cut(s, `\`)
	switch strings.ToLower(host) {
	case ".", "(local)", "":
		host = "localhost"
	}
	return host, instance, port, nil
}
