package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// runCLI runs one xdm command line with buffer streams (never a terminal) and
// returns the exit code, stdout and stderr.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	io := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	code = Run(context.Background(), io, args)
	return code, out.String(), errOut.String()
}

func TestVersion(t *testing.T) {
	code, out, _ := runCLI(t, "version")
	if code != 0 || !strings.HasPrefix(out, "xdm ") || !strings.Contains(out, "go1.") {
		t.Fatalf("xdm version: code %d, output %q", code, out)
	}
}

func TestUnknownFlagIsUsageError(t *testing.T) {
	code, _, errOut := runCLI(t, "version", "--no-such-flag")
	if code != ExitUsage || !strings.Contains(errOut, "no-such-flag") {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
}

func TestConfigShowMasksSecrets(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "xdm.yaml")
	os.WriteFile(cfg, []byte("quiet: true\n"), 0o644)
	t.Setenv("XDM_QUIET", "")
	os.Unsetenv("XDM_QUIET")
	code, out, errOut := runCLI(t, "--config", cfg, "config", "show")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	if !strings.Contains(out, cfg) {
		t.Errorf("config show does not name the file it read:\n%s", out)
	}
	var quietLine string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "quiet ") {
			quietLine = l
		}
	}
	if !strings.Contains(quietLine, "true") || !strings.Contains(quietLine, "config") {
		t.Errorf("quiet from the config file not shown: %q", quietLine)
	}
}

func TestMaskSetting(t *testing.T) {
	s := maskSetting(setting{Key: "pg.dsn", Value: "postgres://xpr:hunter2@db/mrsdb"})
	if strings.Contains(s.Value, "hunter2") {
		t.Errorf("DSN password shown: %q", s.Value)
	}
	s = maskSetting(setting{Key: "mssql.password", Value: "hunter2"})
	if strings.Contains(s.Value, "hunter2") {
		t.Errorf("password shown: %q", s.Value)
	}
}

func TestEnvOverridesConfigFile(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "xdm.yaml")
	os.WriteFile(cfg, []byte("quiet: false\n"), 0o644)
	t.Setenv("XDM_QUIET", "true")
	app := NewApp(&IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}})
	root := NewRootCmd(app)
	root.SetArgs([]string{"--config", cfg, "version"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	if !app.Quiet() {
		t.Error("XDM_QUIET=true did not win over the config file")
	}
}

func TestExistingOutputIsAUsageError(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.ndjson")
	os.WriteFile(out, []byte("keep me"), 0o644)
	code, _, errOut := runCLI(t, "infotool", "export", "../../testdata/infotool/journal.txt", "--to", "ndjson", "-o", out)
	if code != ExitUsage || !strings.Contains(errOut, "--force") {
		t.Fatalf("code %d, stderr %q; want exit %d naming --force", code, errOut, ExitUsage)
	}
	if b, _ := os.ReadFile(out); string(b) != "keep me" {
		t.Errorf("existing output changed to %q", b)
	}
}

func TestUnknownCommandIsUsageError(t *testing.T) {
	for _, args := range [][]string{{"jurnal"}, {"sql", "rnu"}, {"journal", "fx", "x.txt"}} {
		code, out, errOut := runCLI(t, args...)
		if code != ExitUsage || !strings.Contains(errOut, "unknown command") {
			t.Errorf("xdm %v: exit %d, stderr %q, stdout %q; want exit %d and \"unknown command\"", args, code, errOut, out, ExitUsage)
		}
	}
	code, out, _ := runCLI(t, "sql")
	if code != ExitOK || !strings.Contains(out, "downgrade") {
		t.Errorf("xdm sql alone: exit %d, want its help listing the commands:\n%s", code, out)
	}
}

func TestUseCPUsLimitsAndRestores(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	if before < 2 {
		t.Skip("needs 2 CPUs")
	}
	restore := useCPUs(1)
	if got := runtime.GOMAXPROCS(0); got != 1 {
		t.Errorf("GOMAXPROCS with --workers 1 = %d, want 1", got)
	}
	restore()
	if got := runtime.GOMAXPROCS(0); got != before {
		t.Errorf("GOMAXPROCS after the command = %d, want %d", got, before)
	}
	useCPUs(0)()
	useCPUs(before + 1)()
	if got := runtime.GOMAXPROCS(0); got != before {
		t.Errorf("GOMAXPROCS after --workers 0 and %d = %d, want %d", before+1, got, before)
	}
}
