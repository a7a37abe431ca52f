package xphone

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/xdm-migrate/xdm/internal/testtool"

	"github.com/xdm-migrate/xdm/xphone/g711"
	"github.com/xdm-migrate/xdm/xphone/internal/wavtest"
	"github.com/xdm-migrate/xdm/xphone/wav"
)

// soxPath returns the sox binary or skips the test.
func soxPath(t testing.TB) string {
	return testtool.LookPath(t, "sox", "apt-get install sox")
}

// soxALaw converts in to A-law 8 kHz mono with sox, the way an administrator
// would: sox IN -r 8000 -c 1 -e a-law -b 8 OUT (-D: no dither, so that runs
// are repeatable; sox's default rate quality is -h).
func soxALaw(t testing.TB, sox, in, out string) {
	cmd := exec.Command(sox, "-D", "-V1", in, "-r", "8000", "-c", "1", "-e", "a-law", "-b", "8", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cmd, err, b)
	}
}

// decodeALawFile returns the linear samples of an A-law WAV file.
func decodeALawFile(t testing.TB, b []byte) []float64 {
	s, err := wav.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if s.Format.String() != "A-law 8000 Hz mono 8 bit" {
		t.Fatalf("format %s", s.Format)
	}
	x := make([]float64, len(s.Data))
	for i, c := range s.Data {
		x[i] = float64(g711.ALawToLinear(c))
	}
	return x
}

// snr compares x with the reference ref: 10·log10(Σref² / Σ(ref−x)²) over
// the samples both have, leaving out the first and last 20 ms (where the two
// resamplers treat the file's edges differently), after shifting x by the
// lag in [-8, 8] samples that gives the best match (the delay; 0 when both
// are aligned, as xdm and sox are; the smallest lag wins a tie, as for a
// tone whose period divides 8 samples).
func snr(ref, x []float64) (db float64, lag int) {
	const edge = 160
	best := math.Inf(-1)
	for _, l := range []int{0, -1, 1, -2, 2, -3, 3, -4, 4, -5, 5, -6, 6, -7, 7, -8, 8} {
		var sig, noise float64
		for i := edge; i < min(len(ref), len(x))-edge; i++ {
			j := i + l
			if j < 0 || j >= len(x) {
				continue
			}
			d := ref[i] - x[j]
			sig += ref[i] * ref[i]
			noise += d * d
		}
		if v := 10 * math.Log10(sig/noise); v > best {
			best, lag = v, l
		}
	}
	return best, lag
}

type testSignal struct {
	name string
	sig  func(rate, n int) wavtest.Signal
}

var qualitySignals = []testSignal{
	{"tone 1 kHz", func(rate, n int) wavtest.Signal { return wavtest.Tone(rate, 1000, 0.5) }},
	{"tone 3.3 kHz", func(rate, n int) wavtest.Signal { return wavtest.Tone(rate, 3300, 0.5) }},
	{"tone 440 Hz quiet", func(rate, n int) wavtest.Signal { return wavtest.Tone(rate, 440, 0.02) }},
	{"sweep 50-3400 Hz", func(rate, n int) wavtest.Signal { return wavtest.Sweep(rate, 50, 3400, 0.5, n) }},
	{"sweep 50 Hz-Nyquist", func(rate, n int) wavtest.Signal { return wavtest.Sweep(rate, 50, float64(rate)/2, 0.5, n) }},
	{"white noise", func(rate, n int) wavtest.Signal { return wavtest.Noise(uint64(rate), 0.5, n) }},
}

// TestQualityAgainstSox converts generated tones, sweeps and noise with xdm
// and with sox and requires the decoded outputs to agree within 35 dB SNR.
func TestQualityAgainstSox(t *testing.T) {
	sox := soxPath(t)
	dir := t.TempDir()
	for _, rate := range []int{16000, 22050, 44100, 48000} {
		for _, s := range qualitySignals {
			for _, ch := range []int{1, 2} {
				if ch == 2 && rate != 44100 {
					continue
				}
				name := fmt.Sprintf("%s, %d Hz, %d ch", s.name, rate, ch)
				n := rate // one second
				in := wavtest.Build(wavtest.Spec{Tag: wav.TagPCM, Channels: ch, Rate: rate, Bits: 16}, s.sig(rate, n), n)
				inPath := filepath.Join(dir, "in.wav")
				soxPathOut := filepath.Join(dir, "sox.wav")
				os.WriteFile(inPath, in, 0o644)
				soxALaw(t, sox, inPath, soxPathOut)
				soxOut, _ := os.ReadFile(soxPathOut)
				var xdmOut bytes.Buffer
				if _, err := ConvertPrompt(bytes.NewReader(in), &xdmOut); err != nil {
					t.Fatal(err)
				}
				ref, got := decodeALawFile(t, soxOut), decodeALawFile(t, xdmOut.Bytes())
				if d := len(ref) - len(got); d < -1 || d > 1 {
					t.Errorf("%s: sox wrote %d samples, xdm %d", name, len(ref), len(got))
				}
				db, lag := snr(ref, got)
				t.Logf("%-36s SNR %5.1f dB, lag %d", name, db, lag)
				if db < 35 || lag != 0 {
					t.Errorf("%s: SNR %.1f dB at lag %d against sox (want >= 35 dB at lag 0)", name, db, lag)
				}
			}
		}
	}
}

// 8 kHz mono input needs no resampling: xdm's A-law codes must be sox's,
// byte for byte (both use the G.711 tables and round to 13 bits).
func TestALawIdenticalToSox(t *testing.T) {
	for name, spec := range map[string]wavtest.Spec{
		"pcm16": {Tag: wav.TagPCM, Channels: 1, Rate: 8000, Bits: 16},
		"pcm8":  {Tag: wav.TagPCM, Channels: 1, Rate: 8000, Bits: 8},
		"mulaw": {Tag: wav.TagMuLaw, Channels: 1, Rate: 8000},
		"alaw":  {Tag: wav.TagALaw, Channels: 1, Rate: 8000},
	} {
		in := wavtest.Build(spec, wavtest.Noise(7, 0.9, 8000), 8000)
		t.Run(name, func(t *testing.T) { identicalToSox(t, in) })
	}
}

func identicalToSox(t *testing.T, in []byte) {
	sox := soxPath(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "in.wav"), in, 0o644)
	soxALaw(t, sox, filepath.Join(dir, "in.wav"), filepath.Join(dir, "sox.wav"))
	b, _ := os.ReadFile(filepath.Join(dir, "sox.wav"))
	ref, _ := wav.Parse(b)
	var out bytes.Buffer
	if _, err := ConvertPrompt(bytes.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	got, _ := wav.Parse(out.Bytes())
	if !bytes.Equal(ref.Data, got.Data) {
		diff := 0
		for i := range min(len(ref.Data), len(got.Data)) {
			if ref.Data[i] != got.Data[i] {
				diff++
			}
		}
		t.Errorf("A-law codes differ from sox's in %d of %d samples", diff, len(ref.Data))
	}
}

// A 6 kHz tone at 48 kHz folds to 2 kHz in 8 kHz output unless it is
// filtered out first. Through the whole conversion (A-law included) the
// 2 kHz level must be at least 50 dB below the input tone's level.
func TestNoAliasIntoOutput(t *testing.T) {
	const rate, n = 48000, 48000
	in := wavtest.Build(wavtest.Spec{Tag: wav.TagPCM, Channels: 1, Rate: rate, Bits: 16}, wavtest.Tone(rate, 6000, 0.5), n)
	var out bytes.Buffer
	if _, err := ConvertPrompt(bytes.NewReader(in), &out); err != nil {
		t.Fatal(err)
	}
	src, _ := wav.Parse(in)
	mono := src.Mono()
	x := make([]float64, len(mono))
	for i, v := range mono {
		x[i] = float64(v) * 32768
	}
	inLevel := wavtest.Level(x, rate, 6000)
	alias := wavtest.Level(decodeALawFile(t, out.Bytes()), 8000, 2000)
	down := 20 * math.Log10(inLevel/alias)
	t.Logf("6 kHz at %.0f, 2 kHz alias at %.2f: %.1f dB down", inLevel, alias, down)
	if down < 50 {
		t.Errorf("alias at 2 kHz only %.1f dB below the 6 kHz input (want >= 50)", down)
	}
}
