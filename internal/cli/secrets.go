package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/xdm-migrate/xdm/internal/secret"
)

// Passwords and connection strings reach a command through flags, XDM_*
// variables and the config file; all of them are flags by the time a
// command runs. Two checks here keep them out of the output of every
// command, whoever writes it: a connection string xdm cannot read is
// refused before any driver sees it (a driver's parse error may quote it),
// and every error message is checked against the command's secrets before
// it is printed.

// dsnDriver returns the driver whose rules the setting key's connection
// string follows, and whether key holds one.
func dsnDriver(key string) (secret.Driver, bool) {
	switch {
	case key == "pg.dsn":
		return secret.Postgres, true
	case key == "mssql.dsn":
		return secret.SQLServer, true
	case isDSNSetting(key):
		return secret.AnyDriver, true
	}
	return 0, false
}

// checkDSNSettings refuses a connection string that internal/secret cannot
// read: xdm could neither show it masked nor tell a driver's message that
// quotes a piece of it.
func checkDSNSettings(cmd *cobra.Command) error {
	var err error
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		key := configKey(cmd, f)
		d, ok := dsnDriver(key)
		if !ok || err != nil || f.Value.String() == "" {
			return
		}
		if d.RedactDSN(f.Value.String()) == secret.Withheld {
			err = usageErrorf("--%s (setting %s, %s): xdm cannot read this connection string, so it neither uses nor shows it. %s",
				f.Name, key, envName(key), dsnAdvice(d))
		}
	})
	return err
}

// dsnAdvice says how to write a connection string whose password holds
// special characters.
func dsnAdvice(d secret.Driver) string {
	const url = "In a URL, write the password's special characters percent-encoded (@ %40, / %2F, % %25, space %20, # %23, ? %3F)"
	switch d {
	case secret.Postgres:
		return url + `, or use key=value pairs with the password in single quotes: host=db user=xpr password='p@ss word' dbname=mrsdb`
	case secret.SQLServer:
		return url + `, or use ADO pairs with the password in double quotes: server=db;user id=sa;password="p@ss;word";database=XPDATA`
	}
	return url + "."
}

// redactError returns err's message for printing: without the connection
// strings and passwords of cmd's settings (see secret.Driver.RedactMessage).
func redactError(cmd *cobra.Command, msg string) string {
	if cmd == nil {
		return msg
	}
	var passwords []string
	type conn struct {
		d   secret.Driver
		dsn string
	}
	var conns []conn
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		v := f.Value.String()
		if v == "" || v == "[]" {
			return
		}
		key := configKey(cmd, f)
		if d, ok := dsnDriver(key); ok {
			conns = append(conns, conn{d, v})
		} else if secret.IsSecretKey(key) {
			passwords = append(passwords, v)
		}
	})
	for _, c := range conns {
		msg = c.d.RedactMessage(msg, c.dsn, passwords...)
	}
	if len(conns) == 0 {
		msg = secret.Redact(msg, passwords...)
	}
	if strings.Contains(msg, secret.WithheldMessage) && !strings.HasPrefix(msg, secret.WithheldMessage) {
		return msg
	}
	if msg == secret.WithheldMessage {
		return fmt.Sprintf("%s failed; %s", cmd.CommandPath(), msg)
	}
	return msg
}
