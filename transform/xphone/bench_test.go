package xphone

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/xdm-migrate/xdm/transform/xphone/internal/wavtest"
	"github.com/xdm-migrate/xdm/transform/xphone/wav"
)

// benchInputs are 10-second sweeps in the formats a V4 export holds.
var benchInputs = []wavtest.Spec{
	{Tag: wav.TagPCM, Channels: 1, Rate: 16000, Bits: 16},
	{Tag: wav.TagPCM, Channels: 1, Rate: 22050, Bits: 16},
	{Tag: wav.TagPCM, Channels: 2, Rate: 44100, Bits: 16},
	{Tag: wav.TagPCM, Channels: 1, Rate: 48000, Bits: 16},
}

const benchSeconds = 10

func benchName(s wavtest.Spec) string { return fmt.Sprintf("%dHz-%dch", s.Rate, s.Channels) }

// BenchmarkConvertPrompt measures xdm; BenchmarkSoxPrompt runs sox on the
// same file, so one "go test -bench Prompt" gives both figures. The
// realtime-x metric is seconds of audio converted per second.
func BenchmarkConvertPrompt(b *testing.B) {
	for _, s := range benchInputs {
		in := wavtest.Build(s, wavtest.Sweep(s.Rate, 100, float64(s.Rate)/2, 0.5, s.Rate*benchSeconds), s.Rate*benchSeconds)
		b.Run(benchName(s), func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				if _, err := ConvertPrompt(bytes.NewReader(in), io.Discard); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(benchSeconds*b.N)/b.Elapsed().Seconds(), "realtime-x")
		})
	}
}

func BenchmarkSoxPrompt(b *testing.B) {
	sox := soxPath(b)
	dir := b.TempDir()
	for _, s := range benchInputs {
		in := wavtest.Build(s, wavtest.Sweep(s.Rate, 100, float64(s.Rate)/2, 0.5, s.Rate*benchSeconds), s.Rate*benchSeconds)
		src := filepath.Join(dir, benchName(s)+".wav")
		if err := os.WriteFile(src, in, 0o644); err != nil {
			b.Fatal(err)
		}
		b.Run(benchName(s), func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				soxALaw(b, sox, src, filepath.Join(dir, "out.wav"))
			}
			b.ReportMetric(float64(benchSeconds*b.N)/b.Elapsed().Seconds(), "realtime-x")
		})
	}
}
