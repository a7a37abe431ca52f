package cli

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/xdm-migrate/xdm/sql/mssql"
)

// addConnFlags binds sqlcmd's connection flags (-S -d -U -P -E -N -C -l -F
// -a -H -K -M -A) and xdm's --dsn to o, checking their values as sqlcmd
// does. Their settings are shared by all SQL Server commands:
// mssql.<flag> in the config file, XDM_MSSQL_<FLAG> in the environment
// (XDM_MSSQL_DSN, XDM_MSSQL_PASSWORD).
func addConnFlags(cmd *cobra.Command, o *mssql.ConnOptions) {
	f := cmd.Flags()
	f.StringVarP(&o.Server, "server", "S", "", `SQL Server: [tcp:|np:|lpc:]host[\instance][,port]; "." for this machine`)
	f.StringVarP(&o.Database, "database", "d", "", "database to use (USE) before the script")
	f.StringVarP(&o.User, "user", "U", "", "SQL Server login; without -U (or with -E) Windows authentication")
	f.StringVarP(&o.Password, "password", "P", "", "password of the login; better set XDM_MSSQL_PASSWORD (or SQLCMDPASSWORD), or type it at the prompt")
	f.BoolVarP(&o.Trusted, "trusted", "E", false, "Windows authentication (trusted connection)")
	f.StringVar(&o.DSN, "dsn", "", "go-mssqldb connection string (sqlserver://user@host/instance?database=db) instead of -S/-d/-U")
	f.VarP(encryptValue{&o.Encrypt}, "encrypt", "N", "encrypt the connection: m[andatory], yes, 1, t[rue], o[ptional], no, 0, f[alse], s[trict] or disable (-N alone: true)")
	f.BoolVarP(&o.TrustServerCertificate, "trust-server-certificate", "C", false, "accept the server's TLS certificate without checking it")
	f.StringVarP(&o.HostNameInCertificate, "host-name-in-certificate", "F", "", "host name the server's TLS certificate must name")
	f.VarP(&loginTimeoutValue{&o.LoginTimeout}, "login-timeout", "l", "seconds to wait for the connection and login, 0 to 65534 (0: as long as the network does)")
	f.VarP(rangeValue{&o.PacketSize, 512, 32767, "the packet size"}, "packet-size", "a", "network packet size, 512 to 32767 (default: the server's)")
	f.StringVarP(&o.Workstation, "workstation", "H", "", "workstation name the server sees (default: this computer's)")
	f.VarP(intentValue{&o.ApplicationIntent}, "application-intent", "K", "ReadOnly to connect to a readable secondary of an availability group")
	f.BoolVarP(&o.MultiSubnetFailover, "multi-subnet-failover", "M", false, "connect to an availability group listener or failover cluster instance faster")
	f.BoolVarP(&o.AdminConnection, "dedicated-admin-connection", "A", false, "dedicated administrator connection (DAC)")
	// One connection setting serves every SQL Server command: mssql.server
	// (XDM_MSSQL_SERVER), mssql.dsn, mssql.password, ...
	for _, name := range []string{"server", "database", "user", "password", "trusted", "dsn", "encrypt", "trust-server-certificate",
		"host-name-in-certificate", "login-timeout", "packet-size", "workstation", "application-intent", "multi-subnet-failover"} {
		setConfigKey(cmd, name, "mssql."+name)
	}
}

// sqlcmdConn completes o as sqlcmd does: the server, login, password and
// database come from SQLCMDSERVER, SQLCMDUSER, SQLCMDPASSWORD and
// SQLCMDDBNAME when nothing else gave them, unless useEnv is false (-X);
// -E with -U or -P is an error.
func sqlcmdConn(o *mssql.ConnOptions, useEnv bool) error {
	if o.Trusted && (o.User != "" || o.Password != "") {
		return usageErrorf("-E and -U/-P cannot be used together: -E is Windows authentication, -U/-P a SQL Server login")
	}
	if !useEnv || o.DSN != "" {
		return nil
	}
	fill := func(v *string, env string) {
		if *v == "" {
			*v = os.Getenv(env)
		}
	}
	fill(&o.Server, "SQLCMDSERVER")
	if !o.Trusted {
		fill(&o.User, "SQLCMDUSER")
		fill(&o.Password, "SQLCMDPASSWORD")
	}
	fill(&o.Database, "SQLCMDDBNAME")
	return nil
}

// encryptValue is -N: sqlcmd's values, mapped to go-mssqldb's encrypt
// setting. -N without a value is true (see sqlcmdArgs).
type encryptValue struct{ p *string }

func (e encryptValue) String() string {
	if e.p == nil {
		return ""
	}
	return *e.p
}
func (e encryptValue) Type() string { return "mode" }
func (e encryptValue) Set(v string) error {
	switch strings.ToLower(v) {
	case "m", "mandatory", "yes", "1", "t", "true":
		*e.p = "true"
	case "o", "optional", "no", "0", "f", "false":
		*e.p = "false"
	case "s", "strict":
		*e.p = "strict"
	case "disable":
		*e.p = "disable"
	default:
		return fmt.Errorf("expected m[andatory], yes, 1, t[rue], o[ptional], no, 0, f[alse], s[trict] or disable, found %q", v)
	}
	return nil
}

// loginTimeoutValue is -l: whole seconds from 0 to 65534, sqlcmd's 8 by
// default; 0 waits as long as the network does.
type loginTimeoutValue struct{ d *time.Duration }

func (l *loginTimeoutValue) String() string {
	if l.d == nil || *l.d == 0 {
		return "8"
	}
	if *l.d < 0 {
		return "0"
	}
	return strconv.Itoa(int(*l.d / time.Second))
}
func (l *loginTimeoutValue) Type() string { return "seconds" }
func (l *loginTimeoutValue) Set(v string) error {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 || n > 65534 {
		return fmt.Errorf("expected a number of seconds from 0 to 65534, found %q", v)
	}
	*l.d = time.Duration(n) * time.Second
	if n == 0 {
		*l.d = -1
	}
	return nil
}

// rangeValue is an integer flag with sqlcmd's bounds; 0 (unset) is allowed.
type rangeValue struct {
	p        *int
	min, max int
	what     string
}

func (r rangeValue) String() string {
	if r.p == nil {
		return "0"
	}
	return strconv.Itoa(*r.p)
}
func (r rangeValue) Type() string { return "int" }
func (r rangeValue) Set(v string) error {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < r.min || n > r.max {
		return fmt.Errorf("%s must be a number from %d to %d, found %q", r.what, r.min, r.max, v)
	}
	*r.p = n
	return nil
}

// intentValue is -K: ReadOnly is the only application intent.
type intentValue struct{ p *string }

func (i intentValue) String() string {
	if i.p == nil {
		return ""
	}
	return *i.p
}
func (i intentValue) Type() string { return "intent" }
func (i intentValue) Set(v string) error {
	if !strings.EqualFold(v, "readonly") {
		return fmt.Errorf("the only application intent is ReadOnly, found %q", v)
	}
	*i.p = "ReadOnly"
	return nil
}

// connectExit maps a server that cannot be used to an exit code: a
// protocol this build lacks is a failure (4, the same command line works on
// Windows); no server or a malformed -S is a usage error (2).
func connectExit(err error) error {
	switch {
	case errors.Is(err, mssql.ErrProtocol):
		return exitWith(ExitFailure, fmt.Errorf("-S: %w", err))
	case errors.Is(err, mssql.ErrNoServer):
		return usageErrorf("no server: give -S server[\\instance][,port] or --dsn (sqlcmd's default, this machine's default instance, is -S .)")
	}
	return usageErrorf("-S: %v", err)
}

// askPassword prompts for the password when a SQL login has none and stdin
// is a terminal. Without a terminal it is an error: a batch job must set
// XDM_MSSQL_PASSWORD (or SQLCMDPASSWORD).
func askPassword(app *App, o *mssql.ConnOptions) error {
	if o.DSN != "" || o.Trusted || o.User == "" || o.Password != "" {
		return nil
	}
	in, ok := app.IO.In.(interface{ Fd() uintptr })
	if !app.IO.InTTY || !ok {
		return usageErrorf("no password for login %q: set XDM_MSSQL_PASSWORD or SQLCMDPASSWORD (or -P, or mssql.password in the config file)", o.User)
	}
	fmt.Fprintf(app.IO.ErrOut, "Password for %s: ", o.User)
	pw, err := term.ReadPassword(int(in.Fd()))
	fmt.Fprintln(app.IO.ErrOut)
	if err != nil {
		return fmt.Errorf("reading the password: %w", err)
	}
	o.Password = string(pw)
	return nil
}
