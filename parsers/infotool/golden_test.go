package infotool

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/position"
)

var update = flag.Bool("update", false, "rewrite the .golden files of testdata/")

// dump describes what a Reader returns for a file, one line per item, with
// long values shortened.
func dump(data []byte, name string) string {
	var b strings.Builder
	short := func(v []byte) string {
		if len(v) > 80 {
			return fmt.Sprintf("%q...(%d bytes)", v[:80], len(v))
		}
		return fmt.Sprintf("%q", v)
	}
	r := NewReader(bytes.NewReader(data), name)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		var pe *position.Error
		if errors.As(err, &pe) {
			fmt.Fprintf(&b, "error %v\n", err)
			continue
		}
		if err != nil {
			fmt.Fprintf(&b, "fatal %v\n", err)
			break
		}
		fmt.Fprintf(&b, "record type=%q key=%q haskey=%v line=%d offset=%d bytes=%d\n", rec.Type, rec.Key, rec.HasKey, rec.Line, rec.Offset, len(rec.Raw))
		for _, f := range rec.Fields {
			fmt.Fprintf(&b, "  %d:%d %s binary=%v raw=%s value=%s\n", f.Line, f.Column, f.Name, f.Binary, short(f.Raw), short(f.Value))
		}
	}
	fmt.Fprintf(&b, "encoding=%v preamble=%s trailer=%q offset=%d\n", r.Encoding(), short(r.Preamble()), r.Trailer(), r.InputOffset())
	return b.String()
}

// TestGolden compares what the Reader makes of every sample with
// testdata/<sample>.golden; go test -run Golden -update rewrites them.
func TestGolden(t *testing.T) {
	for _, path := range sampleFiles(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got := dump(data, name)
			golden := filepath.Join("testdata", strings.TrimSuffix(name, filepath.Ext(name))+".golden")
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run Golden -update)", err)
			}
			if got != string(want) {
				t.Errorf("differs from %s:\n%s", golden, got)
			}
		})
	}
}
