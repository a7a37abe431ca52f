package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/parsers/reg"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/reg/*.golden from the current output")

// regDir copies .reg samples of testdata/reg into a new folder and returns it.
func regDir(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "reg", n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// regText shows a .reg file for a golden file: its encoding and text, line
// ends visible.
func regText(data []byte) string {
	enc := "ansi"
	text := reg.ANSI.Decode(data)
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) {
		enc, text = "utf-16le with BOM", reg.UTF16LE.Decode(data[2:])
	}
	text = strings.NewReplacer("\r\n", "<CRLF>\n", "\r", "<CR>\n").Replace(text)
	return fmt.Sprintf("(%s, %d bytes)\n%s", enc, len(data), text)
}

// regCase runs one command line in a folder of samples and checks its exit
// code, stdout, stderr and the files it leaves against
// testdata/reg/<name>.golden.
type regCase struct {
	name  string
	files []string // samples copied into the folder
	args  []string // FILE names are relative to the folder
	code  int
}

func (c regCase) run(t *testing.T) {
	t.Helper()
	dir := regDir(t, c.files...)
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, c.args...)
	if err := os.Chdir(wd); err != nil {
		t.Fatal(err)
	}
	if code != c.code {
		t.Errorf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", c.name, code, c.code, out, errOut)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "$ xdm %s\nexit %d\n--- stdout\n%s--- stderr\n%s", strings.Join(c.args, " "), code, out, errOut)
	// The files the command wrote or changed.
	names := dirNames(t, dir)
	slices.Sort(names)
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(c.files, n) {
			orig, _ := os.ReadFile(filepath.Join("..", "..", "testdata", "reg", n))
			if bytes.Equal(orig, data) {
				continue
			}
		}
		if strings.HasSuffix(n, ".orig") {
			orig, _ := os.ReadFile(filepath.Join("..", "..", "testdata", "reg", strings.TrimSuffix(n, ".orig")))
			fmt.Fprintf(&b, "--- file %s: the original, byte for byte: %v\n", n, bytes.Equal(orig, data))
			continue
		}
		fmt.Fprintf(&b, "--- file %s %s", n, regText(data))
	}
	golden := filepath.Join("testdata", "reg", c.name+".golden")
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test ./internal/cli -run Reg -update writes it)", err)
	}
	if b.String() != string(want) {
		t.Errorf("%s differs from %s:\n%s", c.name, golden, b.String())
	}
}

func TestRegGolden(t *testing.T) {
	cases := []regCase{
		{"show", []string{"xpr-v5.reg"}, []string{"reg", "show", "xpr-v5.reg"}, 0},
		{"show-ansi", []string{"regedit4.reg"}, []string{"reg", "show", "regedit4.reg"}, 0},
		{"show-deletions", []string{"deletions.reg"}, []string{"reg", "show", "deletions.reg"}, 0},
		{"show-key", []string{"xpr-v5.reg"}, []string{"reg", "show", "xpr-v5.reg", "--key", `hklm\software\pp-com\mrs\*`}, 0},
		{"show-json", []string{"continuations.reg"}, []string{"reg", "show", "continuations.reg", "--json"}, 0},
		{"show-invalid", []string{"invalid-escape.reg"}, []string{"reg", "show", "invalid-escape.reg"}, ExitInvalid},
		{"show-invalid-json", []string{"invalid-utf8.reg"}, []string{"reg", "show", "invalid-utf8.reg", "--json"}, ExitInvalid},
		{"diff", []string{"regedit4.reg", "xpr-v5.reg"}, []string{"reg", "diff", "regedit4.reg", "xpr-v5.reg"}, ExitDifferent},
		{"diff-same", []string{"xpr-v5.reg", "wine-export.reg"}, []string{"reg", "diff", "xpr-v5.reg", "wine-export.reg", "--key", `HKLM\SOFTWARE\PP-COM\MRS\MRS Globals`}, 0},
		{"diff-wine", []string{"xpr-v5.reg", "wine-export.reg"}, []string{"reg", "diff", "xpr-v5.reg", "wine-export.reg", "--json"}, ExitDifferent},
		{"diff-invalid", []string{"xpr-v5.reg", "invalid-root.reg"}, []string{"reg", "diff", "xpr-v5.reg", "invalid-root.reg"}, ExitInvalid},
		{"wow64", []string{"xpr-v5.reg"}, []string{"reg", "wow64", "xpr-v5.reg"}, 0},
		{"wow64-output", []string{"regedit4.reg"}, []string{"reg", "wow64", "regedit4.reg", "-o", "sat64.reg"}, 0},
		{"wow64-check", []string{"no-final-newline.reg"}, []string{"reg", "wow64", "--check", "no-final-newline.reg"}, ExitDifferent},
		{"wow64-nothing", []string{"cluster-node.reg"}, []string{"reg", "wow64", "cluster-node.reg", "--vendor", "Microsoft"}, 0},
		{"wow64-json", []string{"deletions.reg"}, []string{"reg", "wow64", "deletions.reg", "--dry-run", "--json"}, 0},
		{"wow64-invalid", []string{"invalid-continuation.reg"}, []string{"reg", "wow64", "invalid-continuation.reg"}, ExitInvalid},
		{"rename-host", []string{"cluster-node.reg"}, []string{"reg", "rename-host", "cluster-node.reg", "--from", "TLCLKN1", "--to", "XPRCLUSTER", "--drop-line-of", "TLCLKN1", "--forbid", "XPR"}, 0},
		{"rename-host-dry-run", []string{"cluster-node.reg"}, []string{"reg", "rename-host", "cluster-node.reg", "--from", "tlclkn1", "--to", "XPRCLUSTER", "--dry-run", "--json"}, 0},
		{"rename-host-under", []string{"regedit4.reg"}, []string{"reg", "rename-host", "regedit4.reg", "--from", "TLCLKN1", "--to", "XPRCLUSTER", "--under", `HKLM\SOFTWARE\PP-COM`, "-o", "out.reg"}, 0},
		{"rename-host-forbidden", []string{"cluster-node.reg"}, []string{"reg", "rename-host", "cluster-node.reg", "--from", "TLCLKN1", "--to", "xpr", "--forbid", "XPR"}, ExitUsage},
		{"set", nil, []string{"reg", "set", "disable-user-tos", "bind-address=10.1.2.3", "-o", "settings.reg"}, 0},
		{"set-custom-v4", nil, []string{"reg", "set", "--key", `HKLM\SOFTWARE\Wow6432Node\PP-COM\MRS`, "--name", "LogLevel", "--type", "REG_DWORD", "--data", "0x3", "--v4", "-o", "loglevel.reg"}, 0},
		{"set-list", nil, []string{"reg", "set", "--list"}, 0},
		{"set-bad", nil, []string{"reg", "set", "bind-address=host.example", "-o", "x.reg"}, ExitUsage},
	}
	for _, c := range cases {
		t.Run(c.name, c.run)
	}
}

// TestRegWow64Refuses: an existing OUT or FILE.orig is refused without
// --force, and the input stays as it was.
func TestRegWow64Refuses(t *testing.T) {
	dir := regDir(t, "xpr-v5.reg")
	in := filepath.Join(dir, "xpr-v5.reg")
	orig := readFile(t, in)
	if err := os.WriteFile(filepath.Join(dir, "out.reg"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "reg", "wow64", in, "-o", filepath.Join(dir, "out.reg"))
	if code != ExitUsage || !strings.Contains(errOut, "--force") {
		t.Fatalf("existing OUT: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "reg", "wow64", in); code != 0 {
		t.Fatalf("in place: %d %s", code, errOut)
	}
	// The result moved back by hand, and run again: xpr-v5.reg.orig exists.
	if err := os.WriteFile(in, []byte(orig), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCLI(t, "reg", "wow64", in)
	if code != ExitUsage || !strings.Contains(errOut, ".orig") {
		t.Fatalf("existing .orig: %d %s", code, errOut)
	}
	if readFile(t, in) != orig {
		t.Fatal("the input changed")
	}
	if code, _, errOut := runCLI(t, "reg", "wow64", in, "--force"); code != 0 || readFile(t, in+".orig") != orig {
		t.Fatalf("--force: %d %s", code, errOut)
	}
}

func TestRegFlags(t *testing.T) {
	var got any
	app := NewApp(&IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}})
	root := NewRootCmd(app)
	for _, c := range root.Commands() {
		if c.Name() == "reg" {
			c.RemoveCommand(c.Commands()...)
			c.AddCommand(
				newCmdRegRenameHost(app, func(_ context.Context, o *regRenameHostOptions) error { got = o; return nil }),
				newCmdRegDiff(app, func(_ context.Context, o *regDiffOptions) error { got = o; return nil }),
			)
		}
	}
	root.SetArgs([]string{"reg", "rename-host", "n.reg", "--from", "A", "--to", "B", "--under", `HKLM\X`, "--under", `HKLM\Y`,
		"--drop-line-of", "A", "--forbid", "XPR", "--forbid", "APP", "-o", "o.reg", "--force", "--dry-run", "--json"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	o, ok := got.(*regRenameHostOptions)
	if !ok || o.File != "n.reg" || o.From != "A" || o.To != "B" || len(o.Under) != 2 || len(o.DropLineOf) != 1 ||
		len(o.Forbid) != 2 || o.Output != "o.reg" || !o.Force || !o.DryRun || !o.JSON {
		t.Fatalf("options %+v", got)
	}
	root.SetArgs([]string{"reg", "diff", "a.reg", "b.reg", "--fold-wow64", "--key", `HKLM\A`, "--json"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	if d, ok := got.(*regDiffOptions); !ok || d.Old != "a.reg" || d.New != "b.reg" || !d.FoldWow64 || len(d.Keys) != 1 || !d.JSON {
		t.Fatalf("diff options %+v", got)
	}
	for _, args := range [][]string{
		{"reg", "rename-host", "n.reg", "--from", "A"},
		{"reg", "wow64", "--check", "--dry-run", "s.reg"},
		{"reg", "wow64"},
		{"reg", "diff", "a.reg"},
		{"reg", "set", "disable-user-tos"},
		{"reg", "set", "--list", "disable-user-tos"},
		{"reg", "set", "--key", `HKLM\X`, "-o", "x.reg"},
		{"reg", "set", "--key", `HKLM\X`, "--type", "text", "-o", "x.reg"},
		{"reg", "set", "no-such-setting", "-o", "x.reg"},
		{"reg", "show", "a.reg", "--key", `\\`},
		{"reg", "bogus"},
	} {
		if code, _, errOut := runCLI(t, args...); code != ExitUsage {
			t.Errorf("%q: exit %d, want %d (%s)", args, code, ExitUsage, errOut)
		}
	}
}

// TestRegSetStdout: -o - writes the file to stdout.
func TestRegSetStdout(t *testing.T) {
	code, out, errOut := runCLI(t, "reg", "set", "disable-user-tos=1", "-o", "-", "--v4", "-q")
	want := "REGEDIT4\r\n; written by xdm reg set; import with: regedit /s FILE (or reg import FILE)\r\n\r\n" +
		"[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters]\r\n\"DisableUserTOSSetting\"=dword:00000001\r\n\r\n"
	if code != 0 || out != want || errOut != "" {
		t.Fatalf("%d %q %q", code, out, errOut)
	}
	// Without -q the review on stderr says how to import, not "regedit /s -".
	_, _, errOut = runCLI(t, "reg", "set", "disable-user-tos=1", "-o", "-")
	if strings.Contains(errOut, "/s -") || strings.Contains(errOut, "import -") || !strings.Contains(errOut, "regedit /s FILE") {
		t.Fatalf("review: %q", errOut)
	}
}

// TestRegWow64JSONReport: --json is one JSON document with every move.
func TestRegWow64JSONReport(t *testing.T) {
	dir := regDir(t, "xpr-v5.reg")
	code, out, _ := runCLI(t, "reg", "wow64", filepath.Join(dir, "xpr-v5.reg"), "-o", filepath.Join(dir, "o.reg"), "--json")
	var res regWow64Result
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != 0 {
		t.Fatalf("%d %v\n%s", code, err, out)
	}
	if res.Status != "moved" || len(res.Moves) != 5 || res.Report.Moved != 5 || res.Output != filepath.Join(dir, "o.reg") {
		t.Fatalf("%+v", res)
	}
}

// TestRegShowJSONKeepsHTMLCharacters: the streamed report follows the rules
// of json.go as writeJSON does: "&", "<" and ">" as they are, one document.
func TestRegShowJSONKeepsHTMLCharacters(t *testing.T) {
	p := filepath.Join(t.TempDir(), "r&d.reg")
	data := "REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\R&D <Lab>]\r\n\"A&B\"=\"x<y>\"\r\n"
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "reg", "show", p, "--json")
	if code != 0 || !json.Valid([]byte(out)) {
		t.Fatalf("%d %s\n%s", code, errOut, out)
	}
	for _, want := range []string{`"file": "` + p + `"`, `R&D <Lab>`, `"name": "A&B"`, `x<y>`} {
		if !strings.Contains(out, want) {
			t.Errorf("no %s in\n%s", want, out)
		}
	}
}
