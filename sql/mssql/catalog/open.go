package catalog

import (
	"context"
	"database/sql"
	"fmt"

	mssqldb "github.com/microsoft/go-mssqldb"

	"github.com/xdm-migrate/xdm/internal/secret"
	"github.com/xdm-migrate/xdm/sql/mssql"
)

// Open connects to the database o names through go-mssqldb, for Read and
// DBRows. Errors never show the password.
func Open(ctx context.Context, o mssql.ConnOptions) (*sql.DB, error) {
	cs, err := o.ConnectionString()
	if err != nil {
		return nil, err
	}
	fail := func(err error) error {
		return fmt.Errorf("connecting to %s: %s", o.Redacted(), secret.Redact(err.Error(), o.Password))
	}
	connector, err := mssqldb.NewConnector(cs)
	if err != nil {
		return nil, fail(err)
	}
	db := sql.OpenDB(connector)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fail(err)
	}
	return db, nil
}
