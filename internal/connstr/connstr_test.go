package connstr

import (
	"errors"
	"testing"
)

// where shows what a setting's positions point at.
func where(s string, st Setting) [3]string {
	return [3]string{s[st.Start:st.End], s[st.ValueStart:st.ValueEnd], st.Value}
}

// checkPlaces checks what each setting's places point at.
func checkPlaces(t *testing.T, s string, got []Setting, want [][3]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d settings: %+v", len(got), got)
	}
	for i, w := range want {
		if where(s, got[i]) != w {
			t.Errorf("%d: %q, want %q", i, where(s, got[i]), w)
		}
	}
}

func TestADONet(t *testing.T) {
	s := `Data Source = (local)\XPCONNECT ; Pass==word='it''s';PWD={a}}b;c} ;User ID="x;y"`
	got, err := ADONet(s)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		key   string
		where [3]string
	}{
		{"Data Source", [3]string{`Data Source = (local)\XPCONNECT `, `(local)\XPCONNECT`, `(local)\XPCONNECT`}},
		{"Pass=word", [3]string{`Pass==word='it''s'`, `'it''s'`, `it's`}},
		{"PWD", [3]string{`PWD={a}}b;c} `, `{a}}b;c}`, `a}b;c`}},
		{"User ID", [3]string{`User ID="x;y"`, `"x;y"`, `x;y`}},
	}
	if len(got) != len(want) {
		t.Fatalf("%d settings: %+v", len(got), got)
	}
	for i, w := range want {
		if got[i].Key != w.key || where(s, got[i]) != w.where {
			t.Errorf("%d: %q %q, want %q %q", i, got[i].Key, where(s, got[i]), w.key, w.where)
		}
	}
	for _, bad := range []string{"Server=x;secret", "=x", "Password='open", `Password="a"b`} {
		if _, err := ADONet(bad); !errors.Is(err, ErrSyntax) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestGoMSSQL(t *testing.T) {
	s := `server=srv; pwd= "we;i""rd" ;secret;;database=x`
	got := GoMSSQL(s)
	want := [][3]string{
		{"server=srv", "srv", "srv"},
		{` pwd= "we;i""rd" `, ` "we;i""rd" `, `we;i"rd`},
		{"secret", "", ""},
		{"database=x", "x", "x"},
	}
	checkPlaces(t, s, got, want)
	if got[1].Key != "pwd" || !got[2].NoValue || got[2].Key != "secret" {
		t.Errorf("keys: %+v", got)
	}
}

func TestODBC(t *testing.T) {
	s := "odbc:server=srv; pwd = {we;i}}rd} ;flag;database=x "
	got, err := ODBC(s, len("odbc:"))
	if err != nil {
		t.Fatal(err)
	}
	want := [][3]string{
		{"server=srv", "srv", "srv"},
		{"pwd = {we;i}}rd}", "{we;i}}rd}", "we;i}rd"},
		{"flag", "", ""},
		{"database=x ", "x ", "x"},
	}
	checkPlaces(t, s, got, want)
	if got[1].Key != "pwd" || !got[2].NoValue {
		t.Errorf("keys: %+v", got)
	}
	for _, bad := range []string{"odbc:=x", "odbc:pwd={open", "odbc:pwd={a}b"} {
		if _, err := ODBC(bad, 5); !errors.Is(err, ErrSyntax) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// FuzzReaders: every setting lies in the string, its value inside it, the
// settings in order and apart.
func FuzzReaders(f *testing.F) {
	for _, s := range []string{`Data Source=(local)\X;PWD={a}}b;c}`, `a==b=c; Password = 'x'' ;`, `server=srv;pwd="we;i""rd";x`,
		"odbc:server=srv;pwd={we;i}}rd};database=x", "odbc:a;b= {x} y"} {
		f.Add(s)
	}
	check := func(t *testing.T, what, s string, sts []Setting) {
		prev := 0
		for _, st := range sts {
			if st.Start < prev || st.Start > st.ValueStart || st.ValueStart > st.ValueEnd || st.ValueEnd > st.End || st.End > len(s) {
				t.Fatalf("%s %q: %+v out of place (after %d)", what, s, st, prev)
			}
			prev = st.End
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		sts, _ := ADONet(s)
		check(t, "ADONet", s, sts)
		check(t, "GoMSSQL", s, GoMSSQL(s))
		sts, _ = ODBC(s, 0)
		check(t, "ODBC", s, sts)
	})
}
