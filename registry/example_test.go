package registry_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/xdm-migrate/xdm/parsers/reg"
	"github.com/xdm-migrate/xdm/registry"
)

// A satellite's .reg, as a backup tool reads it from an archive member
// (an io.Reader) and writes the fixed one to the new archive (an io.Writer).
func ExampleWow64() {
	satellite := "REGEDIT4\r\n\r\n" +
		"[HKEY_LOCAL_MACHINE\\Software\\PP-COM\\MRS]\r\n" +
		"\"Server\"=\"TLCLKN1\"\r\n\r\n" +
		"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\PP-COM\\APL]\r\n"
	var out bytes.Buffer
	rep, err := registry.Wow64(context.Background(), strings.NewReader(satellite), &out, registry.Wow64Options{
		Name:   "satellite.reg",
		OnMove: func(m registry.Move) { fmt.Printf("line %d: %s\n", m.Line, m.To) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d of %d keys moved, %d already there\n", rep.Moved, rep.Keys, rep.AlreadyMoved)
	fmt.Print(strings.ReplaceAll(out.String(), "\r\n", "\n"))
	// Output:
	// line 3: HKEY_LOCAL_MACHINE\Software\Wow6432Node\PP-COM\MRS
	// 1 of 2 keys moved, 1 already there
	// REGEDIT4
	//
	// [HKEY_LOCAL_MACHINE\Software\Wow6432Node\PP-COM\MRS]
	// "Server"="TLCLKN1"
	//
	// [HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\PP-COM\APL]
}

// Checking a .reg without writing: does it still use the 32-bit path?
func ExampleWow64_check() {
	rep, err := registry.Wow64(context.Background(), strings.NewReader("REGEDIT4\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM]\n"), io.Discard, registry.Wow64Options{})
	fmt.Println(rep.Moved > 0, err)
	// Output: true <nil>
}

func ExampleRenameHost() {
	node := "REGEDIT4\r\n\r\n" +
		"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\PP-COM\\MRS\\MRS Globals]\r\n" +
		"\"Monitor Directory\"=hex(7):5c,5c,58,50,52,5c,4d,6f,6e,00,5c,5c,4e,4f,44,45,31,5c,4d,6f,6e,00,00\r\n" +
		"\"Home Server\"=\"\\\\\\\\NODE1\\\\MrsHome\"\r\n\r\n" +
		"[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName]\r\n" +
		"\"ComputerName\"=\"NODE1\"\r\n"
	var out bytes.Buffer
	_, err := registry.RenameHost(context.Background(), strings.NewReader(node), &out, registry.RenameOptions{
		From: "NODE1", To: "XPRCLUSTER", DropLineOf: []string{"NODE1"}, Forbid: []string{"XPR"},
		OnChange: func(c registry.Change) { fmt.Printf("%s %q: %s %q -> %q\n", c.Kind, c.Value, c.Key, c.Old, c.New) },
	})
	fmt.Println(err)
	r := reg.NewReader(&out, "out.reg")
	for rec, err := r.Read(); err == nil; rec, err = r.Read() {
		if rec.Kind == reg.KindValue {
			fmt.Printf("%s = %s\n", rec.Value.Name, registry.Decode(rec.Value))
		}
	}
	// Output:
	// element dropped "Monitor Directory": HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\PP-COM\MRS\MRS Globals "\\\\NODE1\\Mon" -> ""
	// data "Home Server": HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\PP-COM\MRS\MRS Globals "\\\\NODE1\\MrsHome" -> "\\\\XPRCLUSTER\\MrsHome"
	// <nil>
	// Monitor Directory = ["\\XPR\Mon"]
	// Home Server = "\\XPRCLUSTER\MrsHome"
	// ComputerName = "NODE1"
}
