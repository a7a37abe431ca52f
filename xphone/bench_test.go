//go:build unix

package xphone

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/xdm-migrate/xdm/xphone/internal/wavtest"
	"github.com/xdm-migrate/xdm/xphone/wav"
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
// same file, so one "go test -bench Prompt" gives both figures. Metrics:
// realtime-x is seconds of audio converted per wall-clock second; cpu-ms/op
// is the CPU time (user+system) one conversion took, which a machine shared
// with other work distorts far less than wall time.

// cpuTime is the CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
func BenchmarkConvertPrompt(b *testing.B) {
	for _, s := range benchInputs {
		in := wavtest.Build(s, wavtest.Sweep(s.Rate, 100, float64(s.Rate)/2, 0.5, s.Rate*benchSeconds), s.Rate*benchSeconds)
		b.Run(benchName(s), func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			start := cpuTime()
			for b.Loop() {
				if _, err := ConvertPrompt(bytes.NewReader(in), io.Discard); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
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
			var cpu time.Duration
			for b.Loop() {
				cmd := exec.Command(sox, "-D", "-V1", src, "-r", "8000", "-c", "1", "-e", "a-law", "-b", "8", filepath.Join(dir, "out.wav"))
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%s: %v\n%s", cmd, err, out)
				}
				cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			}
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(benchSeconds*b.N)/b.Elapsed().Seconds(), "realtime-x")
		})
	}
}
