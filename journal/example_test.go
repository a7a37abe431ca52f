package journal_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/xdm-migrate/xdm/journal"
)

func ExampleFix() {
	in := strings.NewReader("[JOURNAL]\r\nMSGID=1\r\nCONTENTTYPE=4352\r\n" +
		"[JOURNAL]\r\nMSGID=2\r\nCONTENTTYPE= 0501\t\r\n" +
		"[USER]\r\nCONTENTTYPE=4352\r\n")
	var out strings.Builder
	rep, err := journal.Fix(context.Background(), in, &out, journal.Options{Name: "journal.txt"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%q\n", out.String())
	fmt.Println(rep.Records, "records,", rep.JournalRecords, "JOURNAL,", rep.Fixes(), "fixed:", rep.Changed, rep.LineEndings)
	// Output:
	// "[JOURNAL]\r\nMSGID=1\r\nCONTENTTYPE=1092\r\n[JOURNAL]\r\nMSGID=2\r\nCONTENTTYPE= 1092\t\r\n[USER]\r\nCONTENTTYPE=4352\r\n"
	// 3 records, 2 JOURNAL, 2 fixed: map[501:1 4352:1] CRLF
}

func ExampleFix_error() {
	in := strings.NewReader("[JOURNAL]\r\nCONTENTTYPE=4352\r\n[JOURNAL]\r\nCONTENTTYPE=0x1100\r\n")
	_, err := journal.Fix(context.Background(), in, &strings.Builder{}, journal.Options{Name: "journal.txt"})
	fmt.Println(err)
	// Output:
	// journal.txt:4:13: expected a decimal number as CONTENTTYPE, found a hexadecimal value (byte offset 52)
}

func ExampleFixFile() {
	dir, _ := os.MkdirTemp("", "journal")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "journal.txt")
	_ = os.WriteFile(path, []byte("[JOURNAL]\r\nCONTENTTYPE=550\r\n"), 0o644)

	var lastProgress int64
	rep, err := journal.FixFile(context.Background(), path, journal.FileOptions{
		Options: journal.Options{Progress: func(n int64) { lastProgress = n }},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fixed, _ := os.ReadFile(path)
	orig, _ := os.ReadFile(path + ".orig")
	fmt.Printf("%d fixed, %d bytes read\nnow:  %q\n.orig: %q\n", rep.Fixes(), lastProgress, fixed, orig)
	// Output:
	// 1 fixed, 28 bytes read
	// now:  "[JOURNAL]\r\nCONTENTTYPE=1092\r\n"
	// .orig: "[JOURNAL]\r\nCONTENTTYPE=550\r\n"
}

// Lenient mode passes lines that do not fit through unchanged and reports
// each as the error strict mode would have returned.
func ExampleFix_lenient() {
	in := strings.NewReader("[JOURNAL]\r\nCONTENTTYPE=4352\r\nbroken line\r\n[JOURNAL]\r\nCONTENTTYPE=550\r\n")
	var out strings.Builder
	rep, err := journal.Fix(context.Background(), in, &out, journal.Options{Name: "journal.txt", Lenient: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, is := range rep.Issues {
		fmt.Println(is)
	}
	fmt.Println(rep.Fixes(), "fixed,", rep.Skipped, "skipped")
	// Output:
	// journal.txt:3:7: expected '=' after the field name broken, found a space (byte offset 35)
	// 2 fixed, 1 skipped
}
