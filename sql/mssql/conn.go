// Package mssql connects to SQL Server through github.com/microsoft/go-mssqldb
// with the connection settings sqlcmd users know (-S, -d, -U, -P, -E, -l),
// and runs sqlcmd scripts: Run reads the batches with sql/batch and sends
// them through an Executor (Connect returns the go-mssqldb one) with
// sqlcmd's error handling (-b, :on error, state 127), checkpoints and resume.
package mssql

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/xdm-migrate/xdm/internal/secret"
)

// ConnOptions are the connection settings of sqlcmd plus a DSN. A non-empty
// DSN wins over the other fields except Password, which fills a DSN without
// one, and LoginTimeout.
type ConnOptions struct {
	// Server is sqlcmd's -S: [tcp:|np:|lpc:|admin:]host[\instance][,port],
	// or a named pipe \\host\pipe\name. "." and "(local)" are this machine.
	// A named instance without a port is looked up with the SQL Server
	// Browser (UDP 1434 on host).
	Server   string
	Database string // -d
	User     string // -U; empty with Trusted means Windows authentication
	Password string // -P or XDM_MSSQL_PASSWORD
	Trusted  bool   // -E
	DSN      string // sqlserver://... or key=value as go-mssqldb takes it

	Encrypt                string // -N: "", "true", "mandatory", "false", "optional", "strict", "disable"
	TrustServerCertificate bool   // -C
	HostNameInCertificate  string // -F
	// LoginTimeout bounds the connection and login (-l): 0 is sqlcmd's
	// default of 8 seconds, a negative value waits as long as the network
	// does. It covers the SQL Server Browser lookup, the TCP connection,
	// TLS and the login, never the batches.
	LoginTimeout        time.Duration
	PacketSize          int    // -a: 512 to 32767; 0 is the server's default
	Workstation         string // -H
	ApplicationIntent   string // -K: "ReadOnly" or ""
	MultiSubnetFailover bool   // -M
	AdminConnection     bool   // -A: the dedicated administrator connection (admin: protocol)
	AppName             string
	// QuotedIdentifier is sqlcmd -I: SET QUOTED_IDENTIFIER ON for the
	// session. sqlcmd's default, and Connect's, is OFF.
	QuotedIdentifier bool
	// BrowserPort is the UDP port of the SQL Server Browser; 0 is 1434.
	BrowserPort int
}

// DefaultLoginTimeout is sqlcmd's login timeout.
const DefaultLoginTimeout = 8 * time.Second

func (o ConnOptions) loginTimeout() time.Duration {
	switch {
	case o.LoginTimeout == 0:
		return DefaultLoginTimeout
	case o.LoginTimeout < 0:
		return 0
	}
	return o.LoginTimeout
}

// ErrNoServer is returned when neither a server nor a DSN is given.
var ErrNoServer = errors.New("no server given")

// ErrProtocol is the kind of the error for a protocol this build of xdm
// cannot use (named pipes and shared memory outside Windows).
var ErrProtocol = errors.New("protocol not available")

// Address is a parsed -S value.
type Address struct {
	// Protocol is "tcp", "np" (named pipes), "lpc" (shared memory),
	// "admin" (dedicated administrator connection) or "" (TCP, as sqlcmd
	// tries first).
	Protocol string
	Host     string // "localhost" for ".", "(local)" and an empty host
	Instance string
	Port     int
	Pipe     string // np: the pipe path \\host\pipe\name, if given as such
}

// ParseServer splits sqlcmd's -S value:
// [tcp:|np:|lpc:|admin:]host[\instance][,port], or a pipe \\host\pipe\name.
func ParseServer(s string) (Address, error) {
	orig := s
	s = strings.TrimSpace(s)
	var a Address
	if p, rest, ok := strings.Cut(s, ":"); ok && !strings.Contains(p, `\`) && !strings.Contains(p, ",") {
		switch strings.ToLower(p) {
		case "tcp", "np", "lpc", "admin":
			a.Protocol, s = strings.ToLower(p), rest
		default:
			if !strings.HasPrefix(s, "[") && net.ParseIP(s) == nil {
				return a, fmt.Errorf("server %q: unknown protocol %q: the protocols are tcp, np, lpc and admin", orig, p)
			}
		}
	}
	if strings.HasPrefix(s, `\\`) {
		if a.Protocol != "" && a.Protocol != "np" {
			return a, fmt.Errorf("server %q: a pipe name is for the np protocol", orig)
		}
		parts := strings.SplitN(s[2:], `\`, 3)
		if len(parts) != 3 || !strings.EqualFold(parts[1], "pipe") || parts[0] == "" || parts[2] == "" {
			return a, fmt.Errorf(`server %q: a named pipe is \\host\pipe\name`, orig)
		}
		a.Protocol, a.Host, a.Pipe = "np", localName(parts[0]), s
		return a, nil
	}
	if h, p, ok := strings.Cut(s, ","); ok {
		port, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || port <= 0 || port > 65535 {
			return a, fmt.Errorf("server %q: port %q is not a number from 1 to 65535", orig, p)
		}
		a.Port, s = port, h
	}
	host, inst, _ := strings.Cut(s, `\`)
	if strings.EqualFold(host, "(localdb)") {
		return a, fmt.Errorf("server %q: LocalDB is reached through its named pipe: np:\\\\.\\pipe\\LOCALDB#...\\tsql\\query as \"SqlLocalDB info %s\" prints it", orig, inst)
	}
	a.Host, a.Instance = localName(strings.Trim(host, "[]")), inst
	if a.Port != 0 && (a.Protocol == "np" || a.Protocol == "lpc") {
		return a, fmt.Errorf("server %q: a port is for TCP, not for the %s protocol", orig, a.Protocol)
	}
	return a, nil
}

func localName(host string) string {
	switch strings.ToLower(host) {
	case ".", "(local)", "":
		return "localhost"
	}
	return host
}

// String writes the address back as -S takes it.
func (a Address) String() string {
	if a.Pipe != "" {
		return "np:" + a.Pipe
	}
	s := a.Host
	if a.Instance != "" {
		s += `\` + a.Instance
	}
	if a.Port != 0 {
		s += "," + strconv.Itoa(a.Port)
	}
	if a.Protocol != "" {
		s = a.Protocol + ":" + s
	}
	return s
}

// protocolError says that this build cannot use a's protocol, and how to
// use TCP/IP instead.
func protocolError(a Address) error {
	what := map[string]string{"np": "named pipes (np:)", "lpc": "shared memory (lpc:)"}[a.Protocol]
	if what == "" || protocolAvailable(a.Protocol) {
		return nil
	}
	where := "on Windows only"
	if runtime.GOOS == "windows" {
		where = "on Windows for amd64 and 386 only"
	}
	inst := a.Instance
	if inst == "" {
		inst = pipeInstance(a.Pipe)
	}
	return &protoError{fmt.Sprintf("server %s needs %s, which go-mssqldb speaks %s; this xdm runs on %s/%s. "+
		"Connect over TCP/IP instead: server %s,PORT, or %s\\%s with the SQL Server Browser service running. "+
		"If TCP/IP is off for the instance, enable it in SQL Server Configuration Manager "+
		"(SQL Server Network Configuration > Protocols for %s > TCP/IP > Enabled) and restart the SQL Server service",
		a, what, where, runtime.GOOS, runtime.GOARCH, a.Host, a.Host, inst, inst)}
}

// pipeInstance returns the instance whose pipe is \\host\pipe\MSSQL$NAME\sql\query,
// or MSSQLSERVER, the default instance's name, for any other pipe.
func pipeInstance(pipe string) string {
	parts := strings.Split(pipe, `\`)
	for i, p := range parts {
		if i > 0 && strings.EqualFold(parts[i-1], "pipe") && len(p) > 6 && strings.EqualFold(p[:6], "MSSQL$") {
			return p[6:]
		}
	}
	return "MSSQLSERVER"
}

type protoError struct{ msg string }

func (e *protoError) Error() string { return e.msg }
func (e *protoError) Unwrap() error { return ErrProtocol }

// connectionString returns the go-mssqldb connection string for a, whose
// instance port is resolved when it needs one. It holds the password: never
// print it.
func (o ConnOptions) connectionString(a Address) string {
	u := &url.URL{Scheme: "sqlserver", Host: a.Host}
	if strings.Contains(a.Host, ":") {
		u.Host = "[" + a.Host + "]"
	}
	if a.Port != 0 {
		u.Host = net.JoinHostPort(a.Host, strconv.Itoa(a.Port))
	}
	if a.Instance != "" {
		u.Path = "/" + a.Instance
	}
	if !o.Trusted && o.User != "" {
		u.User = url.UserPassword(o.User, o.Password)
	}
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("database", o.Database)
	set("encrypt", o.Encrypt)
	if o.TrustServerCertificate {
		q.Set("TrustServerCertificate", "true")
	}
	set("hostnameincertificate", o.HostNameInCertificate)
	if t := o.loginTimeout(); t > 0 {
		q.Set("dial timeout", strconv.Itoa(int((t+time.Second-1)/time.Second)))
	}
	if o.PacketSize > 0 {
		q.Set("packet size", strconv.Itoa(o.PacketSize))
	}
	set("workstation id", o.Workstation)
	set("applicationintent", o.ApplicationIntent)
	if o.MultiSubnetFailover {
		q.Set("multisubnetfailover", "true")
	}
	switch {
	case a.Pipe != "":
		q.Set("protocol", "np")
		q.Set("pipe", a.Pipe)
	case a.Protocol != "":
		q.Set("protocol", a.Protocol)
	}
	app := o.AppName
	if app == "" {
		app = "xdm"
	}
	q.Set("app name", app)
	u.RawQuery = q.Encode()
	return u.String()
}

// dsnWithPassword is the DSN with Password filled in where it has none.
func (o ConnOptions) dsnWithPassword() string {
	if o.Password == "" {
		return o.DSN
	}
	u, err := url.Parse(o.DSN)
	if err != nil || u.Scheme == "" {
		// Quoted, so that a ";" or quote in the password stays in it.
		if strings.HasPrefix(o.DSN, "odbc:") {
			return strings.TrimRight(o.DSN, ";") + ";pwd={" + strings.ReplaceAll(o.Password, "}", "}}") + "}"
		}
		return strings.TrimRight(o.DSN, ";") + `;password="` + strings.ReplaceAll(o.Password, `"`, `""`) + `"`
	}
	if u.User != nil {
		if _, has := u.User.Password(); !has {
			u.User = url.UserPassword(u.User.Username(), o.Password)
		}
	}
	return u.String()
}

// Address returns the server o names; for a DSN, the zero Address.
func (o ConnOptions) Address() (Address, error) {
	if o.DSN != "" {
		return Address{}, nil
	}
	if strings.TrimSpace(o.Server) == "" {
		return Address{}, ErrNoServer
	}
	a, err := ParseServer(o.Server)
	if err != nil {
		return a, err
	}
	if o.AdminConnection {
		if a.Protocol != "" && a.Protocol != "admin" {
			return a, fmt.Errorf("server %q: the dedicated administrator connection uses the admin protocol, not %s", o.Server, a.Protocol)
		}
		a.Protocol = "admin"
	}
	if err := protocolError(a); err != nil {
		return a, err
	}
	return a, nil
}

// Redacted describes the connection for messages: the server, database and
// login, never the password. A DSN is shown with its password masked by
// structure (internal/secret), or not at all if it cannot be parsed.
func (o ConnOptions) Redacted() string {
	if o.DSN != "" {
		return secret.SQLServer.RedactDSN(o.DSN)
	}
	s := strings.TrimSpace(o.Server)
	var extra []string
	if o.Database != "" {
		extra = append(extra, "database "+o.Database)
	}
	switch {
	case !o.Trusted && o.User != "":
		extra = append(extra, "login "+o.User)
	default:
		extra = append(extra, "Windows authentication")
	}
	return s + " (" + strings.Join(extra, ", ") + ")"
}
