package resample

import (
	"fmt"
	"math"
	"testing"

	"github.com/xdm-migrate/xdm/xphone/internal/wavtest"
)

func tone(rate int, freq, amp float64, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(amp * math.Sin(2*math.Pi*freq*float64(i)/float64(rate)))
	}
	return s
}

func level(x []float32, rate int, freq float64) float64 {
	f := make([]float64, len(x))
	for i, v := range x {
		f[i] = float64(v)
	}
	return wavtest.Level(f, rate, freq)
}

func db(x float64) float64 { return 20 * math.Log10(x) }

// A 6 kHz tone at 48 kHz would alias to 2 kHz in 8 kHz output without a
// low-pass; it must be at least 50 dB below the input tone's level there.
func TestNoAliasing(t *testing.T) {
	for _, c := range []struct {
		rate       int
		tone, alia float64
	}{
		{48000, 6000, 2000},
		{44100, 6000, 2000},
		{22050, 5000, 3000},
		{16000, 4500, 3500},
		{11025, 7000, 1000},
	} {
		r, err := New(c.rate, 8000)
		if err != nil {
			t.Fatal(err)
		}
		in := tone(c.rate, c.tone, 0.5, c.rate)
		out := r.Resample(nil, in)
		ref := level(in, c.rate, c.tone)
		got := level(out, 8000, c.alia)
		if d := db(got) - db(ref); d > -50 {
			t.Errorf("%d Hz: %.0f Hz tone shows at %.0f Hz %.1f dB below the input (want >= 50)", c.rate, c.tone, c.alia, -d)
		}
	}
}

// Tones in the passband keep their level and phase: the output at time
// k/8000 matches the tone evaluated there.
func TestPassband(t *testing.T) {
	for _, rate := range []int{8000, 11025, 16000, 22050, 32000, 44100, 48000, 12345} {
		r, _ := New(rate, 8000)
		for _, f := range []float64{300, 1000, 3000, 3600} {
			in := tone(rate, f, 0.5, rate)
			out := r.Resample(nil, in)
			if len(out) != 8000 {
				t.Fatalf("%d Hz: %d output samples for 1 s", rate, len(out))
			}
			want := tone(8000, f, 0.5, 8000)
			var errPow, sigPow float64
			for i := 500; i < 7500; i++ {
				d := float64(out[i] - want[i])
				errPow += d * d
				sigPow += float64(want[i]) * float64(want[i])
			}
			if snr := 10 * math.Log10(sigPow/errPow); snr < 40 {
				t.Errorf("%d Hz -> 8000, %.0f Hz tone: SNR %.1f dB against the ideal (want >= 40)", rate, f, snr)
			}
		}
	}
}

func TestOutLen(t *testing.T) {
	r, _ := New(44100, 8000)
	for _, c := range [][2]int{{0, 0}, {1, 1}, {44100, 8000}, {44101, 8001}, {11025, 2000}} {
		if got := r.OutLen(c[0]); got != c[1] {
			t.Errorf("OutLen(%d) = %d, want %d", c[0], got, c[1])
		}
		if got := len(r.Resample(nil, make([]float32, c[0]))); got != c[1] {
			t.Errorf("len(Resample(%d samples)) = %d, want %d", c[0], got, c[1])
		}
	}
}

func ExampleResampler() {
	r, _ := New(48000, 8000)
	in := make([]float32, 4800) // 100 ms of silence
	out := r.Resample(nil, in)
	fmt.Println(len(out))
	// Output: 800
}

// Long inputs are resampled on several goroutines; the result must be the
// single-goroutine one, sample for sample.
func TestParallelMatchesSerial(t *testing.T) {
	for _, rate := range []int{16000, 22050, 44100} {
		r, _ := New(rate, 8000)
		in := tone(rate, 1234, 0.5, rate*6)
		got := r.Resample(nil, in)
		src := in
		if r.pre != nil {
			src = r.pre.run(in)
		}
		want := make([]float32, r.OutLen(len(in)))
		r.main.fill(want, src, 0)
		if len(got) != len(want) {
			t.Fatalf("%d Hz: %d samples, want %d", rate, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%d Hz: sample %d differs: %v != %v", rate, i, got[i], want[i])
			}
		}
	}
}
