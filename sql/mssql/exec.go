package mssql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/golang-sql/sqlexp"
	mssql "github.com/microsoft/go-mssqldb"

	"github.com/xdm-migrate/xdm/internal/secret"
)

// DB is an Executor on one go-mssqldb connection, so that what a batch sets
// for the session (USE, SET, #temporary tables) holds for the next ones, as
// in sqlcmd.
type DB struct {
	db   *sql.DB
	conn *sql.Conn
}

// OpenDB returns a database/sql pool for the server o describes, through
// go-mssqldb, after one successful round trip. Errors never show the password.
func OpenDB(ctx context.Context, o ConnOptions) (*sql.DB, error) {
	db, err := openPool(o)
	if err != nil {
		return nil, err
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, o.connectError(err)
	}
	return db, nil
}

func openPool(o ConnOptions) (*sql.DB, error) {
	cs, err := o.ConnectionString()
	if err != nil {
		return nil, err
	}
	connector, err := mssql.NewConnector(cs)
	if err != nil {
		return nil, o.connectError(err)
	}
	return sql.OpenDB(connector), nil
}

// connectError says which server could not be reached, without the password
// (drivers may quote the connection string back).
func (o ConnOptions) connectError(err error) error {
	cs, _ := o.ConnectionString()
	return fmt.Errorf("connecting to %s: %s", o.Redacted(), secret.SQLServer.RedactMessage(err.Error(), cs, o.Password))
}

// Connect opens the connection o describes and sets QUOTED_IDENTIFIER as
// sqlcmd does: OFF unless o.QuotedIdentifier (-I). Errors never show the
// password.
func Connect(ctx context.Context, o ConnOptions) (*DB, error) {
	db, err := openPool(o)
	if err != nil {
		return nil, err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, o.connectError(err)
	}
	if !o.QuotedIdentifier {
		if _, err := conn.ExecContext(ctx, "SET QUOTED_IDENTIFIER OFF"); err != nil {
			conn.Close()
			db.Close()
			return nil, o.connectError(err)
		}
	}
	return &DB{db: db, conn: conn}, nil
}

// Close closes the connection.
func (d *DB) Close() error {
	d.conn.Close()
	return d.db.Close()
}

// Exec runs one batch and reports messages, result sets and row counts in
// the order the server sent them.
func (d *DB) Exec(ctx context.Context, text string, res Results) error {
	msgs := &sqlexp.ReturnMessage{}
	rows, err := d.conn.QueryContext(ctx, text, msgs)
	if err != nil {
		return reportServerError(err, res)
	}
	defer rows.Close()
	for active := true; active; {
		switch m := msgs.Message(ctx).(type) {
		case sqlexp.MsgNotice:
			if e, ok := m.Message.(mssql.Error); ok {
				res.Message(fromDriver(e))
			} else {
				res.Message(Message{Text: m.Message.String()})
			}
		case sqlexp.MsgError:
			if err := reportServerError(m.Error, res); err != nil {
				return err
			}
		case sqlexp.MsgRowsAffected:
			res.RowsAffected(m.Count)
		case sqlexp.MsgNext:
			if err := scanRows(rows, res); err != nil {
				return err
			}
		case sqlexp.MsgNextResultSet:
			active = rows.NextResultSet()
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return reportServerError(rows.Err(), res)
}

func scanRows(rows *sql.Rows, res Results) error {
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	res.ResultSet(cols)
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		res.Row(vals)
	}
	return nil
}

// reportServerError turns an error the server sent into Messages; anything
// else (nil included) is returned.
func reportServerError(err error, res Results) error {
	var me mssql.Error
	if !errors.As(err, &me) {
		return err
	}
	all := me.All
	if len(all) == 0 {
		all = []mssql.Error{me}
	}
	for _, e := range all {
		res.Message(fromDriver(e))
	}
	return nil
}

func fromDriver(e mssql.Error) Message {
	return Message{Number: e.Number, Class: e.Class, State: e.State, Text: e.Message,
		Server: e.ServerName, Proc: e.ProcName, Line: e.LineNo}
}
