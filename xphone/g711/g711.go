// Package g711 converts between 16-bit linear PCM and the 8-bit companded
// codes of ITU-T G.711: A-law (the European telephone format) and µ-law
// (North America, Japan). The tables follow the recommendation's segment
// encoding: A-law codes a 13-bit value, µ-law a 14-bit value, each in 8
// segments of 16 steps; A-law codes have their even bits inverted (XOR 0x55).
//
// Encoding truncates the linear value to the codec's resolution, as the
// reference implementations do, so Decode(Encode(x)) is the lower edge of x's
// quantisation interval and Encode(Decode(c)) == c for every code c.
package g711

// aSegEnd are the upper bounds of the 8 A-law segments on the 13-bit scale.
var aSegEnd = [8]int32{0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF}

// uSegEnd are the upper bounds of the 8 µ-law segments on the biased 14-bit scale.
var uSegEnd = [8]int32{0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF}

const (
	uBias = 0x84 // µ-law bias added before segment search (132 on the 16-bit scale)
	uClip = 8159 // largest magnitude µ-law codes, on the 14-bit scale
)

var (
	alawToLinear  [256]int16
	ulawToLinear  [256]int16
	linearToALaw  [1 << 13]uint8 // indexed by the 16-bit value >> 3, offset to unsigned
	linearToULaw  [1 << 14]uint8 // indexed by the 16-bit value >> 2, offset to unsigned
	ulawToALawTab [256]uint8
)

func init() {
	for i := range 256 {
		alawToLinear[i] = alawDecode(uint8(i))
		ulawToLinear[i] = ulawDecode(uint8(i))
	}
	for i := range linearToALaw {
		linearToALaw[i] = alawEncode(int32(i-(1<<12)) << 3)
	}
	for i := range linearToULaw {
		linearToULaw[i] = ulawEncode(int32(i-(1<<13)) << 2)
	}
	for i := range 256 {
		// Round to A-law's 13 bits (half up) rather than truncate: what sox
		// does when it decodes µ-law and encodes A-law.
		v := min((int32(ulawToLinear[i])+4)>>3, 4095)
		ulawToALawTab[i] = alawEncode(v << 3)
	}
}

func segment(v int32, ends *[8]int32) int {
	for i, e := range ends {
		if v <= e {
			return i
		}
	}
	return 8
}

func alawEncode(pcm int32) uint8 {
	pcm >>= 3 // 13-bit resolution
	mask := uint8(0xD5)
	if pcm < 0 {
		mask = 0x55
		pcm = -pcm - 1
	}
	seg := segment(pcm, &aSegEnd)
	if seg >= 8 {
		return 0x7F ^ mask
	}
	code := uint8(seg << 4)
	if seg < 2 {
		code |= uint8(pcm>>1) & 0x0F
	} else {
		code |= uint8(pcm>>seg) & 0x0F
	}
	return code ^ mask
}

func alawDecode(code uint8) int16 {
	code ^= 0x55
	t := int32(code&0x0F) << 4
	switch seg := (code & 0x70) >> 4; seg {
	case 0:
		t += 8
	case 1:
		t += 0x108
	default:
		t += 0x108
		t <<= seg - 1
	}
	if code&0x80 != 0 {
		return int16(t)
	}
	return int16(-t)
}

func ulawEncode(pcm int32) uint8 {
	pcm >>= 2 // 14-bit resolution
	mask := uint8(0xFF)
	if pcm < 0 {
		pcm = -pcm
		mask = 0x7F
	}
	if pcm > uClip {
		pcm = uClip
	}
	pcm += uBias >> 2
	seg := segment(pcm, &uSegEnd)
	if seg >= 8 {
		return 0x7F ^ mask
	}
	return (uint8(seg<<4) | uint8(pcm>>(seg+1))&0x0F) ^ mask
}

func ulawDecode(code uint8) int16 {
	code = ^code
	t := (int32(code&0x0F) << 3) + uBias
	t <<= (code & 0x70) >> 4
	if code&0x80 != 0 {
		return int16(uBias - t)
	}
	return int16(t - uBias)
}

// ALaw returns the A-law code of a 16-bit linear sample.
func ALaw(s int16) uint8 { return linearToALaw[(int32(s)>>3)+(1<<12)] }

// ALawToLinear returns the 16-bit linear value of an A-law code.
func ALawToLinear(c uint8) int16 { return alawToLinear[c] }

// ULaw returns the µ-law code of a 16-bit linear sample.
func ULaw(s int16) uint8 { return linearToULaw[(int32(s)>>2)+(1<<13)] }

// ULawToLinear returns the 16-bit linear value of a µ-law code.
func ULawToLinear(c uint8) int16 { return ulawToLinear[c] }

// ULawToALaw converts a µ-law code to the A-law code nearest its linear
// value (the value rounded to A-law's 13-bit resolution).
func ULawToALaw(c uint8) uint8 { return ulawToALawTab[c] }
