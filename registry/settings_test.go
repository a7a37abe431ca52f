package registry

import (
	"bytes"
	"errors"
	"testing"

	"github.com/xdm-migrate/xdm/parsers/reg"
)

func TestWriteSettings(t *testing.T) {
	tos, _ := LookupSetting("DISABLE-USER-TOS")
	bind, ok := LookupSetting("bind-address")
	if !ok {
		t.Fatal("bind-address not in the catalog")
	}
	a1, err := tos.Assign("")
	if err != nil {
		t.Fatal(err)
	}
	a2, err := bind.Assign("10.1.2.3")
	if err != nil {
		t.Fatal(err)
	}
	multi, err := NewValue("Dirs", reg.RegMultiSZ, `\\XPR\Mon\0\\NODE\Mon`)
	if err != nil {
		t.Fatal(err)
	}
	a3 := Assignment{Key: `HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters`, Value: multi}
	var out bytes.Buffer
	if err := WriteSettings(&out, []Assignment{a1, a2, a3}, SettingsOptions{Comment: "written by xdm reg set"}); err != nil {
		t.Fatal(err)
	}
	want := "Windows Registry Editor Version 5.00\r\n" +
		"; written by xdm reg set\r\n" +
		"\r\n" +
		"[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters]\r\n" +
		"\"DisableUserTOSSetting\"=dword:00000000\r\n" +
		"\"Dirs\"=hex(7):5c,00,5c,00,58,00,50,00,52,00,5c,00,4d,00,6f,00,6e,00,00,00,5c,\\\r\n" +
		"  00,5c,00,4e,00,4f,00,44,00,45,00,5c,00,4d,00,6f,00,6e,00,00,00,00,00\r\n" +
		"\r\n" +
		"[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\PP-COM\\MRS\\TcpApl\\NwPlugTcp]\r\n" +
		"\"BindAddress\"=\"10.1.2.3\"\r\n" +
		"\r\n"
	if got := reg.UTF16LE.Decode(bytes.TrimPrefix(out.Bytes(), []byte{0xFF, 0xFE})); got != want || !bytes.HasPrefix(out.Bytes(), []byte{0xFF, 0xFE}) {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
	// It reads back as written.
	s, err := reg.Validate(t.Context(), bytes.NewReader(out.Bytes()), "settings.reg")
	if err != nil || !s.Valid() || s.Values != 3 || s.Keys != 2 {
		t.Fatalf("%+v %v", s, err)
	}
	// REGEDIT4: ANSI, the multi-string as ANSI bytes.
	out.Reset()
	if err := WriteSettings(&out, []Assignment{a3}, SettingsOptions{Version4: true}); err != nil {
		t.Fatal(err)
	}
	want4 := "REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters]\r\n" +
		"\"Dirs\"=hex(7):5c,5c,58,50,52,5c,4d,6f,6e,00,5c,5c,4e,4f,44,45,5c,4d,6f,6e,00,\\\r\n  00\r\n\r\n"
	if out.String() != want4 {
		t.Fatalf("got\n%q\nwant\n%q", out.String(), want4)
	}
}

func TestSettingChecks(t *testing.T) {
	bind, _ := LookupSetting("bind-address")
	tos, _ := LookupSetting("disable-user-tos")
	for _, c := range []struct {
		s    Setting
		data string
	}{{bind, ""}, {bind, "10.1.2"}, {bind, "host.example"}, {tos, "-1"}, {tos, "0x100000000"}, {tos, "zero"}} {
		if _, err := c.s.Assign(c.data); !errors.Is(err, ErrSetting) {
			t.Errorf("%s=%q: %v", c.s.Name, c.data, err)
		}
	}
	if a, err := tos.Assign("0x1"); err != nil || !bytes.Equal(a.Value.Bytes, []byte{1, 0, 0, 0}) {
		t.Errorf("0x1: %+v %v", a, err)
	}
	if _, ok := LookupSetting("no-such"); ok {
		t.Error("unknown setting found")
	}
	for _, c := range []struct {
		t    reg.Type
		data string
		want []byte
	}{
		{reg.RegQword, "0x0102030405060708", []byte{8, 7, 6, 5, 4, 3, 2, 1}},
		{reg.RegBinary, "de ad,be:ef", nil},
		{reg.RegBinary, "de ad,be ef", []byte{0xde, 0xad, 0xbe, 0xef}},
		{reg.RegExpandSZ, "%A%", []byte{'%', 0, 'A', 0, '%', 0, 0, 0}},
		{reg.RegMultiSZ, `a\0b`, []byte{'a', 0, 0, 0, 'b', 0, 0, 0, 0, 0}},
		{reg.RegMultiSZ, `a\0b\0`, []byte{'a', 0, 0, 0, 'b', 0, 0, 0, 0, 0}},
		{reg.RegMultiSZ, `a`, []byte{'a', 0, 0, 0, 0, 0}},
		{reg.RegMultiSZ, ``, []byte{0, 0}},
		{reg.RegMultiSZ, `a\0\0b`, nil}, // Windows would read ["a"] only
		{reg.RegMultiSZ, `\0a`, nil},
		{reg.RegMultiSZ, `a\0\0`, nil},
	} {
		v, err := NewValue("n", c.t, c.data)
		switch {
		case c.want == nil && err == nil:
			t.Errorf("%s %q: no error", c.t, c.data)
		case c.want != nil && (err != nil || !bytes.Equal(v.Bytes, c.want)):
			t.Errorf("%s %q: %v %v", c.t, c.data, v, err)
		}
	}
}
