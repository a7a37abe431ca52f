package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sampleBackup = "../../testdata/backup/smartbackup.tar"

func copySample(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(sampleBackup)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "BACKUP.tar")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBackupInspect(t *testing.T) {
	code, out, errOut := runCLI(t, "backup", "inspect", sampleBackup)
	if code != ExitDifferent {
		t.Fatalf("code %d, want 1 (fix needed): %s", code, errOut)
	}
	for _, want := range []string{"INFOSTOR", "SmartBackup/UCC/dump.sql (8562 bytes, UTF8)", "18 UCC invitation addresses", "1×4352", "satellite SAT01: 32-bit path"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCLI(t, "backup", "inspect", "--json", sampleBackup)
	var rep struct {
		Needs struct {
			UCC        int64 `json:"ucc_addresses"`
			Journal    int64 `json:"journal_contenttypes"`
			Satellites int   `json:"satellites_32bit"`
		} `json:"needs"`
		Parts []struct{ Name string } `json:"parts"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != ExitDifferent {
		t.Fatalf("code %d, %v:\n%s", code, err, out)
	}
	if rep.Needs.UCC != 18 || rep.Needs.Journal != 1 || rep.Needs.Satellites != 1 || len(rep.Parts) != 9 {
		t.Fatalf("JSON report %+v", rep)
	}
}

func TestBackupVerify(t *testing.T) {
	code, out, errOut := runCLI(t, "backup", "verify", sampleBackup)
	if code != ExitOK || !strings.Contains(out, "0 problems") {
		t.Fatalf("code %d:\n%s%s", code, out, errOut)
	}
	b, _ := os.ReadFile(sampleBackup)
	p := filepath.Join(t.TempDir(), "cut.tar")
	if err := os.WriteFile(p, b[:5000], 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCLI(t, "backup", "verify", p)
	if code != ExitInvalid || !strings.Contains(errOut, "cut.tar: byte offset") || !strings.Contains(errOut, "truncated") {
		t.Fatalf("truncated archive: code %d, %s", code, errOut)
	}
}

func TestBackupFix(t *testing.T) {
	in := copySample(t)
	out := filepath.Join(filepath.Dir(in), "FIXED.tar")
	code, _, errOut := runCLI(t, "backup", "fix", in, "-o", out, "--ucc", "--journal")
	if code != ExitOK || !strings.Contains(errOut, "18 UCC invitation addresses lowercased") || !strings.Contains(errOut, "1×4352") {
		t.Fatalf("code %d: %s", code, errOut)
	}
	code, outText, _ := runCLI(t, "backup", "inspect", out)
	if code != ExitDifferent || !strings.Contains(outText, "0 UCC invitation addresses") || !strings.Contains(outText, "0 JOURNAL CONTENTTYPE") {
		t.Fatalf("after the fix (satellite still 32-bit): code %d\n%s", code, outText)
	}
	all := filepath.Join(filepath.Dir(in), "ALL.tar")
	if code, _, errOut = runCLI(t, "backup", "fix", in, "-o", all, "--ucc", "--journal", "--satellites", "wow64"); code != ExitOK || !strings.Contains(errOut, "satellite SAT01: 3 keys moved under Wow6432Node") {
		t.Fatalf("all fixes: code %d: %s", code, errOut)
	}
	if code, outText, _ = runCLI(t, "backup", "inspect", all); code != ExitOK || !strings.Contains(outText, "nothing: no fix needed") {
		t.Fatalf("after every fix: code %d\n%s", code, outText)
	}
	// The output exists now: a second run needs --force.
	if code, _, errOut = runCLI(t, "backup", "fix", in, "-o", out, "--ucc"); code != ExitUsage || !strings.Contains(errOut, "--force") {
		t.Fatalf("existing output: code %d, %s", code, errOut)
	}
	// In place keeps BACKUP.tar.orig.
	if code, _, errOut = runCLI(t, "backup", "fix", in, "--journal"); code != ExitOK {
		t.Fatalf("in place: code %d, %s", code, errOut)
	}
	if _, err := os.Stat(in + ".orig"); err != nil {
		t.Fatal(err)
	}
}

func TestBackupFixUsage(t *testing.T) {
	for _, args := range [][]string{
		{"backup", "fix", sampleBackup},
		{"backup", "fix", sampleBackup, "--satellites", "wow32"},
		{"backup", "inspect"},
		{"backup", "inspect", sampleBackup, "--workers", "-1"},
	} {
		if code, _, _ := runCLI(t, args...); code != ExitUsage {
			t.Errorf("%v: code %d, want 2", args, code)
		}
	}
}

// An archive that is a folder is a usage error, one that cannot be opened
// exit 4; either message names it once.
func TestBackupArchiveNotOpened(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.tar")
	for _, cmd := range []string{"inspect", "verify", "fix"} {
		args := []string{"backup", cmd, dir}
		if cmd == "fix" {
			args = append(args, "--ucc")
		}
		if code, _, errOut := runCLI(t, args...); code != ExitUsage || strings.Count(errOut, dir) != 1 {
			t.Errorf("%v: code %d, want 2: %s", args, code, errOut)
		}
		args[2] = missing
		if code, _, errOut := runCLI(t, args...); code != ExitFailure || strings.Count(errOut, missing) != 1 {
			t.Errorf("%v: code %d, want 4: %s", args, code, errOut)
		}
	}
}
