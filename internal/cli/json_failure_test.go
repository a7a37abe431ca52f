package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// jsonFailureCase is a failing run of a command with --json.
type jsonFailureCase struct {
	args  []string
	code  int  // the exit code the run must end with
	place bool // the error is at a place in an input: file and line are given
}

// jsonFailureCases fails every command that has --json, by its command
// path: an input that does not fit its format, one that does not exist, a
// server that does not answer (with a password that must not show).
func jsonFailureCases(t *testing.T) map[string][]jsonFailureCase {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	writeMode(t, bad, "garbage\r\n", 0o644)
	missing := filepath.Join(dir, "missing")
	openString := filepath.Join(dir, "open.sql")
	writeMode(t, openString, "SELECT 1\nGO\nSELECT N'it''s\nGO\n", 0o644)
	badConfig := filepath.Join(dir, "xdm.yaml")
	writeMode(t, badConfig, "quiet: [\n", 0o644)
	out := func(name string) string { return filepath.Join(dir, name) }
	return map[string][]jsonFailureCase{
		"xdm backup fix":        {{args: []string{"backup", "fix", "--ucc", bad}, code: ExitInvalid, place: true}, {args: []string{"backup", "fix", bad}, code: ExitUsage}},
		"xdm backup inspect":    {{args: []string{"backup", "inspect", bad}, code: ExitInvalid, place: true}, {args: []string{"backup", "inspect", missing}, code: ExitFailure}},
		"xdm backup verify":     {{args: []string{"backup", "verify", bad}, code: ExitInvalid, place: true}},
		"xdm config show":       {{args: []string{"--config", badConfig, "config", "show"}, code: ExitUsage}},
		"xdm infotool stats":    {{args: []string{"infotool", "stats", bad}, code: ExitInvalid, place: true}, {args: []string{"infotool", "stats", missing}, code: ExitFailure}},
		"xdm journal fix":       {{args: []string{"journal", "fix", "--dry-run", bad}, code: ExitInvalid, place: true}, {args: []string{"journal", "fix", missing}, code: ExitFailure}},
		"xdm mask diff":         {{args: []string{"mask", "diff", bad, maskV7}, code: ExitInvalid, place: true}},
		"xdm reg diff":          {{args: []string{"reg", "diff", bad, regSample}, code: ExitInvalid, place: true}},
		"xdm reg rename-host":   {{args: []string{"reg", "rename-host", bad, "--from", "A", "--to", "B", "--dry-run"}, code: ExitInvalid, place: true}},
		"xdm reg set":           {{args: []string{"reg", "set", "no-such-setting", "-o", out("set.reg")}, code: ExitUsage}},
		"xdm reg show":          {{args: []string{"reg", "show", bad}, code: ExitInvalid, place: true}, {args: []string{"reg", "show", missing}, code: ExitFailure}},
		"xdm reg wow64":         {{args: []string{"reg", "wow64", "--dry-run", bad}, code: ExitInvalid, place: true}},
		"xdm sql check":         {{args: []string{"sql", "check", openString}, code: ExitInvalid}, {args: []string{"sql", "check", missing}, code: ExitFailure}},
		"xdm sql downgrade":     {{args: []string{"sql", "downgrade", openString, "-o", out("down.sql")}, code: ExitInvalid}},
		"xdm sql script":        {{args: []string{"sql", "script", "--from-snapshot", missing, "--target", "2019", "-o", out("s.sql")}, code: ExitFailure}},
		"xdm sql run":           {{args: []string{"sql", "run", "-S", "127.0.0.1,1", "-U", "sa", "-P", "hunter2", "-l", "2", "-Q", "SELECT 1"}, code: ExitFailure}, {args: []string{"sql", "run", "--dry-run", "-i", missing}, code: ExitFailure}},
		"xdm ucc lowercase":     {{args: []string{"ucc", "lowercase", "--dsn", "postgres://xpr:hunter2@127.0.0.1:1/mrsdb?connect_timeout=2", "--dry-run"}, code: ExitFailure}, {args: []string{"ucc", "lowercase", "--dump", bad, "--dry-run"}, code: ExitInvalid}},
		"xdm xphone check":      {{args: []string{"xphone", "check", missing}, code: ExitFailure}},
		"xdm xphone convert":    {{args: []string{"xphone", "convert", missing, "-o", out("v9")}, code: ExitFailure}},
		"xdm xphone atlas set":  {{args: []string{"xphone", "atlas", "set", bad, "--instance", "A=B"}, code: ExitInvalid, place: true}},
		"xdm xphone atlas show": {{args: []string{"xphone", "atlas", "show", bad}, code: ExitInvalid, place: true}},
	}
}

// TestJSONFailureOnEveryCommand: with --json, a failed run prints one JSON
// document (sql run: its last line) with status "error", the message, the
// exit code and, for an input that does not fit, the place; never a
// password. The commands come from the command tree, so a new command with
// --json needs its case here. A place is a line or, in a TAR, an offset.
func TestJSONFailureOnEveryCommand(t *testing.T) {
	cases := jsonFailureCases(t)
	var withJSON []*cobra.Command
	for _, c := range allCommands() {
		if c.Flags().Lookup("json") != nil {
			withJSON = append(withJSON, c)
		}
	}
	if len(withJSON) < 15 {
		t.Fatalf("only %d commands with --json found", len(withJSON))
	}
	for _, c := range withJSON {
		path := c.CommandPath()
		if len(cases[path]) == 0 {
			t.Errorf("%s has --json but no failing case in jsonFailureCases", path)
		}
		for _, tc := range cases[path] {
			args := append(append([]string{}, tc.args...), "--json")
			line := "xdm " + strings.Join(args, " ")
			code, stdout, stderr := runCLI(t, args...)
			if code != tc.code {
				t.Errorf("%s: exit %d, want %d; stderr %q", line, code, tc.code, stderr)
				continue
			}
			doc := []byte(stdout)
			if c.Annotations[jsonLinesAnnotation] != "" {
				lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
				doc = []byte(lines[len(lines)-1])
			} else if n := countJSONValues(doc); n != 1 {
				t.Errorf("%s: %d JSON values on stdout, want 1:\n%s", line, n, stdout)
				continue
			}
			var got struct {
				Status   string `json:"status"`
				Error    string `json:"error"`
				File     string `json:"file"`
				Line     int64  `json:"line"`
				Offset   *int64 `json:"offset"`
				ExitCode int    `json:"exit_code"`
			}
			if err := json.Unmarshal(doc, &got); err != nil {
				t.Errorf("%s: stdout is not JSON (%v):\n%s", line, err, stdout)
				continue
			}
			if got.Status != "error" || got.Error == "" || got.ExitCode != code {
				t.Errorf("%s: want status \"error\", a message and exit_code %d, got %+v", line, code, got)
			}
			if tc.place && (got.File == "" || got.Line == 0 && got.Offset == nil) {
				t.Errorf("%s: the error is at a place, the JSON does not name it: %+v", line, got)
			}
			if strings.Contains(stdout, "hunter2") {
				t.Errorf("%s: the password is in the JSON:\n%s", line, stdout)
			}
			if !strings.Contains(stderr, "xdm: ") {
				t.Errorf("%s: no message on stderr: %q", line, stderr)
			}
		}
	}
}

// countJSONValues counts the JSON values in b, -1 when b holds anything else.
func countJSONValues(b []byte) int {
	dec := json.NewDecoder(bytes.NewReader(b))
	n := 0
	for dec.More() {
		var v json.RawMessage
		if dec.Decode(&v) != nil {
			return -1
		}
		n++
	}
	return n
}

// TestJSONFailureNotForCommandLineErrors: a command line xdm could not
// take prints nothing on stdout, --json or not: it is not known what was
// meant.
func TestJSONFailureNotForCommandLineErrors(t *testing.T) {
	for _, args := range [][]string{
		{"reg", "show", "--json", "--no-such-flag", regSample},
		{"reg", "show", "--json"},
		{"mask", "diff", "--json", maskV5},
	} {
		code, stdout, _ := runCLI(t, args...)
		if code != ExitUsage || stdout != "" {
			t.Errorf("xdm %s: exit %d, stdout %q; want 2 and nothing", strings.Join(args, " "), code, stdout)
		}
	}
}

// TestJSONFailureAfterStreamedKeys: reg show --json streams its keys; a
// file that goes wrong after some of them still ends as one JSON document.
func TestJSONFailureAfterStreamedKeys(t *testing.T) {
	src, err := os.ReadFile("../../testdata/reg/regedit4.reg")
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "cut.reg")
	writeMode(t, bad, string(src)+"\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Broken\r\n", 0o644)
	code, stdout, stderr := runCLI(t, "reg", "show", "--json", bad)
	var got struct {
		Keys   []json.RawMessage `json:"keys"`
		Status string            `json:"status"`
		File   string            `json:"file"`
		Line   int64             `json:"line"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != ExitInvalid {
		t.Fatalf("exit %d, %v:\n%s\n%s", code, err, stdout, stderr)
	}
	if len(got.Keys) == 0 || got.Status != "error" || got.File != bad || got.Line == 0 {
		t.Errorf("want the keys before the error, status error and the place: %+v\n%s", got, stdout)
	}
}
