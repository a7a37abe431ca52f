package catalog

import (
	"context"
	"database/sql"

	"github.com/xdm-migrate/xdm/sql/mssql"
)

// Open connects to the database o names through go-mssqldb, for Read and
// DBRows. Errors never show the password.
func Open(ctx context.Context, o mssql.ConnOptions) (*sql.DB, error) {
	return mssql.OpenDB(ctx, o)
}
