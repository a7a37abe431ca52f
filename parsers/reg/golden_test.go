package reg

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

// sampleFiles returns the .reg samples of testdata/reg, written for xdm from
// Microsoft's documentation of the format (and one exported by Wine's
// regedit); it fails when there are none.
func sampleFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob("../../testdata/reg/*.reg")
	if err != nil || len(files) < 10 {
		t.Fatalf("too few samples in testdata/reg: %v %v", files, err)
	}
	return files
}

// dump describes what a Reader returns for a file, one line per record,
// with long data shortened.
func dump(data []byte, name string, grammar bool) string {
	var b strings.Builder
	r := NewReader(bytes.NewReader(data), name)
	r.Grammar = grammar
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		var pe *position.Error
		if errors.As(err, &pe) {
			fmt.Fprintf(&b, "error %v (offset %d)\n", err, pe.Offset)
			if r.err != nil {
				break
			}
			continue
		}
		if err != nil {
			fmt.Fprintf(&b, "fatal %v\n", err)
			break
		}
		fmt.Fprintf(&b, "%d@%d +%d %s", rec.Line, rec.Offset, len(rec.Raw), rec.Kind)
		switch rec.Kind {
		case KindHeader:
			fmt.Fprintf(&b, " %q", rec.Version.Header())
		case KindKey:
			fmt.Fprintf(&b, " delete=%v %q", rec.Delete, rec.Key)
		case KindValue:
			fmt.Fprintf(&b, " %q %s", rec.Value.Name, describe(rec.Value))
		}
		fmt.Fprintf(&b, " end=%q\n", rec.Terminator())
	}
	fmt.Fprintf(&b, "encoding=%v version=%d lineend=%q offset=%d\n", r.Encoding(), r.Version(), r.LineEnd(), r.InputOffset())
	return b.String()
}

// describe shows a value's data decoded, as a person reads it.
func describe(v *Value) string {
	if v.Form == FormDelete {
		return "delete"
	}
	short := func(s string) string {
		if len(s) > 100 {
			return fmt.Sprintf("%s...(%d)", s[:100], len(s))
		}
		return s
	}
	out := fmt.Sprintf("form=%d %s", v.Form, v.Type)
	if s, err := v.AsString(); err == nil {
		out += fmt.Sprintf(" %q", short(s))
	} else if l, err := v.AsStrings(); err == nil {
		out += fmt.Sprintf(" %q", l)
	} else if n, err := v.AsUint(); err == nil {
		out += fmt.Sprintf(" %d", n)
	}
	return out + fmt.Sprintf(" data=%s", short(fmt.Sprintf("%x", v.RegistryData())))
}

// TestGolden compares what the Reader makes of every sample, with the
// scanner and with the grammar, with testdata/<sample>.golden; go test -run
// Golden -update rewrites them.
func TestGolden(t *testing.T) {
	for _, path := range sampleFiles(t) {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got := dump(data, name, false)
			if g := dump(data, name, true); g != got {
				t.Fatalf("the grammar reads %s otherwise than the scanner:\nscanner:\n%s\ngrammar:\n%s", name, got, g)
			}
			golden := filepath.Join("testdata", strings.TrimSuffix(name, ".reg")+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test -run Golden -update writes it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from %s:\n%s", name, golden, got)
			}
		})
	}
}

// TestRoundTrip: every valid sample comes back byte for byte, and every
// invalid one fails.
func TestRoundTrip(t *testing.T) {
	for _, path := range sampleFiles(t) {
		name := filepath.Base(path)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		n, err := NewReader(bytes.NewReader(data), name).WriteTo(&out)
		invalid := strings.HasPrefix(name, "invalid-") || strings.HasSuffix(name, "-invalid.reg")
		switch {
		case invalid && err == nil:
			t.Errorf("%s: read without error", name)
		case !invalid && err != nil:
			t.Errorf("%s: %v", name, err)
		case !invalid && (!bytes.Equal(out.Bytes(), data) || n != int64(len(data))):
			t.Errorf("%s: %d bytes written, differ from the %d read", name, n, len(data))
		}
	}
}
