package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFileCommandsTakeAnyPath runs every file-based command on paths as
// they come on Windows servers and shares: spaces, non-ASCII letters, a
// path over the 260 characters of old Windows APIs, and a file name near
// the 255-byte limit (its temporary and lock files need room too).
// (\\server\share paths cannot be tried on Linux; xdm treats them as any
// other path: see docs/install.md.)
func TestFileCommandsTakeAnyPath(t *testing.T) {
	base := filepath.Join(t.TempDir(), "Export Ordner – Müller & Söhne €")
	deep := base
	for len(deep) < 300 {
		deep = filepath.Join(deep, "Unterordner mit Leerzeichen ÄÖÜ")
	}
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	longName := strings.Repeat("Sprachnachrichten-Journal ", 10)[:236] + ".txt" // 240 bytes: room for .orig only
	put := func(name, content string) string {
		p := filepath.Join(deep, name)
		writeMode(t, p, content, 0o644)
		return p
	}
	journal := put("journal export.txt", journalSample(t))
	longJournal := put(longName, journalSample(t))
	dump := put("dump ü.sql", uccSmallDump)
	script := put("skript 2019 ß.sql", script2019)
	mask5, mask7 := put("mask v5 ä.mdl", readFile(t, maskV5)), put("mask v7 ä.mdl", readFile(t, maskV7))
	snapshot := put("katalog snapshot.json", readFile(t, xphoneSnapshot))
	export := filepath.Join(deep, "XPhone Export ö")
	if err := os.CopyFS(export, os.DirFS(sampleExport)); err != nil {
		t.Fatal(err)
	}
	out := func(name string) string { return filepath.Join(deep, name) }

	for _, tc := range []struct {
		args    []string
		code    int
		creates []string
	}{
		{[]string{"journal", "fix", journal}, 0, []string{journal + ".orig"}},
		{[]string{"journal", "fix", longJournal}, 0, []string{longJournal + ".orig"}},
		{[]string{"journal", "fix", journal + ".orig", "-o", out("journal fixed ö.txt")}, 0, []string{out("journal fixed ö.txt")}},
		{[]string{"ucc", "lowercase", "--dump", dump}, 0, []string{dump + ".orig"}},
		{[]string{"infotool", "validate", journal + ".orig", mask5}, 0, nil},
		{[]string{"infotool", "stats", journal}, 0, nil},
		{[]string{"infotool", "export", journal, "--to", "csv", "-o", out("journal export ü.csv")}, 0, []string{out("journal export ü.csv")}},
		{[]string{"mask", "diff", mask5, mask7}, ExitDifferent, nil},
		{[]string{"sql", "check", script}, ExitDifferent, nil},
		{[]string{"sql", "downgrade", script, "--target", "2017", "-o", script}, 0, []string{script + ".orig"}},
		{[]string{"sql", "run", "--dry-run", "-i", script}, 0, nil},
		{[]string{"sql", "script", "--from-snapshot", snapshot, "--target", "2019", "-o", out("skript neu é.sql")}, 0, []string{out("skript neu é.sql")}},
		{[]string{"sql", "script", "--from-snapshot", snapshot, "--target", "2019", "--split-dir", out("Skripte Ordner")}, 0, []string{out("Skripte Ordner/master.sql")}},
		{[]string{"xphone", "check", export}, ExitInvalid, nil}, // the sample has rows to skip
		{[]string{"xphone", "convert", export, "-o", out("V9 Import ä")}, 0, []string{out("V9 Import ä/users.csv")}},
	} {
		code, _, stderr := runCLI(t, append(tc.args, "--quiet")...) // -q is sqlcmd's in sql run
		if code != tc.code {
			t.Errorf("xdm %s: exit %d, want %d: %s", strings.Join(tc.args, " "), code, tc.code, stderr)
		}
		for _, f := range tc.creates {
			if _, err := os.Stat(f); err != nil {
				t.Errorf("xdm %s: %v", strings.Join(tc.args, " "), err)
			}
		}
	}
	for _, n := range dirNames(t, deep) {
		if strings.Contains(n, ".xdm-") {
			t.Errorf("left behind: %s", n)
		}
	}
}
