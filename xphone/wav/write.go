package wav

import (
	"encoding/binary"
	"io"
	"math"

	"github.com/xdm-migrate/xdm/xphone/g711"
)

// ALawHeaderSize is the size of the header WriteALaw puts before the samples:
// RIFF/WAVE, an 18-byte fmt chunk (cbSize 0), a fact chunk and the data chunk header.
const ALawHeaderSize = 12 + 8 + 18 + 8 + 4 + 8

// WriteALaw writes codes (G.711 A-law, 8000 Hz, mono) as a RIFF/WAVE file:
// format tag 6, 8 bits per sample, an 18-byte fmt chunk with cbSize 0, a fact
// chunk with the sample count, and the data chunk padded to even length.
func WriteALaw(w io.Writer, codes []byte) error {
	n := len(codes)
	pad := n % 2
	var h [ALawHeaderSize]byte
	le := binary.LittleEndian
	copy(h[0:4], "RIFF")
	le.PutUint32(h[4:8], uint32(ALawHeaderSize-8+n+pad))
	copy(h[8:12], "WAVE")
	copy(h[12:16], "fmt ")
	le.PutUint32(h[16:20], 18)
	le.PutUint16(h[20:22], TagALaw)
	le.PutUint16(h[22:24], 1)    // channels
	le.PutUint32(h[24:28], 8000) // sample rate
	le.PutUint32(h[28:32], 8000) // bytes per second
	le.PutUint16(h[32:34], 1)    // block align
	le.PutUint16(h[34:36], 8)    // bits per sample
	le.PutUint16(h[36:38], 0)    // cbSize
	copy(h[38:42], "fact")
	le.PutUint32(h[42:46], 4)
	le.PutUint32(h[46:50], uint32(n))
	copy(h[50:54], "data")
	le.PutUint32(h[54:58], uint32(n))
	if _, err := w.Write(h[:]); err != nil {
		return err
	}
	if _, err := w.Write(codes); err != nil {
		return err
	}
	if pad == 1 {
		_, err := w.Write([]byte{0})
		return err
	}
	return nil
}

// EncodeALaw quantises samples in [-1, 1) to A-law codes, appending to dst.
// Each sample is rounded to the 13 bits A-law resolves (half up, clipped)
// and encoded with the G.711 table: the steps sox takes, so that the same
// samples give the same codes.
func EncodeALaw(dst []byte, samples []float32) []byte {
	for _, x := range samples {
		v := math.Floor(float64(x)*4096 + 0.5)
		switch {
		case v > 4095:
			v = 4095
		case v < -4096:
			v = -4096
		}
		dst = append(dst, g711.ALaw(int16(v)<<3))
	}
	return dst
}
