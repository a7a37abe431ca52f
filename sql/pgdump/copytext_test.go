package pgdump

import (
	"bytes"
	"fmt"
	"testing"
)

func TestDecodeField(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		null     bool
	}{
		{`\N`, "", true},
		{`\\N`, `\N`, false},
		{`a\tb\nc\rd\\e\bf\fg\vh`, "a\tb\nc\rd\\e\bf\fg\vh", false},
		{`\101\1012\0`, "AA2\x00", false},
		{`\777`, "\xff", false}, // modulo 256, as the server does
		{`\x41\x4g\xZ`, "A\x04gxZ", false},
		{`\q\`, `q\`, false},
		{``, ``, false},
	} {
		got, null := DecodeField(nil, []byte(tc.in))
		if string(got) != tc.want || null != tc.null {
			t.Errorf("DecodeField(%q) = %q, %v; want %q, %v", tc.in, got, null, tc.want, tc.null)
		}
	}
}

func TestEncodeFieldAsCopyTo(t *testing.T) {
	got := EncodeField(nil, []byte("a\tb\nc\\d\x01é"))
	if want := "a\\tb\\nc\\\\d\x01é"; !bytes.Equal(got, []byte(want)) {
		t.Errorf("EncodeField = %q, want %q", got, want)
	}
}

func ExampleDecodeField() {
	v, null := DecodeField(nil, []byte(`J\303\266rg\tM\x41YER`))
	fmt.Printf("%q %v\n", v, null)
	fmt.Printf("%s\n", EncodeField(nil, []byte("tab\there")))
	// Output:
	// "Jörg\tMAYER" false
	// tab\there
}
