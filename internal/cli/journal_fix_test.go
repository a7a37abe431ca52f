package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const journalNeedsFix = "; journal export\r\n[JOURNAL]\r\nMSGID=1\r\nCONTENTTYPE=4352\r\n[JOURNAL]\r\nMSGID=2\r\nCONTENTTYPE= 0501\t\r\n[USER]\r\nCONTENTTYPE=4352\r\n"
const journalFixed = "; journal export\r\n[JOURNAL]\r\nMSGID=1\r\nCONTENTTYPE=1092\r\n[JOURNAL]\r\nMSGID=2\r\nCONTENTTYPE= 1092\t\r\n[USER]\r\nCONTENTTYPE=4352\r\n"
const journalClean = "[JOURNAL]\r\nCONTENTTYPE=1092\r\n[JOURNAL]\r\nCONTENTTYPE=0\r\n"

func writeJournal(t *testing.T, content string) (dir, path string) {
	t.Helper()
	dir = t.TempDir()
	path = filepath.Join(dir, "journal.txt")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, path
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// dirNames lists a folder, so tests see left-over temporary files.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestJournalFixFlags(t *testing.T) {
	t.Setenv("XDM_JOURNAL_FIX_WORKERS", "3")
	var got *journalFixOptions
	app := NewApp(&IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}})
	root := NewRootCmd(app)
	for _, c := range root.Commands() {
		if c.Name() == "journal" {
			c.RemoveCommand(c.Commands()...)
			c.AddCommand(newCmdJournalFix(app, func(_ context.Context, o *journalFixOptions) error { got = o; return nil }))
		}
	}
	root.SetArgs([]string{"journal", "fix", "j.txt", "-o", "out.txt", "--force", "--lenient", "--json", "--validate"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.Journal != "j.txt" || got.Output != "out.txt" || !got.Force || !got.Lenient || !got.JSON || !got.Validate || got.Workers != 3 {
		t.Fatalf("options %+v", got)
	}
	code, _, errOut := runCLI(t, "journal", "fix", "--check", "--dry-run", "j.txt")
	if code != ExitUsage || !strings.Contains(errOut, "exclude") {
		t.Errorf("--check --dry-run: code %d, %q", code, errOut)
	}
	code, _, _ = runCLI(t, "journal", "fix")
	if code != ExitUsage {
		t.Errorf("no JOURNAL: code %d", code)
	}
}

func TestJournalFixInPlace(t *testing.T) {
	dir, path := writeJournal(t, journalNeedsFix)
	code, out, errOut := runCLI(t, "journal", "fix", path)
	if code != ExitOK {
		t.Fatalf("code %d: %s", code, errOut)
	}
	if got := readFile(t, path); got != journalFixed {
		t.Errorf("fixed journal:\n%q\nwant\n%q", got, journalFixed)
	}
	if got := readFile(t, path+".orig"); got != journalNeedsFix {
		t.Errorf("journal.txt.orig is not the original: %q", got)
	}
	if names := dirNames(t, dir); len(names) != 2 {
		t.Errorf("files left: %v", names)
	}
	if out != "" {
		t.Errorf("stdout %q, want nothing", out)
	}
	for _, want := range []string{"3 records read, 2 JOURNAL records", "4352  1", "501  1", "total  2",
		"journal.txt.orig", `InfoStor\*.idx`, `InfoStor\journal.dat`, "infotool import rec=JOURNAL file=" + path, "CRLF"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("report lacks %q:\n%s", want, errOut)
		}
	}
	// A second run finds nothing to fix and does not touch the backup.
	code, _, errOut = runCLI(t, "journal", "fix", path)
	if code != ExitOK || !strings.Contains(errOut, "nothing to fix: no journal import needed") {
		t.Errorf("second run: code %d, %s", code, errOut)
	}
	if got := readFile(t, path+".orig"); got != journalNeedsFix {
		t.Errorf("second run changed journal.txt.orig")
	}
}

func TestJournalFixOutput(t *testing.T) {
	dir, path := writeJournal(t, journalNeedsFix)
	out := filepath.Join(dir, "fixed.txt")
	if err := os.WriteFile(out, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "journal", "fix", path, "-o", out)
	if code != ExitUsage || !strings.Contains(errOut, "--force") || readFile(t, out) != "keep me" {
		t.Fatalf("existing OUT without --force: code %d, %s", code, errOut)
	}
	code, _, errOut = runCLI(t, "journal", "fix", path, "-o", out, "--force")
	if code != ExitOK || readFile(t, out) != journalFixed || readFile(t, path) != journalNeedsFix {
		t.Fatalf("-o --force: code %d, %s", code, errOut)
	}
	if names := dirNames(t, dir); len(names) != 2 {
		t.Errorf("files left: %v", names)
	}
	// -o naming the journal itself is the in-place fix, with its backup.
	code, _, errOut = runCLI(t, "journal", "fix", path, "-o", path)
	if code != ExitOK || readFile(t, path) != journalFixed || readFile(t, path+".orig") != journalNeedsFix {
		t.Errorf("-o JOURNAL: code %d, %s", code, errOut)
	}
}

func TestJournalFixNothingToFix(t *testing.T) {
	dir, path := writeJournal(t, journalClean)
	code, out, errOut := runCLI(t, "journal", "fix", path, "-o", filepath.Join(dir, "out.txt"))
	if code != ExitOK || !strings.Contains(errOut, "nothing to fix: no journal import needed") || out != "" {
		t.Fatalf("code %d, stdout %q, stderr %s", code, out, errOut)
	}
	if strings.Contains(errOut, "infotool import") {
		t.Errorf("next steps printed although no import is needed")
	}
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("something was written: %v", names)
	}
}

func TestJournalFixCheckAndDryRun(t *testing.T) {
	dir, path := writeJournal(t, journalNeedsFix)
	code, _, errOut := runCLI(t, "journal", "fix", "--check", path)
	if code != ExitDifferent || !strings.Contains(errOut, "need the fix") {
		t.Errorf("--check on a journal that needs the fix: code %d, %s", code, errOut)
	}
	code, _, errOut = runCLI(t, "journal", "fix", "--dry-run", path)
	if code != ExitOK || !strings.Contains(errOut, "nothing was written") || !strings.Contains(errOut, "4352  1") {
		t.Errorf("--dry-run: code %d, %s", code, errOut)
	}
	if readFile(t, path) != journalNeedsFix || len(dirNames(t, dir)) != 1 {
		t.Errorf("--check/--dry-run wrote something: %v", dirNames(t, dir))
	}
	_, clean := writeJournal(t, journalClean)
	if code, _, errOut := runCLI(t, "journal", "fix", "--check", "-q", clean); code != ExitOK || errOut != "" {
		t.Errorf("--check -q on a clean journal: code %d, %q", code, errOut)
	}
}

func TestJournalFixInvalid(t *testing.T) {
	bad := "[JOURNAL]\r\nCONTENTTYPE=4352\r\n[JOURNAL]\r\nCONTENTTYPE=-501\r\n"
	dir, path := writeJournal(t, bad)
	code, _, errOut := runCLI(t, "journal", "fix", path)
	if code != ExitInvalid || !strings.Contains(errOut, path+":4:13: ") || !strings.Contains(errOut, "expected a decimal number") {
		t.Fatalf("code %d, %s", code, errOut)
	}
	if readFile(t, path) != bad || len(dirNames(t, dir)) != 1 {
		t.Errorf("an invalid journal left files: %v", dirNames(t, dir))
	}
	code, _, errOut = runCLI(t, "journal", "fix", "--lenient", path)
	if code != ExitOK || !strings.Contains(errOut, path+":4:13: skipped:") || !strings.Contains(errOut, "passed through unchanged") {
		t.Fatalf("--lenient: code %d, %s", code, errOut)
	}
	if got := readFile(t, path); got != strings.Replace(bad, "4352", "1092", 1) {
		t.Errorf("--lenient output %q", got)
	}
}

func TestJournalFixJSON(t *testing.T) {
	_, path := writeJournal(t, journalNeedsFix)
	code, out, _ := runCLI(t, "journal", "fix", "--json", "--dry-run", path)
	if code != ExitOK {
		t.Fatalf("code %d", code)
	}
	var res struct {
		Status string `json:"status"`
		Report struct {
			Records        int64            `json:"records"`
			JournalRecords int64            `json:"journal_records"`
			Changed        map[string]int64 `json:"changed"`
			Encoding       string           `json:"encoding"`
			LineEndings    string           `json:"line_endings"`
		} `json:"report"`
		NextSteps []string `json:"next_steps"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if res.Status != "would_fix" || res.Report.Records != 3 || res.Report.JournalRecords != 2 || res.Report.Changed["4352"] != 1 ||
		res.Report.Changed["501"] != 1 || res.Report.Encoding != "cp1252" || res.Report.LineEndings != "CRLF" || len(res.NextSteps) != 4 {
		t.Errorf("JSON report %+v", res)
	}
}

func TestJournalFixCancelled(t *testing.T) {
	dir, path := writeJournal(t, strings.Repeat(journalNeedsFix[len("; journal export\r\n"):], 20000))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	code := Run(ctx, &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}, []string{"journal", "fix", path})
	if code != ExitInterrupted || !strings.Contains(errOut.String(), "interrupted") {
		t.Fatalf("code %d, %s", code, errOut.String())
	}
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("files left after the interrupt: %v", names)
	}
}

func TestJournalFixValidate(t *testing.T) {
	_, path := writeJournal(t, journalNeedsFix)
	code, _, errOut := runCLI(t, "journal", "fix", "--validate", "--workers", "2", path)
	if code != ExitOK || !strings.Contains(errOut, "3 records validated with the infotool grammar") {
		t.Fatalf("code %d: %s", code, errOut)
	}
	if readFile(t, path) != journalFixed {
		t.Errorf("--validate changed the output")
	}
}
