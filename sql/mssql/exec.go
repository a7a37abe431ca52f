package mssql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/golang-sql/sqlexp"
	mssql "github.com/microsoft/go-mssqldb"
)

// DB is an Executor on one go-mssqldb connection, so that what a batch sets
// for the session (USE, SET, #temporary tables) holds for the next ones, as
// in sqlcmd.
type DB struct {
	db   *sql.DB
	conn *sql.Conn
}

// OpenDB returns a database/sql pool for the server o describes, through
// go-mssqldb, after one successful round trip. Every connection of the pool
// logs in within o's login timeout. Errors never show the password.
func OpenDB(ctx context.Context, o ConnOptions) (*sql.DB, error) {
	c, err := newConnector(o)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(c)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, o.connectError(ctx, err)
	}
	return db, nil
}

// connectError says which server could not be reached and why, without the
// password: the server's own messages and network errors as they are, any
// other driver text only when it does not quote the password.
func (o ConnOptions) connectError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var me mssql.Error
	var ne net.Error
	var pe *protoError
	var be *browserErr
	msg := ""
	switch {
	case errors.As(err, &me):
		msg = fmt.Sprintf("Msg %d, Level %d, State %d: %s", me.Number, me.Class, me.State, me.Message)
	case errors.Is(err, ErrLoginTimeout), errors.As(err, &pe), errors.As(err, &be), errors.As(err, &ne):
		msg = err.Error()
	default:
		msg = scrubDriverText(err, o)
	}
	return &connError{target: o.Redacted(), msg: msg, err: err}
}

// connError is a connection that failed; it matches the sentinels of its
// cause (ErrLoginTimeout, ErrBrowser, ErrProtocol) but prints only the
// scrubbed text.
type connError struct {
	target, msg string
	err         error
}

func (e *connError) Error() string { return "connecting to " + e.target + ": " + e.msg }
func (e *connError) Unwrap() error { return e.err }

// Connect opens the connection o describes and sets QUOTED_IDENTIFIER as
// sqlcmd does: OFF unless o.QuotedIdentifier (-I). The login is bounded by
// o's login timeout and ends at once when ctx does. Errors never show the
// password.
func Connect(ctx context.Context, o ConnOptions) (*DB, error) {
	c, err := newConnector(o)
	if err != nil {
		return nil, o.connectError(ctx, err)
	}
	db := sql.OpenDB(c)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, o.connectError(ctx, err)
	}
	if !o.QuotedIdentifier {
		if _, err := conn.ExecContext(ctx, "SET QUOTED_IDENTIFIER OFF"); err != nil {
			conn.Close()
			db.Close()
			return nil, o.connectError(ctx, err)
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
	types, err := rows.ColumnTypes()
	if err != nil {
		return err
	}
	cols := make([]Column, len(types))
	for i, t := range types {
		cols[i] = columnOf(t)
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

// columnOf describes a column from what the driver knows of it.
func columnOf(t *sql.ColumnType) Column {
	c := Column{Name: t.Name(), Type: strings.ToUpper(t.DatabaseTypeName())}
	if n, ok := t.Length(); ok {
		c.Length = n
	}
	p, s, ok := t.DecimalSize()
	switch {
	case ok:
		c.Precision, c.Scale = p, s
	case c.Type == "TIME" || c.Type == "DATETIME2" || c.Type == "DATETIMEOFFSET":
		c.Scale = 7
	}
	return c
}

func fromDriver(e mssql.Error) Message {
	return Message{Number: e.Number, Class: e.Class, State: e.State, Text: e.Message,
		Server: e.ServerName, Proc: e.ProcName, Line: e.LineNo}
}
