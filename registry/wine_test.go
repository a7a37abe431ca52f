package registry

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xdm-migrate/xdm/internal/testtool"
	"github.com/xdm-migrate/xdm/parsers/reg"
)

// wine runs Wine's regedit in a prefix of its own, headless: the registry
// editor of an independent implementation, whose import and export Wine's
// own tests check against Windows'.
type wine struct {
	t      *testing.T
	prefix string
	dir    string
}

func newWine(t *testing.T) *wine {
	testtool.LookPath(t, "wine", "apt-get install wine wine64; scripts/setup.sh installs them")
	dir := t.TempDir()
	w := &wine{t: t, prefix: filepath.Join(dir, "prefix"), dir: dir}
	t.Cleanup(func() {
		// wineserver outlives regedit for a few seconds: stop it now.
		cmd := exec.Command("wineserver", "-k")
		cmd.Env = w.env()
		_ = cmd.Run()
	})
	return w
}

func (w *wine) env() []string {
	// No Mono or Gecko install dialogs, no debug output, no display needed.
	return append(os.Environ(), "WINEPREFIX="+w.prefix, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=", "DISPLAY=")
}

// regedit runs wine regedit with args; file arguments are paths in w.dir.
func (w *wine) regedit(args ...string) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "wine", append([]string{"regedit"}, args...)...)
	cmd.Env = w.env()
	out, err := cmd.CombinedOutput()
	if err != nil {
		w.t.Fatalf("wine regedit %q: %v\n%s", args, err, out)
	}
}

// path returns the Windows path of file name in w.dir (Wine's Z: is /).
func (w *wine) path(name string) string {
	return `Z:` + strings.ReplaceAll(filepath.Join(w.dir, name), "/", `\`)
}

func (w *wine) write(name string, data []byte) string {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, name), data, 0o644); err != nil {
		w.t.Fatal(err)
	}
	return w.path(name)
}

// importFile imports a .reg file with regedit /S.
func (w *wine) importFile(name string, data []byte) { w.regedit("/S", w.write(name, data)) }

// export exports a key with regedit /E and returns the file.
func (w *wine) export(name, key string) []byte {
	w.t.Helper()
	w.regedit("/E", w.path(name), key)
	data, err := os.ReadFile(filepath.Join(w.dir, name))
	if err != nil {
		w.t.Fatal(err)
	}
	return data
}

// sameValues fails unless the values of a are in b with the same data.
// Keys and values only b has are allowed: Wine's export adds the parents of
// keys, and earlier imports may have left values. keys limits the
// comparison (see CompilePatterns).
func sameValues(t *testing.T, what string, a, b []byte, fold bool, keys ...string) {
	t.Helper()
	d, err := Diff(context.Background(), bytes.NewReader(a), bytes.NewReader(b), DiffOptions{OldName: "a.reg", NewName: "b.reg", FoldWow64: fold, Keys: keys})
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	for _, k := range d.Keys {
		if k.Change != Added {
			t.Fatalf("%s: keys differ: %q", what, diffStrings(d))
		}
	}
	for _, v := range d.Values {
		if v.Change != Added {
			t.Fatalf("%s: values differ: %q", what, diffStrings(d))
		}
	}
}

// TestWine: files that Wine's regedit exports are read by xdm, and what
// xdm writes (moved keys, renamed hosts, settings, both file versions) is
// imported by Wine's regedit as xdm says it holds.
func TestWine(t *testing.T) {
	w := newWine(t)
	const pp = `HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM`

	// A version 5.00 sample in, Wine's export out: xdm reads the export, and
	// it holds the sample's values.
	sample := readSample(t, "xpr-v5.reg")
	w.importFile("xpr-v5.reg", sample)
	exported := w.export("export.reg", pp)
	if s, err := reg.Validate(context.Background(), bytes.NewReader(exported), "export.reg"); err != nil || !s.Valid() || s.Values != 20 {
		t.Fatalf("xdm on Wine's export: %+v %v", s, err)
	}
	sameValues(t, "import of xpr-v5.reg", sample, exported, false)

	// wow64 on Wine's export; Wine imports it below Wow6432Node.
	var moved bytes.Buffer
	rep, err := Wow64(context.Background(), bytes.NewReader(exported), &moved, Wow64Options{})
	if err != nil || rep.Moved == 0 {
		t.Fatalf("wow64: %+v %v", rep, err)
	}
	w.importFile("moved.reg", moved.Bytes())
	sameValues(t, "import of the moved file", sample, w.export("moved-export.reg", `HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\PP-COM`), true)

	// REGEDIT4: the ANSI strings and hex(2)/hex(7) data arrive as xdm reads them.
	ansi := readSample(t, "regedit4.reg")
	w.importFile("regedit4.reg", ansi)
	sameValues(t, "import of regedit4.reg", ansi, w.export("ansi-export.reg", pp+`\MRS`), false, pp+`\MRS`)

	// rename-host on a node's export; Wine imports the renamed file.
	node := readSample(t, "cluster-node.reg")
	w.importFile("node.reg", node)
	nodeExport := w.export("node-export.reg", `HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node`)
	var renamed bytes.Buffer
	rr, err := RenameHost(context.Background(), bytes.NewReader(nodeExport), &renamed, RenameOptions{
		From: "TLCLKN1", To: "XPRCLUSTER", DropLineOf: []string{"TLCLKN1"}})
	if err != nil || rr.Changes == 0 {
		t.Fatalf("rename-host: %+v %v", rr, err)
	}
	w.importFile("renamed.reg", renamed.Bytes())
	after := values(t, w.export("renamed-export.reg", `HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\PP-COM\MRS\MRS Globals`))
	if got := after[`HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\PP-COM\MRS\MRS Globals|Monitor Directory`]; got != `["\\XPR\MrsMonitor"]` {
		t.Fatalf("Monitor Directory after import: %s", got)
	}
	if got := after[`HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\PP-COM\MRS\MRS Globals|Home Server`]; got != `"\\XPRCLUSTER\MrsHome"` {
		t.Fatalf("Home Server after import: %s", got)
	}

	// The settings file of xdm reg set.
	tos, _ := LookupSetting("disable-user-tos")
	a, err := tos.Assign("0")
	if err != nil {
		t.Fatal(err)
	}
	multi, _ := NewValue("Dirs", reg.RegMultiSZ, `\\XPR\Mon\0\\NODE\Mon`)
	var settings bytes.Buffer
	all := []Assignment{a, {Key: `HKLM\SOFTWARE\Wow6432Node\PP-COM\MRS\Test`, Value: multi}}
	if err := WriteSettings(&settings, all, SettingsOptions{}); err != nil {
		t.Fatal(err)
	}
	w.importFile("settings.reg", settings.Bytes())
	got := values(t, w.export("settings-export.reg", `HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\PP-COM\MRS\Test`))
	if v := got[`HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\PP-COM\MRS\Test|Dirs`]; v != `["\\XPR\Mon", "\\NODE\Mon"]` {
		t.Fatalf("settings after import: %v", got)
	}
	params := values(t, w.export("tcpip.reg", a.Key))
	if v := params[a.Key+"|DisableUserTOSSetting"]; v != "0x00000000 (0)" {
		t.Fatalf("DisableUserTOSSetting after import: %q", v)
	}
}
