package g711

import (
	"fmt"
	"testing"
)

// Reference points from the G.711 tables: code values for given linear
// inputs (A-law codes as transmitted, even bits inverted).
func TestALawKnownValues(t *testing.T) {
	cases := []struct {
		in   int16
		code uint8
		back int16
	}{
		{0, 0xD5, 8},
		{-1, 0x55, -8},
		{32767, 0xAA, 32256},
		{-32768, 0x2A, -32256},
		{1000, 0xFA, 1008},
		{-1000, 0x7A, -1008},
	}
	for _, c := range cases {
		if got := ALaw(c.in); got != c.code {
			t.Errorf("ALaw(%d) = %#x, want %#x", c.in, got, c.code)
		}
		if got := ALawToLinear(c.code); got != c.back {
			t.Errorf("ALawToLinear(%#x) = %d, want %d", c.code, got, c.back)
		}
	}
}

func TestULawKnownValues(t *testing.T) {
	cases := []struct {
		in   int16
		code uint8
		back int16
	}{
		{0, 0xFF, 0},
		{32767, 0x80, 32124},
		{-32768, 0x00, -32124},
		{1000, 0xCE, 988},
		{-1000, 0x4E, -988},
	}
	for _, c := range cases {
		if got := ULaw(c.in); got != c.code {
			t.Errorf("ULaw(%d) = %#x, want %#x", c.in, got, c.code)
		}
		if got := ULawToLinear(c.code); got != c.back {
			t.Errorf("ULawToLinear(%#x) = %d, want %d", c.code, got, c.back)
		}
	}
}

// Every code survives decode+encode, and encoding is monotonic.
func TestRoundTripAndMonotonic(t *testing.T) {
	for c := range 256 {
		if got := ALaw(ALawToLinear(uint8(c))); got != uint8(c) {
			t.Errorf("A-law code %#x -> %d -> %#x", c, ALawToLinear(uint8(c)), got)
		}
		if ULawToLinear(uint8(c)) == 0 {
			continue // µ-law has +0 and -0
		}
		if got := ULaw(ULawToLinear(uint8(c))); got != uint8(c) {
			t.Errorf("µ-law code %#x -> %d -> %#x", c, ULawToLinear(uint8(c)), got)
		}
	}
	prevA, prevU := int16(-32768), int16(-32768)
	for s := -32768; s <= 32767; s++ {
		a := ALawToLinear(ALaw(int16(s)))
		u := ULawToLinear(ULaw(int16(s)))
		if a < prevA || u < prevU {
			t.Fatalf("not monotonic at %d", s)
		}
		prevA, prevU = a, u
	}
}

func TestULawToALaw(t *testing.T) {
	for c := range 256 {
		v := int32(ULawToLinear(uint8(c)))
		want := ALaw(int16(min((v+4)>>3, 4095) << 3))
		if got := ULawToALaw(uint8(c)); got != want {
			t.Errorf("ULawToALaw(%#x) = %#x, want %#x", c, got, want)
		}
	}
}

func ExampleALaw() {
	c := ALaw(1000)
	fmt.Printf("%#x %d\n", c, ALawToLinear(c))
	// Output: 0xfa 1008
}
