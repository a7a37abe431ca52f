// Package wav reads the RIFF/WAVE files of an XPhone V4 export and writes the
// G.711 A-law files XPhone Connect 9 takes.
//
// Read accepts PCM 8-bit (unsigned) and 16-bit (signed little endian), G.711
// A-law (format tag 6) and µ-law (tag 7), plain or as WAVE_FORMAT_EXTENSIBLE
// with one of those sub-formats; 8000 to 48000 samples per second; mono or
// stereo. It skips chunks it does not need (LIST, fact, cue, ...), honours the
// pad byte after odd-sized chunks and tolerates writers that omit it, and
// tolerates a RIFF size that disagrees with the file. Anything else, such as
// MP3 in a WAV container or a data chunk cut short, is an error that says why.
package wav

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/xdm-migrate/xdm/internal/plural"
	"github.com/xdm-migrate/xdm/xphone/g711"
)

// Format tags Read understands.
const (
	TagPCM        = 0x0001
	TagALaw       = 0x0006
	TagMuLaw      = 0x0007
	TagExtensible = 0xFFFE
)

// Limits of what Read accepts.
const (
	MinRate = 8000
	MaxRate = 48000
)

// ErrUnsupported is wrapped by errors for well-formed files in a format xdm
// does not convert (MP3, 24-bit, 6 channels, 96 kHz, ...).
var ErrUnsupported = errors.New("unsupported WAV format")

// ErrInvalid is wrapped by errors for files that are not valid RIFF/WAVE:
// wrong magic, truncated chunks, no fmt or data chunk.
var ErrInvalid = errors.New("invalid WAV file")

// Format describes a WAV file's samples. Tag is the effective format (the
// sub-format of an extensible file): TagPCM, TagALaw or TagMuLaw.
type Format struct {
	Tag           uint16
	Extensible    bool // the file used WAVE_FORMAT_EXTENSIBLE
	Channels      int
	SampleRate    int
	BitsPerSample int
}

// String describes f the way sox does ("A-law 8000 Hz mono 8 bit").
func (f Format) String() string {
	ch := "mono"
	if f.Channels == 2 {
		ch = "stereo"
	} else if f.Channels != 1 {
		ch = fmt.Sprintf("%d channels", f.Channels)
	}
	return fmt.Sprintf("%s %d Hz %s %d bit", tagName(f.Tag), f.SampleRate, ch, f.BitsPerSample)
}

func tagName(tag uint16) string {
	switch tag {
	case TagPCM:
		return "PCM"
	case TagALaw:
		return "A-law"
	case TagMuLaw:
		return "µ-law"
	case 0x0002:
		return "MS ADPCM"
	case 0x0003:
		return "IEEE float"
	case 0x0011:
		return "IMA ADPCM"
	case 0x0031:
		return "GSM 6.10"
	case 0x0050:
		return "MPEG"
	case 0x0055:
		return "MPEG Layer 3 (MP3)"
	case TagExtensible:
		return "extensible"
	}
	return fmt.Sprintf("format tag 0x%04X", tag)
}

// Sound is a decoded WAV file.
type Sound struct {
	Format Format
	// Frames is the number of sample frames (one sample per channel).
	Frames int
	// Data is the raw content of the data chunk (Frames*Channels*BitsPerSample/8 bytes).
	Data []byte
}

// Duration in milliseconds, rounded to the nearest.
func (s *Sound) DurationMillis() int64 {
	return (int64(s.Frames)*1000 + int64(s.Format.SampleRate)/2) / int64(s.Format.SampleRate)
}

// maxFile bounds what Read loads: prompts are seconds to minutes long.
const maxFile = 1 << 30

// Read reads a whole WAV file from r and checks that xdm can convert it.
func Read(r io.Reader) (*Sound, error) {
	var b bytes.Buffer
	switch x := r.(type) {
	case interface{ Len() int }: // bytes.Reader, strings.Reader, bytes.Buffer
		b.Grow(min(x.Len(), maxFile) + bytes.MinRead)
	case interface{ Stat() (fs.FileInfo, error) }: // os.File
		if fi, err := x.Stat(); err == nil && fi.Mode().IsRegular() {
			b.Grow(int(min(fi.Size(), maxFile)) + bytes.MinRead)
		}
	}
	if _, err := b.ReadFrom(io.LimitReader(r, maxFile+1)); err != nil {
		return nil, err
	}
	buf := b.Bytes()
	if len(buf) > maxFile {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrUnsupported, maxFile)
	}
	return Parse(buf)
}

// Parse is Read on a file already in memory. The returned Sound's Data
// aliases buf.
func Parse(buf []byte) (*Sound, error) {
	if len(buf) < 12 {
		return nil, fmt.Errorf("%w: %s, too short for a RIFF header", ErrInvalid, plural.Count(len(buf), "byte"))
	}
	if string(buf[0:4]) != "RIFF" || string(buf[8:12]) != "WAVE" {
		if string(buf[0:3]) == "ID3" || (buf[0] == 0xFF && buf[1]&0xE0 == 0xE0) {
			return nil, fmt.Errorf("%w: an MP3 file, not RIFF/WAVE", ErrUnsupported)
		}
		return nil, fmt.Errorf("%w: no RIFF/WAVE header", ErrInvalid)
	}
	// Chunks run to the RIFF size; beyond it (a RIFF size that is too
	// small, as some writers leave it) chunks are still read while they
	// look like chunks and fit the file.
	riffEnd := len(buf)
	if riff := int64(binary.LittleEndian.Uint32(buf[4:8])) + 8; riff >= 12 && riff < int64(riffEnd) {
		riffEnd = int(riff)
	}
	var (
		fmtChunk []byte
		data     []byte
		haveData bool
	)
	pos := 12
	for pos+8 <= len(buf) {
		beyond := pos >= riffEnd
		if beyond && ((haveData && fmtChunk != nil) || !isChunkID(buf[pos:pos+4])) {
			break
		}
		id := string(buf[pos : pos+4])
		size := int64(binary.LittleEndian.Uint32(buf[pos+4 : pos+8]))
		body := pos + 8
		if int64(body)+size > int64(len(buf)) {
			if beyond {
				break
			}
			return nil, fmt.Errorf("%w: truncated: %q chunk at offset %d declares %d bytes, the file has %d after it",
				ErrInvalid, id, pos, size, len(buf)-body)
		}
		chunk := buf[body : body+int(size)]
		switch id {
		case "fmt ":
			if fmtChunk == nil {
				fmtChunk = chunk
			}
		case "data":
			if !haveData {
				data, haveData = chunk, true
			}
		}
		next := body + int(size)
		if size%2 == 1 && next < len(buf) {
			// RIFF pads odd chunks to even size; some writers forget the
			// pad byte: skip it unless the next chunk starts right here.
			padded := next+5 <= len(buf) && isChunkID(buf[next+1:next+5])
			unpadded := next+4 <= len(buf) && isChunkID(buf[next:next+4])
			if padded || !unpadded {
				next++
			}
		}
		pos = next
	}
	if fmtChunk == nil {
		return nil, fmt.Errorf("%w: no fmt chunk", ErrInvalid)
	}
	f, err := parseFmt(fmtChunk)
	if err != nil {
		return nil, err
	}
	if !haveData {
		return nil, fmt.Errorf("%w: no data chunk", ErrInvalid)
	}
	frame := f.Channels * f.BitsPerSample / 8
	return &Sound{Format: f, Frames: len(data) / frame, Data: data[:len(data)/frame*frame]}, nil
}

// isChunkID reports whether b looks like a chunk id: four printable ASCII bytes.
func isChunkID(b []byte) bool {
	for _, c := range b[:4] {
		if c < 0x20 || c > 0x7E {
			return false
		}
	}
	return true
}

// subFormatGUIDTail is bytes 2..15 of KSDATAFORMAT_SUBTYPE_PCM and its
// siblings; bytes 0..1 hold the format tag.
var subFormatGUIDTail = []byte{0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71}

func parseFmt(c []byte) (Format, error) {
	if len(c) < 16 {
		return Format{}, fmt.Errorf("%w: fmt chunk of %s, want at least 16", ErrInvalid, plural.Count(len(c), "byte"))
	}
	le := binary.LittleEndian
	f := Format{
		Tag:           le.Uint16(c[0:2]),
		Channels:      int(le.Uint16(c[2:4])),
		SampleRate:    int(le.Uint32(c[4:8])),
		BitsPerSample: int(le.Uint16(c[14:16])),
	}
	blockAlign := int(le.Uint16(c[12:14]))
	if f.Tag == TagExtensible {
		if len(c) < 40 || le.Uint16(c[16:18]) < 22 {
			return Format{}, fmt.Errorf("%w: WAVE_FORMAT_EXTENSIBLE fmt chunk of %s, want 40", ErrInvalid, plural.Count(len(c), "byte"))
		}
		if !bytes.Equal(c[26:40], subFormatGUIDTail) {
			return Format{}, fmt.Errorf("%w: extensible sub-format GUID % X", ErrUnsupported, c[24:40])
		}
		f.Tag = le.Uint16(c[24:26])
		f.Extensible = true
	}
	switch f.Tag {
	case TagPCM:
		if f.BitsPerSample != 8 && f.BitsPerSample != 16 {
			return f, fmt.Errorf("%w: PCM %d bit (8 or 16 bit expected)", ErrUnsupported, f.BitsPerSample)
		}
	case TagALaw, TagMuLaw:
		if f.BitsPerSample != 8 {
			return f, fmt.Errorf("%w: %s with %s per sample (8 expected)", ErrInvalid, tagName(f.Tag), plural.Count(f.BitsPerSample, "bit"))
		}
	default:
		return f, fmt.Errorf("%w: %s (PCM, A-law or µ-law expected)", ErrUnsupported, tagName(f.Tag))
	}
	if f.Channels != 1 && f.Channels != 2 {
		return f, fmt.Errorf("%w: %d channels (mono or stereo expected)", ErrUnsupported, f.Channels)
	}
	if f.SampleRate < MinRate || f.SampleRate > MaxRate {
		return f, fmt.Errorf("%w: %d Hz (%d to %d expected)", ErrUnsupported, f.SampleRate, MinRate, MaxRate)
	}
	if want := f.Channels * f.BitsPerSample / 8; blockAlign != want && blockAlign != 0 {
		return f, fmt.Errorf("%w: block align %d for %s (want %d)", ErrInvalid, blockAlign, f, want)
	}
	return f, nil
}

// Mono returns the samples mixed down to one channel, scaled to [-1, 1).
func (s *Sound) Mono() []float32 {
	out := make([]float32, s.Frames)
	s.MonoInto(out)
	return out
}

// MonoInto is Mono writing into dst, which must hold s.Frames samples.
func (s *Sound) MonoInto(dst []float32) {
	d := s.Data
	n := s.Frames
	dst = dst[:n]
	const s16 = 1.0 / 32768
	stereo := s.Format.Channels == 2
	switch {
	case s.Format.Tag == TagPCM && s.Format.BitsPerSample == 8:
		if stereo {
			for i := range dst {
				dst[i] = float32(int(d[2*i])+int(d[2*i+1])-256) * (1.0 / 256)
			}
		} else {
			for i := range dst {
				dst[i] = float32(int(d[i])-128) * (1.0 / 128)
			}
		}
	case s.Format.Tag == TagPCM:
		if stereo {
			for i := range dst {
				l := int16(binary.LittleEndian.Uint16(d[4*i:]))
				r := int16(binary.LittleEndian.Uint16(d[4*i+2:]))
				dst[i] = float32(int32(l)+int32(r)) * (s16 / 2)
			}
		} else {
			for i := range dst {
				dst[i] = float32(int16(binary.LittleEndian.Uint16(d[2*i:]))) * s16
			}
		}
	default:
		dec := g711.ALawToLinear
		if s.Format.Tag == TagMuLaw {
			dec = g711.ULawToLinear
		}
		if stereo {
			for i := range dst {
				dst[i] = float32(int32(dec(d[2*i]))+int32(dec(d[2*i+1]))) * (s16 / 2)
			}
		} else {
			for i := range dst {
				dst[i] = float32(dec(d[i])) * s16
			}
		}
	}
}
