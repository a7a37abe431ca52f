package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
	"github.com/xdm-migrate/xdm/position"
)

const (
	journalFile = "../../testdata/infotool/journal.txt"
	maskV5      = "../../testdata/infotool/maskexport-v5.mdl"
	maskV7      = "../../testdata/infotool/maskexport-v7.mdl"
)

// runCLIOut runs a command line with stdout going to out.
func runCLIOut(t *testing.T, out io.Writer, args ...string) (code int, stderr string) {
	t.Helper()
	var errOut bytes.Buffer
	code = Run(context.Background(), &IOStreams{In: strings.NewReader(""), Out: out, ErrOut: &errOut}, args)
	return code, errOut.String()
}

// fullDisk fails every write, as stdout redirected to /dev/full does.
type fullDisk struct{}

func (fullDisk) Write([]byte) (int, error) { return 0, syscall.ENOSPC }

// stdoutCommands writes data to standard output, one command line each.
func stdoutCommands(t *testing.T) [][]string {
	dir := t.TempDir()
	script := filepath.Join(dir, "script.sql")
	writeMode(t, script, script2019, 0o644)
	dump := filepath.Join(dir, "dump.sql")
	writeMode(t, dump, uccSmallDump, 0o644)
	return [][]string{
		{"version"},
		{"config", "show"},
		{"config", "show", "--json"},
		{"infotool", "validate", journalFile},
		{"infotool", "stats", journalFile},
		{"infotool", "stats", "--json", journalFile},
		{"infotool", "export", journalFile, "--to", "ndjson"},
		{"infotool", "export", journalFile, "--to", "csv"},
		{"mask", "diff", maskV5, maskV7},
		{"mask", "diff", "--json", maskV5, maskV7},
		{"sql", "check", script},
		{"sql", "check", "--json", script},
		{"sql", "downgrade", script},
		{"sql", "run", "--dry-run", "-i", script},
		{"sql", "run", "--dry-run", "--json", "-i", script},
		{"sql", "script", "--from-snapshot", xphoneSnapshot, "--target", "2019", "--encoding", "utf-8"},
		{"journal", "fix", "--dry-run", "--json", journalFile},
		{"ucc", "lowercase", "--dump", dump, "--dry-run", "--json"},
		{"xphone", "check", sampleExport},
		{"xphone", "convert", sampleExport, "--dry-run"},
		{"xphone", "convert", sampleExport, "--dry-run", "--json"},
		{"reg", "show", regSample},
		{"reg", "show", "--json", regSample},
		{"reg", "diff", regSample, "../../testdata/reg/regedit4.reg"},
		{"reg", "wow64", "--dry-run", "--json", regSample},
		{"reg", "set", "--list"},
		{"reg", "set", "disable-user-tos", "-o", "-"},
	}
}

const regSample = "../../testdata/reg/xpr-v5.reg"

// TestFullStdoutIsExit4: output that could not be written is a failure,
// whatever the command would have answered.
func TestFullStdoutIsExit4(t *testing.T) {
	cmds := stdoutCommands(t)
	for _, args := range cmds {
		code, stderr := runCLIOut(t, fullDisk{}, args...)
		if code != ExitFailure || !strings.Contains(stderr, "no space left on device") {
			t.Errorf("xdm %s > /dev/full: exit %d, %q; want 4", strings.Join(args, " "), code, stderr)
		}
	}
	// And the same commands with a working stdout write something there.
	for _, args := range cmds {
		var out bytes.Buffer
		if code, stderr := runCLIOut(t, &out, args...); code == ExitUsage || code == ExitFailure || out.Len() == 0 {
			t.Errorf("xdm %s: exit %d, %d bytes on stdout; %s", strings.Join(args, " "), code, out.Len(), stderr)
		}
	}
}

// TestJSONGoesToStdoutAlone: every --json output parses as JSON (one value,
// or one per line), and nothing else is on stdout.
func TestJSONGoesToStdoutAlone(t *testing.T) {
	n := 0
	for _, args := range stdoutCommands(t) {
		if !contains(args, "--json") {
			continue
		}
		n++
		var out bytes.Buffer
		code, stderr := runCLIOut(t, &out, args...)
		if code > ExitDifferent {
			t.Errorf("xdm %s: exit %d: %s", strings.Join(args, " "), code, stderr)
			continue
		}
		if !json.Valid(out.Bytes()) {
			dec := json.NewDecoder(&out)
			for {
				var v any
				if err := dec.Decode(&v); errors.Is(err, io.EOF) {
					break
				} else if err != nil {
					t.Errorf("xdm %s: stdout is not JSON: %v", strings.Join(args, " "), err)
					break
				}
			}
		}
	}
	if n < 8 {
		t.Fatalf("only %d --json commands checked", n)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestUnreadableInputIsExit4Everywhere: a missing input is an I/O error in
// every command, never "invalid input".
func TestUnreadableInputIsExit4Everywhere(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing")
	for _, args := range [][]string{
		{"journal", "fix", missing},
		{"journal", "fix", missing, "-o", filepath.Join(dir, "out")},
		{"journal", "fix", "--check", missing},
		{"ucc", "lowercase", "--dump", missing},
		{"ucc", "lowercase", "--dump", missing, "--check"},
		{"infotool", "validate", missing},
		{"infotool", "stats", missing},
		{"infotool", "export", missing, "--to", "ndjson"},
		{"infotool", "export", missing, "--to", "csv", "-o", filepath.Join(dir, "out.csv")},
		{"mask", "diff", missing, maskV7},
		{"sql", "check", missing},
		{"sql", "downgrade", missing},
		{"sql", "downgrade", missing, "-o", filepath.Join(dir, "out.sql")},
		{"sql", "run", "--dry-run", "-i", missing},
		{"sql", "script", "--from-snapshot", missing, "--target", "2014"},
		{"xphone", "check", missing},
		{"xphone", "convert", missing, "-o", filepath.Join(dir, "v9")},
		{"reg", "show", missing},
		{"reg", "diff", missing, regSample},
		{"reg", "wow64", missing},
		{"reg", "rename-host", missing, "--from", "A", "--to", "B"},
	} {
		code, _, stderr := runCLI(t, args...)
		if code != ExitFailure || !strings.Contains(stderr, "no such file") {
			t.Errorf("xdm %s: exit %d, %q; want 4", strings.Join(args, " "), code, stderr)
		}
	}
	if names := dirNames(t, dir); len(names) != 0 {
		t.Errorf("written although the input was missing: %v", names)
	}
}

// TestFolderInputIsExit2Everywhere: an input that names a folder is a
// mistake on the command line, said the same way in every command of the
// XPR side, and never advice to give an output file.
func TestFolderInputIsExit2Everywhere(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "export")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"journal", "fix", folder},
		{"ucc", "lowercase", "--dump", folder},
		{"ucc", "lowercase", "--dump", folder, "--check"},
		{"ucc", "lowercase", "--dump", folder, "-o", filepath.Join(dir, "out.sql")},
		{"infotool", "validate", folder},
		{"infotool", "stats", folder},
		{"infotool", "export", folder, "--to", "ndjson"},
		{"infotool", "export", folder, "--to", "csv", "-o", filepath.Join(dir, "out.csv")},
		{"mask", "diff", folder, maskV7},
		{"reg", "show", folder},
		{"reg", "wow64", folder},
		{"backup", "inspect", folder},
		{"backup", "fix", folder, "--ucc"},
	} {
		code, _, stderr := runCLI(t, args...)
		if code != ExitUsage || !strings.Contains(stderr, folder+" is a folder; give ") {
			t.Errorf("xdm %s: exit %d, %q; want 2", strings.Join(args, " "), code, stderr)
		}
	}
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("written although the input was a folder: %v", names)
	}
}

// TestOutputDash: "-o -" is standard output where a command can write there
// and a usage error where -o names a file only; no command writes a file
// called "-".
func TestOutputDash(t *testing.T) {
	dir := t.TempDir()
	journal := filepath.Join(dir, "journal.txt")
	writeMode(t, journal, readFile(t, journalFile), 0o644)
	t.Chdir(dir)
	for _, c := range []struct {
		args   []string
		code   int
		stdout bool
	}{
		{[]string{"journal", "fix", journal, "-o", "-"}, ExitUsage, false},
		{[]string{"reg", "wow64", journal, "-o", "-"}, ExitUsage, false},
		{[]string{"ucc", "lowercase", "--dump", journal, "-o", "-"}, ExitUsage, false},
		{[]string{"backup", "fix", journal, "--ucc", "-o", "-"}, ExitUsage, false},
		{[]string{"infotool", "export", journal, "--to", "csv", "-o", "-"}, 0, true},
		{[]string{"reg", "set", "disable-user-tos", "-o", "-"}, 0, true},
	} {
		code, out, stderr := runCLI(t, c.args...)
		if code != c.code || (out != "") != c.stdout || (code == ExitUsage && !strings.Contains(stderr, "-o -: ")) {
			t.Errorf("xdm %s: exit %d, %d bytes on stdout, %q", strings.Join(c.args, " "), code, len(out), stderr)
		}
	}
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("written: %v", names)
	}
}

// leafCommands returns every runnable command below root, by path.
func leafCommands(root *cobra.Command) []*cobra.Command {
	var out []*cobra.Command
	for _, c := range root.Commands() {
		if c.HasSubCommands() {
			out = append(out, leafCommands(c)...)
		} else if c.Runnable() && c.Name() != "help" && c.Name() != "completion" {
			out = append(out, c)
		}
	}
	return out
}

func allLeafCommands() []*cobra.Command {
	return leafCommands(NewRootCmd(NewApp(&IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard})))
}

// pathArgs is a command's path below the root, as arguments.
func pathArgs(c *cobra.Command) []string { return strings.Fields(c.CommandPath())[1:] }

// TestWrongArgumentCountSaysHowToCall: no bare "accepts 1 arg(s),
// received 2", but the command's usage line and where to read more.
func TestWrongArgumentCountSaysHowToCall(t *testing.T) {
	n := 0
	for _, c := range allLeafCommands() {
		if c.Args == nil {
			continue // takes any number of arguments
		}
		args := append(pathArgs(c), "a", "b", "c", "d", "e")
		if c.Args(c, []string{"a", "b", "c", "d", "e"}) == nil {
			args = pathArgs(c) // takes any number: give none
			if c.Args(c, nil) == nil {
				continue
			}
		}
		n++
		code, _, stderr := runCLI(t, args...)
		want := "usage: " + c.UseLine()
		if code != ExitUsage || !strings.Contains(stderr, want) || !strings.Contains(stderr, c.CommandPath()+" --help") || strings.Contains(stderr, "arg(s)") {
			t.Errorf("xdm %s: exit %d, stderr %q; want 2, %q and a pointer to --help", strings.Join(args, " "), code, stderr, want)
		}
	}
	if n < 10 {
		t.Fatalf("only %d commands checked", n)
	}
	code, _, stderr := runCLI(t, "journal", "fix", "--no-such-flag", "x")
	if code != ExitUsage || !strings.Contains(stderr, "usage: xdm journal fix JOURNAL") {
		t.Errorf("unknown flag: exit %d, %q", code, stderr)
	}
}

// TestWorkersValidatedEverywhere: every command with --workers refuses a
// value that is no number of CPUs, naming the flag, from the command line
// and from the environment.
func TestWorkersValidatedEverywhere(t *testing.T) {
	n := 0
	for _, c := range allLeafCommands() {
		if c.Flags().Lookup("workers") == nil {
			continue
		}
		n++
		for _, v := range []string{"abc", "-1", "2.5"} {
			code, _, stderr := runCLI(t, append(pathArgs(c), "--workers", v, "x")...)
			if code != ExitUsage || !strings.Contains(stderr, "--workers") || !strings.Contains(stderr, "whole number") {
				t.Errorf("%s --workers %s: exit %d, %q", c.CommandPath(), v, code, stderr)
			}
		}
		env := envName(configKey(c, c.Flags().Lookup("workers")))
		t.Setenv(env, "many")
		args := pathArgs(c)
		if c.Args(c, []string{"x"}) == nil {
			args = append(args, "x")
		}
		code, _, stderr := runCLI(t, args...)
		if code != ExitUsage || !strings.Contains(stderr, env) || !strings.Contains(stderr, "--workers") {
			t.Errorf("%s=many %s: exit %d, %q", env, c.CommandPath(), code, stderr)
		}
		os.Unsetenv(env)
	}
	if n != 10 {
		t.Errorf("%d commands have --workers, want 10", n)
	}
}

func TestUnknownCommandSuggestsTheNearest(t *testing.T) {
	for args, want := range map[string]string{
		"jurnal":           `did you mean "journal"?`,
		"sql rnu":          `did you mean "run"?`,
		"infotool statz x": `did you mean "stats"?`,
		"xphone convrt":    `did you mean "convert"?`,
	} {
		code, _, stderr := runCLI(t, strings.Fields(args)...)
		if code != ExitUsage || !strings.Contains(stderr, want) || !strings.Contains(stderr, "--help") {
			t.Errorf("xdm %s: exit %d, %q; want %q", args, code, stderr, want)
		}
	}
}

// TestAdviceNamesOnlyFlagsTheCommandHas: whatever a message advises, the
// command has that flag.
func TestAdviceNamesOnlyFlagsTheCommandHas(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing")
	writeMode(t, existing, "x", 0o644)
	journal := filepath.Join(dir, "journal.txt")
	writeMode(t, journal, journalSample(t), 0o644)
	writeMode(t, journal+".orig", "earlier", 0o644)
	bad := filepath.Join(dir, "bad.txt")
	writeMode(t, bad, "[JOURNAL]\r\nNO EQUALS SIGN\r\n", 0o644)
	dump := filepath.Join(dir, "dump.sql")
	writeMode(t, dump, "SET client_encoding = 'EUC_JP';\nCOPY symconferencing.invitees (id, invitationaddress) FROM stdin;\n1\tA@B\n\\.\n", 0o644)
	flagRe := regexp.MustCompile(`--[a-z][a-z-]+`)
	root := NewRootCmd(NewApp(&IOStreams{In: strings.NewReader(""), Out: io.Discard, ErrOut: io.Discard}))
	checked := 0
	for _, args := range [][]string{
		{"journal", "fix", journal},
		{"journal", "fix", bad},
		{"journal", "fix", journalFile, "-o", existing},
		{"ucc", "lowercase", "--dump", dump},
		{"ucc", "lowercase", "--dump", dump, "--ascii", "-o", existing},
		{"infotool", "validate", bad},
		{"infotool", "export", bad, "--to", "ndjson"},
		{"infotool", "export", journalFile, "--to", "csv", "-o", existing},
		{"sql", "downgrade", bad, "-o", existing},
		{"sql", "script", "--from-snapshot", xphoneSnapshot, "--target", "2014", "-o", existing},
		{"sql", "run", "--dry-run", "-i", bad},
		{"xphone", "convert", sampleExport, "-o", dir},
		{"mask", "diff", bad, maskV7},
	} {
		_, _, stderr := runCLI(t, args...)
		cmd, _, err := root.Find(args)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range flagRe.FindAllString(stderr, -1) {
			checked++
			if cmd.Flags().Lookup(strings.TrimPrefix(f, "--")) == nil && cmd.InheritedFlags().Lookup(strings.TrimPrefix(f, "--")) == nil {
				t.Errorf("xdm %s advises %s, which it does not have: %s", strings.Join(args, " "), f, stderr)
			}
		}
	}
	if checked < 5 {
		t.Fatalf("only %d flags named in all the messages", checked)
	}
}

// TestExitCodeMap: the one map from errors to exit codes, whatever command
// returned them.
func TestExitCodeMap(t *testing.T) {
	pe := &position.Error{File: "f", Line: 1, Offset: -1, Err: errors.New("bad")}
	for _, c := range []struct {
		err  error
		want int
	}{
		{nil, ExitOK},
		{fmt.Errorf("wrapped: %w", pe), ExitInvalid},
		{usageError{pe}, ExitUsage}, // a flag's file that does not fit (--mapping)
		{exitWith(ExitFailure, pe), ExitFailure},
		{fmt.Errorf("x: %w", atomicfile.ErrExists), ExitUsage},
		{fmt.Errorf("x: %w", context.Canceled), ExitInterrupted},
		{errors.New("disk full"), ExitFailure},
	} {
		if got := exitCode(c.err); got != c.want {
			t.Errorf("%v: exit %d, want %d", c.err, got, c.want)
		}
	}
}
