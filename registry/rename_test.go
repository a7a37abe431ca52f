package registry

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/parsers/reg"
)

// values reads a .reg file into "KEY|NAME" -> decoded data.
func values(t *testing.T, data []byte) map[string]string {
	t.Helper()
	m := map[string]string{}
	r := reg.NewReader(bytes.NewReader(data), "f")
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return m
		}
		if err != nil {
			t.Fatal(err)
		}
		switch rec.Kind {
		case reg.KindKey:
			m[rec.Key+"|"] = "key"
		case reg.KindValue:
			m[rec.Key+"|"+rec.Value.Name] = Decode(rec.Value).String()
		}
	}
}

// TestRenameHostCluster: the manual's cluster step on a node's export.
func TestRenameHostCluster(t *testing.T) {
	data := readSample(t, "cluster-node.reg")
	var out bytes.Buffer
	var changes []Change
	rep, err := RenameHost(context.Background(), bytes.NewReader(data), &out, RenameOptions{
		Name: "cluster-node.reg", From: "tlclkn1", To: "XPRCLUSTER",
		DropLineOf: []string{"TLCLKN1"}, Forbid: []string{"XPR"},
		OnChange: func(c Change) { changes = append(changes, c) },
	})
	if err != nil {
		t.Fatal(err)
	}
	w64 := `HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node`
	got := values(t, out.Bytes())
	want := map[string]string{
		w64 + `\PP-COM\MRS|`:                                 "key",
		w64 + `\PP-COM\MRS|ServerName`:                       `"XPRCLUSTER"`,
		w64 + `\PP-COM\MRS|Computer`:                         `"XPRCLUSTER.corp.example"`,
		w64 + `\PP-COM\MRS|Backup Node`:                      `"TLCLKN10"`,
		w64 + `\PP-COM\MRS|Peer`:                             `"TLCLKN1-B"`,
		w64 + `\PP-COM\MRS|Data`:                             `"\\XPRCLUSTER\MrsData"`,
		w64 + `\PP-COM\MRS|LogLevel`:                         "0x00000003 (3)",
		w64 + `\PP-COM\MRS\MRS Globals|`:                     "key",
		w64 + `\PP-COM\MRS\MRS Globals|Monitor Directory`:    `["\\XPR\MrsMonitor"]`,
		w64 + `\PP-COM\MRS\MRS Globals|Home Server`:          `"\\XPRCLUSTER\MrsHome"`,
		w64 + `\PP-COM\MRS\MRS Globals|Servers`:              `["TLCLKN2"]`,
		w64 + `\PP-COM\MRS\Nodes\XPRCLUSTER|`:                "key",
		w64 + `\PP-COM\MRS\Nodes\XPRCLUSTER|XPRCLUSTER Port`: "0x00000835 (2101)",
		w64 + `\SIEMENS\OpenScape|`:                          "key",
		w64 + `\SIEMENS\OpenScape|Host`:                      `"XPRCLUSTER"`,
		`HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\ComputerName\ComputerName|`:             "key",
		`HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\ComputerName\ComputerName|ComputerName`: `"TLCLKN1"`,
		`HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM\MRS|`:                                                    "key",
		`HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM\MRS|ServerName`:                                          `"TLCLKN1"`,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s, want %s", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d entries, want %d: %v", len(got), len(want), got)
	}
	// 3 data changes in MRS, Home Server, 2 dropped elements, the key path,
	// the value name (its Change with the key path as read), SIEMENS Host.
	if rep.Changes != 9 || len(changes) != 9 || rep.Dropped != 2 || rep.KeysInScope != 4 || rep.ValuesInScope != 11 {
		t.Errorf("report %+v, %d changes: %+v", rep, len(changes), changes)
	}
	// Lines outside the changes are byte for byte the input's.
	in, _ := decode(t, data)
	outText, _ := decode(t, out.Bytes())
	for _, line := range strings.Split(in, "\r\n") {
		if !strings.Contains(strings.ToUpper(line), "TLCLKN1") && !strings.Contains(line, "=hex(") && !strings.HasPrefix(line, "  ") && !strings.Contains(outText, line) {
			t.Errorf("line %q lost", line)
		}
	}
	// The dropped multi-string is written again as regedit does.
	if !strings.Contains(outText, "\"Monitor Directory\"=hex(7):5c,00,5c,00,58,00,50,00,52,00,5c,00,4d,00,72,00,73,\\\r\n  00,4d,00,6f,00,6e,00,69,00,74,00,6f,00,72,00,00,00,00,00\r\n") {
		t.Errorf("Monitor Directory not written as regedit does:\n%s", outText)
	}
}

func TestRenameHostOptions(t *testing.T) {
	data := readSample(t, "cluster-node.reg")
	run := func(o RenameOptions) (RenameReport, error) {
		return RenameHost(context.Background(), bytes.NewReader(data), io.Discard, o)
	}
	if _, err := run(RenameOptions{From: "TLCLKN1", To: "xpr", Forbid: []string{"XPR"}}); !errors.Is(err, ErrForbiddenName) {
		t.Errorf("forbidden name: %v", err)
	}
	for _, o := range []RenameOptions{{From: "", To: "A"}, {From: "A", To: `\\B`}, {From: "A", To: "a"}} {
		if _, err := run(o); !errors.Is(err, ErrHostName) {
			t.Errorf("%+v: %v", o, err)
		}
	}
	if _, err := run(RenameOptions{From: "A", To: "B", Under: []string{`SOFTWARE\PP-COM`}}); !errors.Is(err, ErrKeyPath) {
		t.Errorf("subtree without root: %v", err)
	}
	// Another subtree, given with HKLM: only the 64-bit PP-COM key changes.
	rep, err := run(RenameOptions{From: "TLCLKN1", To: "XPRCLUSTER", Under: []string{`HKLM\software\pp-com`}})
	if err != nil || rep.Changes != 1 || rep.KeysInScope != 1 {
		t.Errorf("HKLM subtree: %+v %v", rep, err)
	}
	// Without DropLineOf, the node's element is renamed.
	var changes []Change
	_, err = run(RenameOptions{From: "TLCLKN1", To: "XPRCLUSTER", OnChange: func(c Change) { changes = append(changes, c) }})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range changes {
		if c.Value == "Monitor Directory" && c.Kind == DataChange && c.Old == `\\TLCLKN1\MrsMonitor` && c.New == `\\XPRCLUSTER\MrsMonitor` {
			found = true
		}
	}
	if !found {
		t.Errorf("element not renamed: %+v", changes)
	}
}

// TestRenameHostANSI: in a REGEDIT4 file the hex(7) data is ANSI text, and
// stays ANSI.
func TestRenameHostANSI(t *testing.T) {
	data := readSample(t, "regedit4.reg")
	var out bytes.Buffer
	_, err := RenameHost(context.Background(), bytes.NewReader(data), &out, RenameOptions{
		From: "TLCLKN1", To: "XPRCLUSTER", Under: []string{`HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM`}})
	if err != nil {
		t.Fatal(err)
	}
	got := values(t, out.Bytes())
	if v := got[`HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM\MRS|Monitor Directory`]; v != `["\\XPR\MrsMonitor", "\\XPRCLUSTER\MrsMonitor"]` {
		t.Fatalf("Monitor Directory %s", v)
	}
	if !strings.Contains(out.String(), "\"Monitor Directory\"=hex(7):5c,5c,58,50,52,5c,4d,72,73,4d,6f,6e,69,74,6f,72,00,\\\r\n") {
		t.Fatalf("not ANSI hex data:\n%s", out.String())
	}
	if !bytes.Contains(out.Bytes(), []byte("\"Stra\xdfe\"=\"M\xfcnchen \x80\"")) {
		t.Fatal("ANSI text of an unchanged value changed")
	}
	// A new name the file's code page cannot hold is refused as such,
	// not reported as "does not occur" with the values left as they are.
	rep, err := RenameHost(context.Background(), bytes.NewReader(data), io.Discard, RenameOptions{
		From: "TLCLKN1", To: "\u03a9CLUSTER", Under: []string{`HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM`}})
	if !errors.Is(err, ErrHostName) || rep.Changes != 0 {
		t.Fatalf("To outside the ANSI code page: %+v %v", rep, err)
	}
}

func TestReplaceWord(t *testing.T) {
	cases := []struct{ in, out string }{
		{`\\TLCLKN1\MrsMonitor`, `\\NEW\MrsMonitor`},
		{"tlclkn1", "NEW"},
		{"TLCLKN10 TLCLKN1-B xTLCLKN1 TLCLKN1_x", "TLCLKN10 TLCLKN1-B xTLCLKN1 TLCLKN1_x"},
		{"TLCLKN1.corp TLCLKN1$ (TLCLKN1)", "NEW.corp NEW$ (NEW)"},
		{"äTLCLKN1 TLCLKN1ü", "äTLCLKN1 TLCLKN1ü"},
		{"TLCLKN1TLCLKN1 TLCLKN1", "TLCLKN1TLCLKN1 NEW"},
	}
	for _, c := range cases {
		if got, _ := replaceWord(c.in, "TLCLKN1", "NEW"); got != c.out {
			t.Errorf("%q: %q, want %q", c.in, got, c.out)
		}
	}
}
