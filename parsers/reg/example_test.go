package reg_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xdm-migrate/xdm/parsers/reg"
)

const export = "REGEDIT4\r\n" +
	"\r\n" +
	"[HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM\\MRS\\MRS Globals]\r\n" +
	"\"Home Server\"=\"\\\\\\\\TLCLKN1\\\\MrsHome\"\r\n" +
	"\"Monitor Directory\"=hex(7):5c,5c,58,50,52,5c,4d,6f,6e,00,5c,5c,54,4c,43,4c,4b,\\\r\n" +
	"  4e,31,5c,4d,6f,6e,00,00\r\n" +
	"\"Sessions\"=dword:000000c8\r\n"

func ExampleReader() {
	r := reg.NewReader(strings.NewReader(export), "xpr.reg")
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		switch rec.Kind {
		case reg.KindKey:
			fmt.Printf("line %d: [%s]\n", rec.Line, rec.Key)
		case reg.KindValue:
			v := rec.Value
			switch v.Type {
			case reg.RegSZ:
				s, _ := v.AsString()
				fmt.Printf("line %d: %q %s %q\n", rec.Line, v.Name, v.Type, s)
			case reg.RegMultiSZ:
				l, _ := v.AsStrings()
				fmt.Printf("line %d: %q %s %q\n", rec.Line, v.Name, v.Type, l)
			case reg.RegDword:
				n, _ := v.AsUint()
				fmt.Printf("line %d: %q %s %d\n", rec.Line, v.Name, v.Type, n)
			}
		}
	}
	fmt.Println(r.Version().Header(), r.Encoding())
	// Output:
	// line 3: [HKEY_LOCAL_MACHINE\SOFTWARE\PP-COM\MRS\MRS Globals]
	// line 4: "Home Server" REG_SZ "\\\\TLCLKN1\\MrsHome"
	// line 5: "Monitor Directory" REG_MULTI_SZ ["\\\\XPR\\Mon" "\\\\TLCLKN1\\Mon"]
	// line 7: "Sessions" REG_DWORD 200
	// REGEDIT4 ansi
}

// An error names the place and what was expected there.
func ExampleReader_error() {
	r := reg.NewReader(strings.NewReader("REGEDIT4\r\n[HKEY_CURRENT_USER\\Software\\PP-COM]\r\n\"Path\"=\"C:\\Temp\"\r\n"), "bad.reg")
	for {
		_, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			fmt.Println(errors.Is(err, reg.ErrEscape))
		}
	}
	// Output:
	// bad.reg:3:11: invalid escape \T, expected \\, \", \n or \r after the backslash (write a backslash as \\)
	// true
}

// Changed values are written as regedit exports them: hex data in lines of
// at most 80 characters.
func ExampleFormatValue() {
	v := &reg.Value{Name: "Monitor Directory", Form: reg.FormHex, Type: reg.RegMultiSZ}
	v.Bytes, _ = reg.UTF16LE.Append(nil, "\\\\XPR\\MrsMonitor\x00\\\\TLCLKN1\\MrsMonitor\x00\x00")
	line, _ := reg.FormatValue(v, reg.UTF16LE, "\n", "\n")
	fmt.Print(reg.UTF16LE.Decode(line))
	// Output:
	// "Monitor Directory"=hex(7):5c,00,5c,00,58,00,50,00,52,00,5c,00,4d,00,72,00,73,\
	//   00,4d,00,6f,00,6e,00,69,00,74,00,6f,00,72,00,00,00,5c,00,5c,00,54,00,4c,00,\
	//   43,00,4c,00,4b,00,4e,00,31,00,5c,00,4d,00,72,00,73,00,4d,00,6f,00,6e,00,69,\
	//   00,74,00,6f,00,72,00,00,00,00,00
}

// Validate lists every problem of a file, for a check before an import.
func ExampleValidate() {
	s, err := reg.Validate(context.Background(), strings.NewReader(
		"REGEDIT4\r\n[HKLM\\SOFTWARE\\PP-COM]\r\n\"A\"=dword:123456789\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM]\r\n\"B\"=\"ok\"\r\n"), "satellite.reg")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d keys, %d values, %d problems:\n", s.Keys, s.Values, s.ProblemCount)
	for _, p := range s.Problems {
		fmt.Println(p.Place(), errors.Is(p, reg.ErrRootKey))
	}
	// Output:
	// 1 keys, 1 values, 2 problems:
	// satellite.reg:2:2 true
	// satellite.reg:3:19 false
}
