package cli

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/xdm-migrate/xdm/sql/mssql"
)

// addConnFlags binds sqlcmd's connection flags (-S -d -U -P -E -l) and xdm's
// (--dsn, --encrypt, --trust-server-certificate) to o. Their settings are
// shared by all SQL Server commands: mssql.<flag> in the config file,
// XDM_MSSQL_<FLAG> in the environment (XDM_MSSQL_DSN, XDM_MSSQL_PASSWORD).
func addConnFlags(cmd *cobra.Command, o *mssql.ConnOptions) {
	f := cmd.Flags()
	f.StringVarP(&o.Server, "server", "S", "", `SQL Server: host[\instance][,port], "." for this machine`)
	f.StringVarP(&o.Database, "database", "d", "", "database to use (USE) before the script")
	f.StringVarP(&o.User, "user", "U", "", "SQL Server login; without -U (or with -E) Windows authentication")
	f.StringVarP(&o.Password, "password", "P", "", "password of the login; better set XDM_MSSQL_PASSWORD, or type it at the prompt")
	f.BoolVarP(&o.Trusted, "trusted", "E", false, "Windows authentication (trusted connection)")
	f.StringVar(&o.DSN, "dsn", "", "go-mssqldb connection string (sqlserver://user@host/instance?database=db) instead of -S/-d/-U")
	f.StringVar(&o.Encrypt, "encrypt", "", "TLS: true, false (login only), strict or disable; default: the driver's (false)")
	f.BoolVar(&o.TrustServerCertificate, "trust-server-certificate", false, "accept the server's TLS certificate without checking it")
	f.VarP(secondsValue{&o.ConnectTimeout}, "login-timeout", "l", "seconds to wait for the login (0: the driver's default)")
	// One connection setting serves every SQL Server command: mssql.server
	// (XDM_MSSQL_SERVER), mssql.dsn, mssql.password, ...
	for _, name := range []string{"server", "database", "user", "password", "trusted", "dsn", "encrypt", "trust-server-certificate", "login-timeout"} {
		setConfigKey(cmd, name, "mssql."+name)
	}
}

// askPassword prompts for the password when a SQL login has none and stdin
// is a terminal. Without a terminal it is an error: a batch job must set
// XDM_MSSQL_PASSWORD.
func askPassword(app *App, o *mssql.ConnOptions) error {
	if o.DSN != "" || o.Trusted || o.User == "" || o.Password != "" {
		return nil
	}
	if !app.IO.InTTY {
		return usageErrorf("no password for login %q: set XDM_MSSQL_PASSWORD (or -P, or mssql.password in the config file)", o.User)
	}
	fmt.Fprintf(app.IO.ErrOut, "Password for %s: ", o.User)
	pw, err := term.ReadPassword(int(os.Stdin.Fd()))
	fmt.Fprintln(app.IO.ErrOut)
	if err != nil {
		return fmt.Errorf("reading the password: %w", err)
	}
	o.Password = string(pw)
	return nil
}

// secondsValue is a duration flag given in whole seconds, as sqlcmd's -l and
// -t are; "30s" or "2m" work too.
type secondsValue struct{ d *time.Duration }

func (s secondsValue) String() string {
	if s.d == nil {
		return "0"
	}
	return strconv.Itoa(int(*s.d / time.Second))
}

func (s secondsValue) Set(v string) error {
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
		*s.d = time.Duration(n) * time.Second
		return nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return fmt.Errorf("%q is not a number of seconds", v)
	}
	*s.d = d
	return nil
}

func (s secondsValue) Type() string { return "seconds" }
