package script

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xdm-migrate/xdm/sql/mssql/catalog"
)

func lit(t *testing.T, typ catalog.Type, v any) string {
	t.Helper()
	b, err := AppendLiteral(nil, typ, v)
	if err != nil {
		t.Fatalf("AppendLiteral(%s, %#v): %v", typ.SQL(), v, err)
	}
	return string(b)
}

func TestAppendLiteral(t *testing.T) {
	ty := func(name string, maxLen, prec, scale int) catalog.Type {
		return catalog.Type{Name: name, MaxLength: maxLen, Precision: prec, Scale: scale}
	}
	dto := time.Date(2020, 2, 29, 12, 34, 56, 123456700, time.FixedZone("", 5*3600+45*60))
	tests := []struct {
		typ  catalog.Type
		v    any
		want string
	}{
		{ty("int", 4, 10, 0), nil, "NULL"},
		{ty("bit", 1, 1, 0), true, "1"},
		{ty("bit", 1, 1, 0), json.Number("0"), "0"},
		{ty("bigint", 8, 19, 0), int64(math.MinInt64), "-9223372036854775808"},
		{ty("decimal", 17, 38, 10), "-9999999999999999999999999999.9999999999", "-9999999999999999999999999999.9999999999"},
		{ty("money", 8, 19, 4), []byte("922337203685477.5807"), "922337203685477.5807"},
		{ty("float", 8, 53, 0), math.MaxFloat64, "1.7976931348623157E+308"},
		{ty("float", 8, 53, 0), 0.1, "1E-01"},
		{ty("float", 8, 53, 0), math.Copysign(0, -1), "0E0"},
		{ty("real", 4, 24, 0), float32(0.1), "1.0000000149011612E-01"},
		{ty("real", 4, 24, 0), float64(float32(math.MaxFloat32)), "3.4028234663852886E+38"},
		{ty("date", 3, 10, 0), "0001-01-01", "'0001-01-01'"},
		{ty("datetime", 8, 23, 3), time.Date(9999, 12, 31, 23, 59, 59, 997_000_000, time.UTC), "'9999-12-31T23:59:59.997'"},
		{ty("datetime", 8, 23, 3), time.Date(2000, 1, 1, 0, 0, 0, 3_333_333, time.UTC), "'2000-01-01T00:00:00.003'"},
		{ty("datetime2", 8, 27, 7), "9999-12-31T23:59:59.9999999", "'9999-12-31T23:59:59.9999999'"},
		{ty("datetime2", 6, 19, 0), "2020-02-29 12:34:56", "'2020-02-29T12:34:56'"},
		{ty("time", 5, 16, 7), time.Date(1, 1, 1, 23, 59, 59, 999_999_900, time.UTC), "'23:59:59.9999999'"},
		{ty("datetimeoffset", 10, 34, 7), dto, "'2020-02-29T12:34:56.1234567+05:45'"},
		{ty("varchar", 50, 0, 0), "O'Brien", "'O''Brien'"},
		{ty("varchar", 50, 0, 0), "café", "N'café'"},
		{ty("nvarchar", 100, 0, 0), "", "N''"},
		{ty("nvarchar", 100, 0, 0), "a$(b)", "N'a$' + N'(b)'"},
		{ty("nvarchar", -1, 0, 0), "a$(b)", "CAST(N'a$' AS nvarchar(max)) + N'(b)'"},
		{ty("nvarchar", 100, 0, 0), "x\r\nGO\r\ny", "N'x' + NCHAR(13) + NCHAR(10) + N'GO\r\ny'"},
		{ty("nvarchar", 100, 0, 0), "x\r\nGOOD\r\ny", "N'x\r\nGOOD\r\ny'"},
		{ty("varchar", 100, 0, 0), "a\x00b", "'a' + CHAR(0) + 'b'"},
		{ty("uniqueidentifier", 16, 0, 0), []byte{0xFF, 0x19, 0x96, 0x6F, 0x86, 0x8B, 0x11, 0xD0, 0xB4, 0x2D, 0x00, 0xC0, 0x4F, 0xC9, 0x64, 0xFF}, "'6F9619FF-8B86-D011-B42D-00C04FC964FF'"},
		{ty("uniqueidentifier", 16, 0, 0), "6f9619ff-8b86-d011-b42d-00c04fc964ff", "'6F9619FF-8B86-D011-B42D-00C04FC964FF'"},
		{ty("varbinary", -1, 0, 0), []byte{}, "0x"},
		{ty("image", 16, 0, 0), "0xcafe", "0xCAFE"},
		{ty("hierarchyid", 892, 0, 0), []byte{0x58}, "CAST(0x58 AS hierarchyid)"},
		{ty("geography", -1, 0, 0), "0xE610", "CAST(0xE610 AS geography)"},
		{ty("xml", -1, 0, 0), "<a b=\"1\">'</a>", "N'<a b=\"1\">''</a>'"},
		{ty("sql_variant", 8016, 0, 0), catalog.Variant{Type: ty("decimal", 9, 10, 2), Value: "123.45"}, "CAST(CAST(123.45 AS decimal(10,2)) AS sql_variant)"},
		{ty("sql_variant", 8016, 0, 0), catalog.Variant{Type: ty("nvarchar", 40, 0, 0), Collation: "Latin1_General_CI_AS", Value: "x"}, "CAST(CAST(N'x' AS nvarchar(20)) COLLATE Latin1_General_CI_AS AS sql_variant)"},
	}
	for _, tc := range tests {
		if got := lit(t, tc.typ, tc.v); got != tc.want {
			t.Errorf("%s %#v:\n got %s\nwant %s", tc.typ.SQL(), tc.v, got, tc.want)
		}
	}
}

func TestAppendLiteralRejects(t *testing.T) {
	ty := func(name string) catalog.Type { return catalog.Type{Name: name} }
	bad := []struct {
		typ catalog.Type
		v   any
	}{
		{ty("int"), "12; DROP TABLE x"},
		{ty("decimal"), "1e5"},
		{ty("float"), math.NaN()},
		{ty("float"), math.Inf(1)},
		{ty("uniqueidentifier"), "6F9619FF-8B86-D011-B42D-00C04FC964F'"},
		{ty("varbinary"), "0xZZ"},
		{ty("datetime2"), "yesterday"},
		{ty("nvarchar"), "\xff\xfe"},
		{ty("bit"), "2"},
		{ty("sql_variant"), "plain"},
		{ty("sql_variant"), catalog.Variant{Type: ty("int) x"), Value: int64(1)}},
		{ty("cursor"), "x"},
	}
	for _, b := range bad {
		if out, err := AppendLiteral(nil, b.typ, b.v); err == nil {
			t.Errorf("%s %#v: got %s, want an error", b.typ.Name, b.v, out)
		}
	}
}

// TestFloatRoundTrip: the text parses back to the same bits, for doubles and
// for reals.
func TestFloatRoundTrip(t *testing.T) {
	for _, f := range []float64{math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, 2.2250738585072014e-308, 1.0 / 3, 123456789012345678, 1e23, 5e-324} {
		got := lit(t, catalog.Type{Name: "float"}, f)
		back, err := strconv.ParseFloat(got, 64)
		if err != nil || math.Float64bits(back) != math.Float64bits(f) {
			t.Errorf("float %v -> %s -> %v (%v)", f, got, back, err)
		}
	}
	for _, f := range []float32{math.MaxFloat32, math.SmallestNonzeroFloat32, 1.17549435e-38, 0.1, 16777217} {
		got := lit(t, catalog.Type{Name: "real"}, float64(f))
		back, err := strconv.ParseFloat(got, 64)
		if err != nil || float32(back) != f || back != float64(f) {
			t.Errorf("real %v -> %s -> %v (%v)", f, got, back, err)
		}
	}
}

// parseStringExpr is a tiny T-SQL parser for what appendString writes:
// N'..' / '..' literals, CHAR(n) / NCHAR(n), an optional CAST(x AS
// nvarchar(max)) around the first piece, joined by " + ". It returns the
// string value.
func parseStringExpr(s string) (string, error) {
	var out strings.Builder
	first := true
	for len(s) > 0 {
		if !first {
			if !strings.HasPrefix(s, " + ") {
				return "", fmt.Errorf("want ' + ' at %q", s)
			}
			s = s[3:]
		}
		cast := false
		if first && strings.HasPrefix(s, "CAST(") {
			cast, s = true, s[5:]
		}
		switch {
		case strings.HasPrefix(s, "N'") || strings.HasPrefix(s, "'"):
			if s[0] == 'N' {
				s = s[1:]
			}
			i := 1
			for {
				j := strings.IndexByte(s[i:], '\'')
				if j < 0 {
					return "", fmt.Errorf("unterminated literal")
				}
				out.WriteString(s[i : i+j])
				i += j + 1
				if i < len(s) && s[i] == '\'' {
					out.WriteByte('\'')
					i++
					continue
				}
				break
			}
			s = s[i:]
		case strings.HasPrefix(s, "NCHAR(") || strings.HasPrefix(s, "CHAR("):
			k := strings.IndexByte(s, '(')
			e := strings.IndexByte(s, ')')
			n, err := strconv.Atoi(s[k+1 : e])
			if err != nil {
				return "", err
			}
			out.WriteRune(rune(n))
			s = s[e+1:]
		default:
			return "", fmt.Errorf("unexpected %q", s)
		}
		if cast {
			for _, suf := range []string{" AS nvarchar(max))", " AS varchar(max))"} {
				if strings.HasPrefix(s, suf) {
					s = s[len(suf):]
					cast = false
				}
			}
			if cast {
				return "", fmt.Errorf("unterminated CAST at %q", s)
			}
		}
		first = false
	}
	return out.String(), nil
}

// FuzzStringLiteral: every valid string round-trips through its literal,
// and the literal text has no "$(" and no line that sqlcmd would read as a
// command.
func FuzzStringLiteral(f *testing.F) {
	for _, s := range []string{"", "O'Brien", "$(x)", "a$$((b", "x\r\nGO\r\n", "\n:r x\n", "  exit\n", "日本 😀", "a\x00b", "$", "(", "''", "\r\n!!dir"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, national bool) {
		name := "nvarchar"
		if !national {
			name = "varchar"
		}
		b, err := AppendLiteral(nil, catalog.Type{Name: name, MaxLength: -1}, s)
		if !utf8.ValidString(s) {
			if err == nil {
				t.Fatalf("invalid UTF-8 %q accepted", s)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		if strings.Contains(text, "$(") {
			t.Fatalf("%q: literal %s holds $(", s, text)
		}
		if strings.IndexByte(text, 0) >= 0 {
			t.Fatalf("%q: literal holds a NUL byte", s)
		}
		for _, line := range strings.Split(text, "\n")[1:] {
			if dangerousLine(strings.TrimLeft(line, "\r")) {
				t.Fatalf("%q: literal %s has a command line %q", s, text, line)
			}
		}
		back, err := parseStringExpr(text)
		if err != nil {
			t.Fatalf("%q: literal %s: %v", s, text, err)
		}
		if back != s {
			t.Fatalf("round trip: %q -> %s -> %q", s, text, back)
		}
	})
}
