package atlas_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"

	"github.com/xdm-migrate/xdm/position"
	"github.com/xdm-migrate/xdm/xphone/atlas"
)

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDatabases(t *testing.T) {
	f, err := atlas.Parse(read(t, "atlas.xml"), "atlas.xml")
	if err != nil {
		t.Fatal(err)
	}
	dbs := f.Databases()
	if len(dbs) != 4 {
		t.Fatalf("%d databases", len(dbs))
	}
	d := dbs[0]
	cs := d.ConnectionString
	if d.Name != "XPDATA" || d.Line != 10 || d.Column != 5 || cs.DataSource() != `(local)\XPCONNECT` || cs.InitialCatalog() != "XPDATA" ||
		!cs.IntegratedSecurity() || d.UseLogin != "Windows" {
		t.Fatalf("first database %+v, %s %s", d, cs.DataSource(), cs.InitialCatalog())
	}
	if dbs[3].Name != "XPSTATSRaw" || dbs[3].ConnectionString.DataSource() != `(local)\XPANALYTICS` {
		t.Fatalf("last database %+v", dbs[3])
	}
	if f.Encoding() != "utf-8" || !f.BOM() {
		t.Fatalf("encoding %s, BOM %v", f.Encoding(), f.BOM())
	}
}

func TestRenameInstanceIsByteExact(t *testing.T) {
	for _, name := range []string{"atlas.xml", "atlas-utf16.xml"} {
		t.Run(name, func(t *testing.T) {
			orig := read(t, name)
			f, err := atlas.Parse(orig, name)
			if err != nil {
				t.Fatal(err)
			}
			changes, err := f.Apply(atlas.Edit{Instances: []atlas.Rename{{From: `(local)\xpconnect`, To: `(local)\XPCONNECT2019`}}})
			if err != nil {
				t.Fatal(err)
			}
			if len(changes) != 2 || changes[0].Database != "XPDATA" || changes[1].Database != "XPVDIR" {
				t.Fatalf("changes %+v", changes)
			}
			from, to := `Data Source=(local)\XPCONNECT;`, `Data Source=(local)\XPCONNECT2019;`
			want := bytes.ReplaceAll(orig, []byte(from), []byte(to))
			if strings.HasSuffix(name, "utf16.xml") {
				want = bytes.ReplaceAll(orig, utf16(from), utf16(to))
			}
			if !bytes.Equal(f.Bytes(), want) {
				t.Fatalf("the edit changed more than the Data Source values:\n%s", f.Bytes())
			}
			// A second run finds nothing to change.
			again, err := f.Apply(atlas.Edit{Instances: []atlas.Rename{{From: `(local)\XPCONNECT2019`, To: `(local)\XPCONNECT2019`}}})
			if err != nil || len(again) != 0 {
				t.Fatalf("second run: %v %v", again, err)
			}
		})
	}
}

func utf16(s string) []byte {
	b, _ := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(s))
	return b
}

func TestServerWindowsLogin(t *testing.T) {
	f, err := atlas.Parse(read(t, "atlas-sqllogin.xml"), "atlas.xml")
	if err != nil {
		t.Fatal(err)
	}
	dbs := f.Databases()
	if dbs[0].ConnectionString.UserID() != "xphone" || !dbs[0].ConnectionString.HasPassword() || dbs[1].ConnectionString.IntegratedSecurity() {
		t.Fatalf("parsed %+v", dbs[0].ConnectionString.Pairs)
	}
	if dbs[0].ConnectionString.Security() != "SQL login xphone (password set)" {
		t.Fatalf("security %q", dbs[0].ConnectionString.Security())
	}
	changes, err := f.Apply(atlas.Edit{Server: `SQLNEW\XPHONE`, WindowsLogin: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 4 {
		t.Fatalf("changes %+v", changes)
	}
	for _, c := range changes {
		if strings.Contains(c.Old+c.New, "S3cr") {
			t.Fatalf("a password in a change: %+v", c)
		}
	}
	want := `<database name="XPDATA" useLogin="Windows" connectionString="Server=SQLNEW\XPHONE;Database=XPDATA;Integrated Security=True" />`
	if !strings.Contains(string(f.Bytes()), want) {
		t.Fatalf("result:\n%s", f.Bytes())
	}
	for _, d := range f.Databases() {
		cs := d.ConnectionString
		if !cs.IntegratedSecurity() || cs.HasPassword() || cs.UserID() != "" || cs.DataSource() != `SQLNEW\XPHONE` || d.UseLogin != "Windows" {
			t.Fatalf("%s after the edit: %+v", d.Name, cs.Pairs)
		}
	}
}

func TestMaskedHidesWholePasswords(t *testing.T) {
	for _, raw := range []string{
		`Server=x;PWD={a}}b;c}`,
		`Server=x;Password="a;b""c"`,
		`Server=x;pwd='it''s;secret';User ID=sa`,
		`Password=abc;Password=def`,
	} {
		cs, err := atlas.ParseConnectionString(raw)
		if err != nil {
			t.Fatal(err)
		}
		m := cs.Masked()
		for _, part := range []string{"a}}b", "b;c", "a;b", `b""c`, "it''s", "secret", "abc", "def"} {
			if strings.Contains(m, part) {
				t.Errorf("%s: masked %s shows %q", raw, m, part)
			}
		}
		if !strings.Contains(m, "xxxxx") {
			t.Errorf("%s: masked %s", raw, m)
		}
	}
}

func TestNotWellFormed(t *testing.T) {
	cases := []struct {
		file       string
		line, col  int
		wantInText string
	}{
		{"atlas-duplicate-attr.xml", 15, 15, "connectionString appears twice"},
		{"atlas-unclosed.xml", 20, 3, "</databases> expected"},
	}
	for _, c := range cases {
		_, err := atlas.Parse(read(t, c.file), c.file)
		var pe *position.Error
		if !errors.As(err, &pe) || !errors.Is(err, atlas.ErrNotWellFormed) {
			t.Fatalf("%s: %v", c.file, err)
		}
		if pe.Line != int64(c.line) || pe.Column != c.col || !strings.Contains(err.Error(), c.wantInText) {
			t.Errorf("%s: %v (line %d col %d)", c.file, err, pe.Line, pe.Column)
		}
		// Go's encoding/xml agrees that the file is not well-formed
		// (it does not check for repeated attributes).
		if !strings.Contains(c.file, "duplicate") && xmlWellFormed(read(t, c.file)) {
			t.Errorf("%s: encoding/xml reads it", c.file)
		}
	}
	for _, s := range []string{"", "<a>", "<a></b>", "<a b='<'/>", "<a>&nope</a>", "<a/><b/>", "text<a/>", "<a><!-- x -- y --></a>", "<a>]]></a>", "<a>\x01</a>", "<?xml version='1.0'?><a/><?xml x?>",
		// WFC Entity Declared: without a DTD only the five predefined
		// entities exist (Go's encoding/xml refuses these too).
		"<a>&nbsp;</a>", `<a b="x&unknown;y"/>`} {
		if _, err := atlas.Parse([]byte(s), "x.xml"); !errors.Is(err, atlas.ErrNotWellFormed) {
			t.Errorf("%q: %v", s, err)
		}
	}
}

// xmlWellFormed is an independent check: Go's strict XML decoder.
func xmlWellFormed(b []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})))
	for {
		_, err := d.Token()
		if err != nil {
			return err.Error() == "EOF"
		}
	}
}

func TestSetFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "atlas.xml")
	orig := read(t, "atlas.xml")
	if err := os.WriteFile(p, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	edit := atlas.Edit{Instances: []atlas.Rename{{From: `(local)\XPCONNECT`, To: `(local)\XPCONNECT2019`}}}
	rep, err := atlas.SetFile(context.Background(), p, edit, atlas.FileOptions{DryRun: true})
	if err != nil || len(rep.Changes) != 2 || rep.Output != "" {
		t.Fatalf("dry run: %+v %v", rep, err)
	}
	if b, _ := os.ReadFile(p); !bytes.Equal(b, orig) {
		t.Fatal("the dry run wrote")
	}
	rep, err = atlas.SetFile(context.Background(), p, edit, atlas.FileOptions{})
	if err != nil || rep.Backup != p+".orig" {
		t.Fatalf("%+v %v", rep, err)
	}
	if b, _ := os.ReadFile(p + ".orig"); !bytes.Equal(b, orig) {
		t.Fatal(".orig is not the original")
	}
	// A broken file is refused and stays as it is.
	broken := filepath.Join(dir, "broken.xml")
	if err := os.WriteFile(broken, read(t, "atlas-unclosed.xml"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := atlas.SetFile(context.Background(), broken, edit, atlas.FileOptions{}); !errors.Is(err, atlas.ErrNotWellFormed) {
		t.Fatalf("broken: %v", err)
	}
	if _, err := os.Stat(broken + ".orig"); err == nil {
		t.Fatal("a refused file got a .orig")
	}
}

func TestValidSamplesAgreeWithEncodingXML(t *testing.T) {
	for _, n := range []string{"atlas.xml", "atlas-sqllogin.xml"} {
		if !xmlWellFormed(read(t, n)) {
			t.Errorf("%s: encoding/xml refuses a sample", n)
		}
	}
}

// A database to change whose connection string cannot be read stops the
// edit with the place of its element.
func TestApplyUnreadableConnectionString(t *testing.T) {
	doc := "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<atlas>\n  <databases>\n" +
		"    <database name=\"XPDATA\" connectionString=\"Server=SQL01;Password=&quot;open\" />\n" +
		"  </databases>\n</atlas>\n"
	f, err := atlas.Parse([]byte(doc), "atlas.xml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Apply(atlas.Edit{Server: `SQL02\XPHONE`})
	var pe *position.Error
	if !errors.As(err, &pe) || pe.Line != 4 || pe.Column != 5 || !errors.Is(err, atlas.ErrConnectionString) ||
		!strings.HasPrefix(err.Error(), "atlas.xml:4:5: database XPDATA: invalid connection string") {
		t.Fatalf("%v", err)
	}
}

// A connection string that cannot be read is not shown: any part of it may
// be the password.
func TestMaskedWithholdsUnreadable(t *testing.T) {
	for _, raw := range []string{`Server=x;Password="Sup3rS3cret`, `Server=x;Password=Sup3r;S3cret`} {
		cs, err := atlas.ParseConnectionString(raw)
		if !errors.Is(err, atlas.ErrConnectionString) {
			t.Fatalf("%s: %v", raw, err)
		}
		if m := cs.Masked(); strings.Contains(m, "S3cret") || strings.Contains(m, "Server") {
			t.Errorf("%s: masked %s", raw, m)
		}
	}
}
