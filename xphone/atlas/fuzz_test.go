package atlas_test

import (
	"bytes"
	"os"
	"path/filepath"
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
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := atlas.Parse(b, "fuzz.xml")
		if err != nil {
			return
		}
		if !bytes.Equal(file.Bytes(), b) {
			t.Fatal("Bytes differs from the input")
		}
		for _, d := range file.Databases() {
			_ = d.ConnectionString.Masked()
		}
		if _, err := file.Apply(atlas.Edit{Server: `NEW\INST`, WindowsLogin: true}); err == nil {
			if _, err := atlas.Parse(file.Bytes(), "again.xml"); err != nil {
				t.Fatalf("edited file does not read: %v", err)
			}
		}
	})
}
