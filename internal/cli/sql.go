package cli

import "github.com/spf13/cobra"

// newCmdSQL is the parent of the SQL Server commands; each child lives in
// its own file.
func newCmdSQL(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sql",
		Short: "Work with SQL Server databases and scripts",
		Long: `Commands for SQL Server: run sqlcmd scripts ("xdm sql run" is a drop-in
for "sqlcmd -S ... -i FILE"), make a script of a newer server run on an older
one ("xdm sql downgrade", "xdm sql check"), and script a database, schema and
data, for an older version ("xdm sql script", "xdm sql catalog").

Connection settings are sqlcmd's (-S -d -U -P -E -l) or a DSN (--dsn,
XDM_MSSQL_DSN). The password comes from -P, XDM_MSSQL_PASSWORD, mssql.password
in the config file, or a prompt; it never appears in output, logs or errors.`,
		Example: `  xdm sql run -S "SQLSERVER\SQL2016" -i "C:\XPDATA-Export\xpdata.sql"
  xdm sql script -S "SQLSERVER\XPHONE" -d XPDATA --target 2014 -o xpdata-2014.sql
  xdm sql downgrade ssms-2019.sql --target 2014 -o ssms-2014.sql`,
	}
	cmd.AddCommand(
		newCmdSQLRun(app, nil),
		newCmdSQLDowngrade(app, nil),
		newCmdSQLCheck(app, nil),
		newCmdSQLScript(app, nil),
		newCmdSQLCatalog(app, nil),
	)
	return cmd
}
