package wav_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/xphone/internal/wavtest"
	"github.com/xdm-migrate/xdm/xphone/wav"
)

func TestReadFormats(t *testing.T) {
	cases := []struct {
		name string
		spec wavtest.Spec
		want string
	}{
		{"pcm8", wavtest.Spec{Tag: wav.TagPCM, Channels: 1, Rate: 11025, Bits: 8}, "PCM 11025 Hz mono 8 bit"},
		{"pcm16", wavtest.Spec{Tag: wav.TagPCM, Channels: 1, Rate: 8000, Bits: 16}, "PCM 8000 Hz mono 16 bit"},
		{"stereo44", wavtest.Spec{Tag: wav.TagPCM, Channels: 2, Rate: 44100, Bits: 16}, "PCM 44100 Hz stereo 16 bit"},
		{"alaw", wavtest.Spec{Tag: wav.TagALaw, Channels: 1, Rate: 8000}, "A-law 8000 Hz mono 8 bit"},
		{"mulaw-stereo", wavtest.Spec{Tag: wav.TagMuLaw, Channels: 2, Rate: 16000}, "µ-law 16000 Hz stereo 8 bit"},
		{"extensible", wavtest.Spec{Tag: wav.TagPCM, Extensible: true, Channels: 2, Rate: 48000, Bits: 16}, "PCM 48000 Hz stereo 16 bit"},
		{"extensible-alaw", wavtest.Spec{Tag: wav.TagALaw, Extensible: true, Channels: 1, Rate: 8000}, "A-law 8000 Hz mono 8 bit"},
		{"list-odd-pad", wavtest.Spec{Tag: wav.TagPCM, Channels: 1, Rate: 22050, Bits: 16, List: true}, "PCM 22050 Hz mono 16 bit"},
		{"list-no-pad", wavtest.Spec{Tag: wav.TagPCM, Channels: 1, Rate: 22050, Bits: 16, List: true, NoPad: true}, "PCM 22050 Hz mono 16 bit"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			const n = 1001
			b := wavtest.Build(c.spec, wavtest.Tone(c.spec.Rate, 440, 0.5), n)
			s, err := wav.Read(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if s.Format.String() != c.want || s.Frames != n {
				t.Fatalf("got %s, %d frames; want %s, %d", s.Format, s.Frames, c.want, n)
			}
			// The mono mix is the mean of the channels, within the codec's step.
			mono := s.Mono()
			tone := wavtest.Tone(c.spec.Rate, 440, 0.5)
			tol := 0.02
			if c.spec.Bits == 16 && c.spec.Tag == wav.TagPCM {
				tol = 1e-4
			}
			for i := range mono {
				want := tone(i, 0)
				if c.spec.Channels == 2 {
					want = (tone(i, 0) + tone(i, 1)) / 2
				}
				if d := math.Abs(float64(mono[i]) - want); d > tol {
					t.Fatalf("sample %d: %f, want %f", i, mono[i], want)
				}
			}
		})
	}
}

func TestReadRejects(t *testing.T) {
	good := wavtest.Build(wavtest.Spec{Tag: wav.TagPCM, Channels: 1, Rate: 8000, Bits: 16}, wavtest.Tone(8000, 440, 0.5), 800)
	cases := []struct {
		name string
		file []byte
		want error
		msg  string
	}{
		{"truncated", good[:len(good)-100], wav.ErrInvalid, "truncated"},
		{"empty", nil, wav.ErrInvalid, "too short"},
		{"not-riff", []byte("hello, this is not a wave file"), wav.ErrInvalid, "no RIFF/WAVE header"},
		{"mp3-in-wav", wavtest.Build(wavtest.Spec{Tag: 0x55, Channels: 1, Rate: 8000, Bits: 16}, wavtest.Tone(8000, 440, 0.1), 10), wav.ErrUnsupported, "MP3"},
		{"mp3-file", append([]byte("ID3\x03\x00"), make([]byte, 100)...), wav.ErrUnsupported, "MP3"},
		{"pcm24", wavtest.Build(wavtest.Spec{Tag: wav.TagPCM, Channels: 1, Rate: 8000, Bits: 24}, wavtest.Tone(8000, 440, 0.1), 0), wav.ErrUnsupported, "24 bit"},
		{"3ch", wavtest.Build(wavtest.Spec{Tag: wav.TagPCM, Channels: 3, Rate: 8000, Bits: 16}, wavtest.Tone(8000, 440, 0.1), 10), wav.ErrUnsupported, "3 channels"},
		{"96k", wavtest.Build(wavtest.Spec{Tag: wav.TagPCM, Channels: 1, Rate: 96000, Bits: 16}, wavtest.Tone(96000, 440, 0.1), 10), wav.ErrUnsupported, "96000 Hz"},
		{"6k", wavtest.Build(wavtest.Spec{Tag: wav.TagPCM, Channels: 1, Rate: 6000, Bits: 16}, wavtest.Tone(6000, 440, 0.1), 10), wav.ErrUnsupported, "6000 Hz"},
		{"float", wavtest.Build(wavtest.Spec{Tag: 3, Channels: 1, Rate: 8000, Bits: 32}, wavtest.Tone(8000, 440, 0.1), 10), wav.ErrUnsupported, "IEEE float"},
		{"no-data", good[:36], wav.ErrInvalid, "no data chunk"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := wav.Read(bytes.NewReader(c.file))
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("err = %v, want %v mentioning %q", err, c.want, c.msg)
			}
		})
	}
}

// The A-law writer's header is what V9 expects: tag 6, 8000 Hz, mono,
// 8 bit, an 18-byte fmt chunk with cbSize 0, a fact chunk with the sample
// count, and the data padded to even length.
func TestWriteALaw(t *testing.T) {
	for _, n := range []int{0, 1, 8000} {
		codes := bytes.Repeat([]byte{0xD5}, n)
		var buf bytes.Buffer
		if err := wav.WriteALaw(&buf, codes); err != nil {
			t.Fatal(err)
		}
		b := buf.Bytes()
		le := binary.LittleEndian
		if len(b)%2 != 0 || len(b) != wav.ALawHeaderSize+n+n%2 {
			t.Fatalf("n=%d: file of %d bytes", n, len(b))
		}
		if string(b[0:4]) != "RIFF" || int(le.Uint32(b[4:8])) != len(b)-8 || string(b[8:16]) != "WAVEfmt " {
			t.Fatalf("n=%d: bad RIFF header % x", n, b[:16])
		}
		if le.Uint32(b[16:20]) != 18 || le.Uint16(b[20:22]) != 6 || le.Uint16(b[22:24]) != 1 ||
			le.Uint32(b[24:28]) != 8000 || le.Uint32(b[28:32]) != 8000 || le.Uint16(b[32:34]) != 1 ||
			le.Uint16(b[34:36]) != 8 || le.Uint16(b[36:38]) != 0 {
			t.Fatalf("n=%d: bad fmt chunk % x", n, b[12:38])
		}
		if string(b[38:42]) != "fact" || le.Uint32(b[42:46]) != 4 || int(le.Uint32(b[46:50])) != n {
			t.Fatalf("n=%d: bad fact chunk % x", n, b[38:50])
		}
		if string(b[50:54]) != "data" || int(le.Uint32(b[54:58])) != n {
			t.Fatalf("n=%d: bad data chunk header % x", n, b[50:58])
		}
		s, err := wav.Parse(b)
		if err != nil || s.Frames != n || s.Format.Tag != wav.TagALaw {
			t.Fatalf("n=%d: reading back: %v %+v", n, err, s)
		}
	}
}

func FuzzRead(f *testing.F) {
	for _, spec := range []wavtest.Spec{
		{Tag: wav.TagPCM, Channels: 1, Rate: 8000, Bits: 8},
		{Tag: wav.TagPCM, Channels: 2, Rate: 44100, Bits: 16, List: true},
		{Tag: wav.TagALaw, Channels: 1, Rate: 8000},
		{Tag: wav.TagMuLaw, Channels: 2, Rate: 16000, Extensible: true},
		{Tag: wav.TagPCM, Channels: 1, Rate: 22050, Bits: 16, List: true, NoPad: true},
	} {
		f.Add(wavtest.Build(spec, wavtest.Tone(spec.Rate, 1000, 0.3), 33))
	}
	files, _ := filepath.Glob("../../testdata/xphone/export/*/*/*.wav")
	if len(files) == 0 {
		f.Fatal("no WAV files in the sample export ../../testdata/xphone/export")
	}
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil && len(b) < 1<<16 {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := wav.Parse(b)
		if err != nil {
			if !errors.Is(err, wav.ErrInvalid) && !errors.Is(err, wav.ErrUnsupported) {
				t.Fatalf("error wraps neither ErrInvalid nor ErrUnsupported: %v", err)
			}
			return
		}
		if s.Frames*s.Format.Channels*s.Format.BitsPerSample/8 != len(s.Data) {
			t.Fatalf("%d frames of %s but %d data bytes", s.Frames, s.Format, len(s.Data))
		}
		for _, v := range s.Mono() {
			if v < -1 || v >= 1 || v != v {
				t.Fatalf("sample %v out of range", v)
			}
		}
	})
}

// Writers that get the RIFF size wrong, pad with junk or not at all.
func TestReadTolerance(t *testing.T) {
	spec := wavtest.Spec{Tag: wav.TagPCM, Channels: 1, Rate: 8000, Bits: 16, List: true}
	good := wavtest.Build(spec, wavtest.Tone(8000, 440, 0.5), 100)
	small := append([]byte(nil), good...)
	binary.LittleEndian.PutUint32(small[4:8], 4) // RIFF size covering nothing
	junkPad := append([]byte(nil), good...)
	junkPad[12+8+19] = 'x' // the LIST chunk's pad byte
	trailing := append(append([]byte(nil), good...), "junk after the RIFF chunk"...)
	for name, b := range map[string][]byte{"small RIFF size": small, "junk pad byte": junkPad, "trailing bytes": trailing} {
		s, err := wav.Parse(b)
		if err != nil || s.Frames != 100 {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func ExampleWriteALaw() {
	codes := wav.EncodeALaw(nil, []float32{0, 0.25, 0.5, -0.5})
	var buf bytes.Buffer
	if err := wav.WriteALaw(&buf, codes); err != nil {
		fmt.Println(err)
		return
	}
	s, err := wav.Parse(buf.Bytes())
	fmt.Println(s.Format, s.Frames, buf.Len(), err)
	// Output: A-law 8000 Hz mono 8 bit 4 62 <nil>
}
