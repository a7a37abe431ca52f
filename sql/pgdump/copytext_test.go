package pgdump

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/xdm-migrate/xdm/internal/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

func TestDecodeField(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		null     bool
	}{
		{`\N`, "", true},
		{`\\N`, `\N`, false},
		{`a\tb\nc\rd\\e\bf\fg\vh`, "a\tb\nc\rd\\e\bf\fg\vh", false},
		{`\101\1012\0`, "AA2\x00", false},
		{`\777`, "\xff", false}, // modulo 256, as the server does
		{`\x41\x4g\xZ`, "A\x04gxZ", false},
		{`\q\`, `q\`, false},
		{``, ``, false},
	} {
		got, null := DecodeField(nil, []byte(tc.in))
		if string(got) != tc.want || null != tc.null {
			t.Errorf("DecodeField(%q) = %q, %v; want %q, %v", tc.in, got, null, tc.want, tc.null)
		}
	}
}

// copyDB is a database whose server encoding is SQL_ASCII, which stores
// every byte but 0 as it is: the COPY codec is tested on raw bytes.
func copyDB(t *testing.T) *pgx.Conn {
	t.Helper()
	c := pgtest.Shared(t)
	db := strings.ToLower(strings.ReplaceAll(t.Name(), "/", "_"))
	c.Psql(t, "postgres", fmt.Sprintf(`DROP DATABASE IF EXISTS %q; CREATE DATABASE %q TEMPLATE template0 ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C'`, db, db))
	conn, err := pgx.Connect(context.Background(), c.DSN(db))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	if _, err := conn.Exec(context.Background(), "CREATE TABLE t (id int PRIMARY KEY, v text)"); err != nil {
		t.Fatal(err)
	}
	return conn
}

// copyValues are the values the codec tests store: every byte alone, every
// byte in one value, the escapes' own characters, the NULL marker as text.
func copyValues() [][]byte {
	var vs [][]byte
	all := make([]byte, 0, 255)
	for c := 1; c < 256; c++ {
		vs = append(vs, []byte{byte(c)})
		all = append(all, byte(c))
	}
	return append(vs, all, []byte{}, []byte(`\N`), []byte(`N`), []byte("a\tb\nc\rd\\e\bf\fg\vh"), []byte("J\xc3\xb6rg \\x41"))
}

// TestEncodeFieldAsCopyTo stores values in a real PostgreSQL and compares
// what its COPY TO (the way pg_dump writes data) makes of them with
// EncodeField, and DecodeField of that with the value.
func TestEncodeFieldAsCopyTo(t *testing.T) {
	conn := copyDB(t)
	ctx := context.Background()
	values := copyValues()
	for i, v := range values {
		if _, err := conn.Exec(ctx, "INSERT INTO t VALUES ($1, convert_from($2, 'SQL_ASCII'))", i, v); err != nil {
			t.Fatalf("value %d %q: %v", i, v, err)
		}
	}
	if _, err := conn.Exec(ctx, "INSERT INTO t VALUES ($1, NULL)", len(values)); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := conn.PgConn().CopyTo(ctx, &out, "COPY (SELECT id, v FROM t ORDER BY id) TO STDOUT"); err != nil {
		t.Fatal(err)
	}
	rows := bytes.SplitAfter(out.Bytes(), []byte("\n"))
	if len(rows) != len(values)+2 || len(rows[len(rows)-1]) != 0 {
		t.Fatalf("COPY TO gave %d rows for %d values", len(rows)-1, len(values)+1)
	}
	for i, v := range append(values, nil) {
		want := fmt.Appendf(nil, "%d\t", i)
		if v == nil {
			want = append(want, nullField...)
		} else {
			want = EncodeField(want, v)
		}
		want = append(want, '\n')
		if !bytes.Equal(rows[i], want) {
			t.Errorf("value %q: COPY TO wrote %q, EncodeField %q", v, rows[i], want)
			continue
		}
		field := bytes.TrimSuffix(rows[i][len(fmt.Sprint(i))+1:], []byte("\n"))
		if dec, null := DecodeField(nil, field); null != (v == nil) || !bytes.Equal(dec, v) {
			t.Errorf("DecodeField(%q) = %q (null %v), want %q", field, dec, null, v)
		}
	}
}

// TestDecodeFieldAsCopyFrom loads fields through a real PostgreSQL's COPY
// FROM, which reads every escape of the text format (octal, hex, any other
// character after a backslash), and compares what it stored with
// DecodeField.
func TestDecodeFieldAsCopyFrom(t *testing.T) {
	conn := copyDB(t)
	ctx := context.Background()
	fields := []string{`\101`, `\1012`, `\x41`, `\x4g`, `\xZ`, `\q`, `\x41\x42C`, `\N`, `\\N`, `N`, ``,
		`a\tb\nc\rd\\e\bf\fg\vh`, `\342\202\254`, `\xe2\x82\xac`, `\7`, `\07`, `\0101`, `\z\%`}
	var in bytes.Buffer
	for i, f := range fields {
		fmt.Fprintf(&in, "%d\t%s\n", i, f)
	}
	if _, err := conn.PgConn().CopyFrom(ctx, &in, "COPY t (id, v) FROM STDIN"); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.Query(ctx, "SELECT id, convert_to(v, 'SQL_ASCII'), v IS NULL FROM t ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id int
		var stored []byte
		var isNull bool
		if err := rows.Scan(&id, &stored, &isNull); err != nil {
			t.Fatal(err)
		}
		dec, null := DecodeField(nil, []byte(fields[id]))
		if null != isNull || !isNull && !bytes.Equal(dec, stored) {
			t.Errorf("field %q: PostgreSQL stored %q (NULL %v), DecodeField gives %q (null %v)", fields[id], stored, isNull, dec, null)
		}
		n++
	}
	if err := rows.Err(); err != nil || n != len(fields) {
		t.Fatalf("%d of %d rows read: %v", n, len(fields), err)
	}
}

func ExampleDecodeField() {
	v, null := DecodeField(nil, []byte(`J\303\266rg\tM\x41YER`))
	fmt.Printf("%q %v\n", v, null)
	fmt.Printf("%s\n", EncodeField(nil, []byte("tab\there")))
	// Output:
	// "Jörg\tMAYER" false
	// tab\there
}
