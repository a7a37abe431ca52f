// Package wavtest builds WAV files for tests: every format the reader
// accepts, with optional extra chunks and odd-size padding.
package wavtest

import (
	"encoding/binary"
	"math"
	"math/rand/v2"

	"github.com/xdm-migrate/xdm/xphone/g711"
	"github.com/xdm-migrate/xdm/xphone/wav"
)

// Spec describes the file to build.
type Spec struct {
	Tag        uint16 // wav.TagPCM, wav.TagALaw, wav.TagMuLaw or anything (written as is)
	Extensible bool   // write WAVE_FORMAT_EXTENSIBLE with Tag as sub-format
	Channels   int
	Rate       int
	Bits       int
	// List adds an odd-sized LIST/INFO chunk (with its pad byte) before fmt
	// and a fact chunk before data.
	List bool
	// NoPad omits the pad byte after the odd LIST chunk (a common writer bug).
	NoPad bool
}

// Signal returns sample i of channel ch in [-1, 1].
type Signal func(i, ch int) float64

// Tone is a sine of freq Hz at amplitude amp; channel 1 is phase-shifted.
func Tone(rate int, freq, amp float64) Signal {
	return func(i, ch int) float64 {
		return amp * math.Sin(2*math.Pi*freq*float64(i)/float64(rate)+float64(ch)*0.5)
	}
}

// Sweep is a linear chirp from f0 to f1 Hz over n samples.
func Sweep(rate int, f0, f1, amp float64, n int) Signal {
	return func(i, ch int) float64 {
		t := float64(i) / float64(rate)
		d := float64(n) / float64(rate)
		return amp * math.Sin(2*math.Pi*(f0*t+(f1-f0)*t*t/(2*d)))
	}
}

// Noise is uniform white noise of the given amplitude, the same for every seed.
func Noise(seed uint64, amp float64, n int) Signal {
	r := rand.New(rand.NewPCG(seed, 1))
	v := make([]float64, n)
	for i := range v {
		v[i] = amp * (2*r.Float64() - 1)
	}
	return func(i, ch int) float64 { return v[i] }
}

// Build returns a WAV file with n frames of sig.
func Build(s Spec, sig Signal, n int) []byte {
	if s.Bits == 0 {
		s.Bits = 16
		if s.Tag != wav.TagPCM {
			s.Bits = 8
		}
	}
	le := binary.LittleEndian
	var data []byte
	for i := range n {
		for ch := range s.Channels {
			x := max(-1, min(1, sig(i, ch)))
			v16 := int16(math.Round(x * 32767))
			switch {
			case s.Tag == wav.TagPCM && s.Bits == 8:
				data = append(data, uint8(int(math.Round(x*127))+128))
			case s.Tag == wav.TagALaw:
				data = append(data, g711.ALaw(v16))
			case s.Tag == wav.TagMuLaw:
				data = append(data, g711.ULaw(v16))
			default:
				data = le.AppendUint16(data, uint16(v16))
			}
		}
	}
	block := s.Channels * s.Bits / 8
	var fmtc []byte
	tag := s.Tag
	if s.Extensible {
		tag = wav.TagExtensible
	}
	fmtc = le.AppendUint16(fmtc, tag)
	fmtc = le.AppendUint16(fmtc, uint16(s.Channels))
	fmtc = le.AppendUint32(fmtc, uint32(s.Rate))
	fmtc = le.AppendUint32(fmtc, uint32(s.Rate*block))
	fmtc = le.AppendUint16(fmtc, uint16(block))
	fmtc = le.AppendUint16(fmtc, uint16(s.Bits))
	if s.Extensible {
		fmtc = le.AppendUint16(fmtc, 22)
		fmtc = le.AppendUint16(fmtc, uint16(s.Bits))
		fmtc = le.AppendUint32(fmtc, 3) // front left, front right
		fmtc = le.AppendUint16(fmtc, s.Tag)
		fmtc = append(fmtc, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71)
	} else if s.Tag != wav.TagPCM {
		fmtc = le.AppendUint16(fmtc, 0)
	}
	var body []byte
	chunk := func(id string, c []byte, pad bool) {
		body = append(body, id...)
		body = le.AppendUint32(body, uint32(len(c)))
		body = append(body, c...)
		if len(c)%2 == 1 && pad {
			body = append(body, 0)
		}
	}
	if s.List {
		chunk("LIST", []byte("INFOINAM\x07\x00\x00\x00Prompt\x00"), !s.NoPad) // 19 bytes: odd
	}
	chunk("fmt ", fmtc, true)
	if s.List {
		chunk("fact", le.AppendUint32(nil, uint32(n)), true)
	}
	chunk("data", data, true)
	out := append([]byte("RIFF"), le.AppendUint32(nil, uint32(4+len(body)))...)
	out = append(out, "WAVE"...)
	return append(out, body...)
}

// Level returns the amplitude of the freq component of x (sample rate
// rate): a single-bin DFT (Goertzel) with a Hann window over the middle
// three quarters of x, so that start and end transients do not count.
func Level(x []float64, rate int, freq float64) float64 {
	x = x[len(x)/8 : len(x)-len(x)/8]
	var re, im, wsum float64
	for i, v := range x {
		w := 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(len(x)-1))
		ph := 2 * math.Pi * freq * float64(i) / float64(rate)
		re += v * w * math.Cos(ph)
		im -= v * w * math.Sin(ph)
		wsum += w
	}
	return 2 * math.Hypot(re, im) / wsum
}
