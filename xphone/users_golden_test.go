package xphone

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUsersGolden converts every testdata/users/<case>.in with the default
// mapping, --country 49 --area 89 and TAB output, and compares the output
// and the problems with <case>.golden (go test -update rewrites them).
func TestUsersGolden(t *testing.T) {
	ins, _ := filepath.Glob("testdata/users/*.in")
	if len(ins) == 0 {
		t.Fatal("no test cases")
	}
	phone, _ := NewPhoneFormat("49", "89")
	for _, in := range ins {
		name := strings.TrimSuffix(filepath.Base(in), ".in")
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			rep, err := ConvertUsers(context.Background(), bytes.NewReader(b), &out, DefaultMapping(), UsersOptions{Phone: phone})
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&out, "--- encoding %s, separator %s, %d rows, %d written\n", rep.Encoding, separatorName([]rune(rep.Separator)[0]), rep.Rows, len(rep.Users))
			for _, p := range rep.Skipped {
				fmt.Fprintf(&out, "skipped %s\n", p)
			}
			for _, p := range rep.Warnings {
				fmt.Fprintf(&out, "warning %s\n", p)
			}
			golden(t, filepath.Join("users", name), out.Bytes())
		})
	}
}
