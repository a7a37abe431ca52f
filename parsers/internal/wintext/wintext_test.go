package wintext

import (
	"bytes"
	"testing"
)

// Every byte of code page 1252 decodes to one character and back.
func TestCP1252RoundTrip(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	s := DecodeCP1252(all)
	back, ok := AppendCP1252(nil, s)
	if !ok || !bytes.Equal(back, all) {
		t.Fatalf("round trip: %v %x", ok, back)
	}
	if got := DecodeCP1252([]byte{0x80, 0x9f, 0xe4}); got != "€Ÿä" {
		t.Fatalf("%q", got)
	}
	if _, ok := AppendCP1252(nil, "中"); ok {
		t.Fatal("a character without a cp1252 byte was written")
	}
}

func TestUTF16LE(t *testing.T) {
	s := "Grüß 😀"
	b := AppendUTF16LE(nil, s)
	want := []byte{'G', 0, 'r', 0, 0xfc, 0, 0xdf, 0, ' ', 0, 0x3d, 0xd8, 0x00, 0xde}
	if !bytes.Equal(b, want) || DecodeUTF16LE(b) != s {
		t.Fatalf("%x", b)
	}
	if got := DecodeUTF16LE([]byte{0x3d, 0xd8, 'a', 0, 'b'}); got != "\uFFFDa" {
		t.Fatalf("unpaired surrogate and odd byte: %q", got)
	}
}
