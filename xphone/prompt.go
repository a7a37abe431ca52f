package xphone

import (
	"errors"
	"io"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/xdm-migrate/xdm/xphone/g711"
	"github.com/xdm-migrate/xdm/xphone/resample"
	"github.com/xdm-migrate/xdm/xphone/wav"
)

// OutputRate is the sample rate of the prompts V9 takes.
const OutputRate = 8000

// PromptInfo describes one converted prompt.
type PromptInfo struct {
	Source         wav.Format `json:"-"`
	SourceFormat   string     `json:"source_format"` // Source.String()
	Samples        int        `json:"samples"`       // A-law samples written
	DurationMillis int64      `json:"duration_ms"`   // of the output, rounded to the nearest ms
	Bytes          int64      `json:"bytes"`         // size of the output file
}

// ConvertPrompt reads a WAV file (see package wav for what it accepts) and
// writes it to w as G.711 A-law, 8000 Hz, mono, 8 bit. Stereo is mixed down
// to the mean of both channels; other rates are resampled with a low-pass at
// 3.8 kHz (package resample). A-law 8 kHz mono input is copied sample for
// sample. Errors about the input wrap wav.ErrInvalid or wav.ErrUnsupported;
// nothing is written to w then.
func ConvertPrompt(r io.Reader, w io.Writer) (PromptInfo, error) {
	snd, err := wav.Read(r)
	if err != nil {
		return PromptInfo{}, err
	}
	codes, err := promptCodes(snd)
	if err != nil {
		return PromptInfo{}, err
	}
	info := PromptInfo{
		Source:         snd.Format,
		SourceFormat:   snd.Format.String(),
		Samples:        len(codes),
		DurationMillis: (int64(len(codes))*1000 + OutputRate/2) / OutputRate,
		Bytes:          int64(wav.ALawHeaderSize + len(codes) + len(codes)%2),
	}
	return info, wav.WriteALaw(w, codes)
}

// promptCodes returns the A-law samples of snd at 8 kHz mono.
func promptCodes(snd *wav.Sound) ([]byte, error) {
	f := snd.Format
	if f.SampleRate == OutputRate && f.Channels == 1 && f.Tag != wav.TagPCM {
		codes := make([]byte, len(snd.Data))
		if f.Tag == wav.TagALaw {
			copy(codes, snd.Data)
		} else {
			for i, c := range snd.Data {
				codes[i] = g711.ULawToALaw(c)
			}
		}
		return codes, nil
	}
	mono := snd.Mono()
	if f.SampleRate != OutputRate {
		rs, err := resample.New(f.SampleRate, OutputRate)
		if err != nil {
			return nil, err
		}
		mono = rs.Resample(nil, mono)
	}
	return wav.EncodeALaw(make([]byte, 0, len(mono)), mono), nil
}

// isInputError reports whether err is about the WAV file rather than I/O.
func isInputError(err error) bool {
	return errors.Is(err, wav.ErrInvalid) || errors.Is(err, wav.ErrUnsupported)
}

// maxNameLen bounds a sanitised file or folder name.
const maxNameLen = 80

// SafeName turns a user ID, Auto Attendant or prompt name into a file name
// that is plain ASCII without spaces, safe on Windows:
//   - ä ö ü Ä Ö Ü ß become ae oe ue Ae Oe Ue ss; other letters lose their
//     accents (é → e);
//   - letters, digits, "-", "_" and "." are kept; every other run of
//     characters (spaces, punctuation, non-Latin letters) becomes one "_";
//   - leading and trailing "_" and "." are removed;
//   - Windows device names (CON, NUL, COM1, ...) get a leading "_";
//   - the result is cut to 80 bytes; an empty result is "_".
func SafeName(s string) string {
	s = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "Ae", "Ö", "Oe", "Ü", "Ue", "ß", "ss").Replace(s)
	var b strings.Builder
	under := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '.' || r == '_'):
			if r == '_' && under {
				continue
			}
			b.WriteRune(r)
			under = r == '_'
		default:
			if !under {
				b.WriteByte('_')
				under = true
			}
		}
	}
	out := strings.Trim(b.String(), "_.")
	if len(out) > maxNameLen {
		out = strings.TrimRight(out[:maxNameLen], "_.")
	}
	if out == "" {
		return "_"
	}
	base, _, _ := strings.Cut(strings.ToUpper(out), ".")
	switch base {
	case "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
		"LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9":
		out = "_" + out
	}
	return out
}
