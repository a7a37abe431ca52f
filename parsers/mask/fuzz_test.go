package mask

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/xdm-migrate/xdm/position"
)

// FuzzParse: no input panics the mask parser; errors carry a position; a
// parsed file compares equal to itself.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/infotool/*.mdl")
	if len(files) == 0 {
		f.Fatal("no mask exports in ../../testdata/infotool")
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`MASK A VERSION 1 { FIELD B STRING(1) DEFAULT "x""y" CUSTOM }`))
	f.Fuzz(func(t *testing.T, data []byte) {
		mf, err := Parse(bytes.NewReader(data), "fuzz")
		if err != nil {
			var pe *position.Error
			if !errors.As(err, &pe) || pe.Line < 1 || pe.Column < 1 {
				t.Fatalf("%v", err)
			}
			return
		}
		if !Diff(mf, mf).Equal() {
			t.Fatal("file differs from itself")
		}
	})
}
