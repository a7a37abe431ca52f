package tdsfake

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	mssql "github.com/microsoft/go-mssqldb"
)

// TestDriverTalksToFake checks the fake against the real driver: login, a
// result set, and an error with its number, class and state.
func TestDriverTalksToFake(t *testing.T) {
	srv, err := Start(func(q string) []Token {
		switch {
		case strings.Contains(q, "fail"):
			return []Token{Error(50000, 16, 127, "it failed", 3)}
		default:
			return []Token{Rows([]string{"n", "s"}, []any{1, "eins"}, []any{2, nil})}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	db, err := sql.Open("sqlserver", srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, "SELECT n, s FROM t")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var n int
		var s sql.NullString
		if err := rows.Scan(&n, &s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s.String)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if strings.Join(got, ",") != "eins," {
		t.Errorf("rows %q", got)
	}
	_, err = db.ExecContext(ctx, "please fail")
	var me mssql.Error
	if !errors.As(err, &me) || me.Number != 50000 || me.Class != 16 || me.State != 127 || me.LineNo != 3 {
		t.Errorf("error %#v", err)
	}
	if b := srv.Batches(); len(b) != 2 || b[1] != "please fail" {
		t.Errorf("batches %q", b)
	}
}

// TestLargeMessages sends a batch and gets a reply that each take many packets.
func TestLargeMessages(t *testing.T) {
	var rows [][]any
	for i := 0; i < 500; i++ {
		rows = append(rows, []any{i, strings.Repeat("ü", 20)})
	}
	srv, err := Start(func(string) []Token { return []Token{Rows([]string{"n", "s"}, rows...)} })
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	db, err := sql.Open("sqlserver", srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	long := "SELECT '" + strings.Repeat("x", 20000) + "'"
	r, err := db.Query(long)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for r.Next() {
		var i int
		var s string
		if err := r.Scan(&i, &s); err != nil || i != n || s != rows[n][1] {
			t.Fatalf("row %d: %d %q %v", n, i, s, err)
		}
		n++
	}
	r.Close()
	if n != 500 {
		t.Errorf("%d rows", n)
	}
	if b := srv.Batches(); len(b) != 1 || b[0] != long {
		t.Errorf("the server got %d batches, the first %d bytes long", len(b), len(b[0]))
	}
}

// TestProcedureCall: a batch that is only a procedure name goes as an RPC
// request, which the fake handles like a batch holding that name.
func TestProcedureCall(t *testing.T) {
	srv, err := Start(func(q string) []Token { return []Token{Print("called " + q)} })
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	db, err := sql.Open("sqlserver", srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("sp_who"); err != nil {
		t.Fatal(err)
	}
	if b := srv.Batches(); len(b) != 1 || b[0] != "sp_who" {
		t.Errorf("batches %q", b)
	}
}
