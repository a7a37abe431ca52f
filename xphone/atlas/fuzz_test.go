package atlas_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/xphone/atlas"
)

// FuzzParse: Parse never panics; a file it reads comes back byte for byte;
// an edit leaves a file that reads again.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.xml")
	for _, p := range files {
		b, _ := os.ReadFile(p)
		f.Add(b)
	}
	f.Add([]byte(`<a><databases><d connectionString="Server='x;y';PWD={a}}b}"/></databases></a>`))
	f.Add([]byte("<a><databases><d connectionString='Server=&#32;x&#59;&#10;UID=a;\r\n PWD=\"b&amp;c&apos;\"'/></databases></a>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := atlas.Parse(b, "fuzz.xml")
		if err != nil {
			return
		}
		if !bytes.Equal(file.Bytes(), b) {
			t.Fatal("Bytes differs from the input")
		}
		var catalogs []string
		for _, d := range file.Databases() {
			_ = d.ConnectionString.Masked()
			catalogs = append(catalogs, d.ConnectionString.InitialCatalog())
		}
		if _, err := file.Apply(atlas.Edit{Server: `NEW\INST`, WindowsLogin: true}); err == nil {
			again, err := atlas.Parse(file.Bytes(), "again.xml")
			if err != nil {
				t.Fatalf("edited file does not read: %v", err)
			}
			// The setting the edit does not touch reads as before.
			for i, d := range again.Databases() {
				if i < len(catalogs) && d.ConnectionString.InitialCatalog() != catalogs[i] {
					t.Fatalf("Initial Catalog %q became %q", catalogs[i], d.ConnectionString.InitialCatalog())
				}
			}
		}
	})
}

// FuzzConnectionString: a string that parses masks to one whose every
// password setting reads back as the mask.
func FuzzConnectionString(f *testing.F) {
	for _, s := range []string{`Data Source=(local)\XPCONNECT;Initial Catalog=XPDATA;Integrated Security=True`,
		`Server=x;PWD={a}}b;c}`, `Password="a;b""c";User ID=sa`, `pwd='it''s'`, `a==b=c; Password = x ;`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cs, err := atlas.ParseConnectionString(s)
		if err != nil {
			return
		}
		m := cs.Masked()
		back, err := atlas.ParseConnectionString(m)
		if err != nil {
			t.Fatalf("masked %q does not parse: %v", m, err)
		}
		if len(back.Pairs) != len(cs.Pairs) {
			t.Fatalf("masked %q has %d settings, the original %d", m, len(back.Pairs), len(cs.Pairs))
		}
		for i, p := range back.Pairs {
			if strings.EqualFold(p.Key, "password") || strings.EqualFold(p.Key, "pwd") {
				if p.Value != "xxxxx" {
					t.Fatalf("password %d of %q reads %q after masking", i, s, p.Value)
				}
			}
		}
	})
}
