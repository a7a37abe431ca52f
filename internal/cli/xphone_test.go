package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sampleExport = "../../testdata/xphone/export"

func TestXPhoneConvertFlags(t *testing.T) {
	var got *xphoneConvertOptions
	app := NewApp(&IOStreams{In: strings.NewReader(""), Out: &strings.Builder{}, ErrOut: &strings.Builder{}})
	cmd := newCmdXPhoneConvert(app, func(_ context.Context, o *xphoneConvertOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"exp", "-o", "out", "--country", "49", "--area", "089", "--separator", "semicolon", "--encoding", "windows-1252", "--force"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	lib, err := got.options()
	if err != nil {
		t.Fatal(err)
	}
	if got.export != "exp" || got.out != "out" || !got.force || lib.Users.Separator != ';' ||
		lib.Users.Encoding != "windows-1252" || lib.Users.Phone.Country != "49" || lib.Users.Phone.Area != "89" {
		t.Errorf("options %+v, library %+v", got, lib)
	}
}

func TestXPhoneConvert(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := runCLI(t, "xphone", "convert", sampleExport, "-o", out, "--country", "49", "--area", "89")
	if code != ExitOK {
		t.Fatalf("exit %d (want 0: skipped rows are not fatal), stderr %s", code, stderr)
	}
	if stdout != "" || !strings.Contains(stderr, "5 written, 5 skipped") || !strings.Contains(stderr, "report.txt") {
		t.Errorf("stdout %q, stderr %q", stdout, stderr)
	}
	for _, f := range []string{"users.csv", "prompts/manifest.csv", "report.txt", "prompts/users/u1002/recorded_name.wav"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	// A second run refuses the folder, --force replaces it.
	if code, _, stderr := runCLI(t, "xphone", "convert", sampleExport, "-o", out); code != ExitUsage || !strings.Contains(stderr, "--force") {
		t.Errorf("second run: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "xphone", "convert", sampleExport, out, "--force", "--strict"); code != ExitDifferent {
		t.Errorf("--force --strict: exit %d (want 1: rows skipped), %s", code, stderr)
	}
}

func TestXPhoneConvertDryRunJSON(t *testing.T) {
	code, stdout, stderr := runCLI(t, "xphone", "convert", sampleExport, "--dry-run", "--json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		DryRun bool `json:"dry_run"`
		Users  struct {
			Encoding string `json:"encoding"`
			Skipped  []struct {
				Line int `json:"line"`
			} `json:"skipped"`
		} `json:"users"`
		Prompts []struct {
			Target string `json:"target"`
			SHA256 string `json:"sha256"`
		} `json:"prompts"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if !rep.DryRun || rep.Users.Encoding != "windows-1252" || len(rep.Users.Skipped) != 5 || len(rep.Prompts) != 9 || len(rep.Prompts[0].SHA256) != 64 {
		t.Errorf("report %+v", rep)
	}
}

func TestXPhoneCheck(t *testing.T) {
	code, stdout, stderr := runCLI(t, "xphone", "check", sampleExport)
	if code != ExitInvalid || !strings.Contains(stdout, "users.csv:7: duplicate ID") || !strings.Contains(stderr, "10 problems") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	// A clean export passes.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "users.csv"), []byte("UserKey;Login;FirstName;LastName\r\n1;D\\a;Ann;Lee\r\n"), 0o644)
	if code, stdout, stderr := runCLI(t, "xphone", "check", dir); code != ExitOK {
		t.Errorf("clean export: exit %d\n%s\n%s", code, stdout, stderr)
	}
	// An unusable one is invalid and names the file and line.
	os.WriteFile(filepath.Join(dir, "users.csv"), []byte("Key;Login\r\n"), 0o644)
	if code, _, stderr := runCLI(t, "xphone", "check", dir); code != ExitInvalid || !strings.Contains(stderr, "users.csv:1: ") {
		t.Errorf("bad header: exit %d, %s", code, stderr)
	}
}

func TestXPhoneUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"xphone", "convert", sampleExport},
		{"xphone", "convert", sampleExport, "a", "-o", "b"},
		{"xphone", "convert", sampleExport, "a", "b"},
		{"xphone", "convert", sampleExport, "-o", "x", "--separator", "pipe"},
		{"xphone", "convert", sampleExport, "-o", "x", "--encoding", "latin9"},
		{"xphone", "check", sampleExport, "--area", "89"},
		{"xphone", "check", sampleExport, "--mapping", "/nonexistent.yaml"},
	} {
		if code, _, stderr := runCLI(t, args...); code != ExitUsage {
			t.Errorf("%v: exit %d, %s", args, code, stderr)
		}
	}
}

func TestXPhoneMappingFile(t *testing.T) {
	dir := t.TempDir()
	m := filepath.Join(dir, "mapping.yaml")
	os.WriteFile(m, []byte("columns:\n  - source: Language\n    target: language\nconstants:\n  - target: site\n    value: Munich\n"), 0o644)
	out := filepath.Join(dir, "out")
	if code, _, stderr := runCLI(t, "xphone", "convert", sampleExport, "-o", out, "--mapping", m, "--separator", "comma"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(filepath.Join(out, "users.csv"))
	first := strings.SplitN(string(b), "\r\n", 2)[0]
	if first != "\uFEFFID,firstname,name,account,email,phone,mobile,fax,department,language,site" {
		t.Errorf("header %q", first)
	}
}
