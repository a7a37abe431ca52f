package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestByteStatusRate: a byte bar shows no rate before minRateInterval has
// passed; a rate over microseconds is noise ("296 GB/s" at the first tick
// on an 82 MB archive).
func TestByteStatusRate(t *testing.T) {
	cases := []struct {
		done, total int64
		elapsed     time.Duration
		want        string
	}{
		{82_000_000, 82_000_000, 277 * time.Microsecond, "fixing a.tar (82 MB/82 MB)"},
		{40_000_000, 82_000_000, 999 * time.Millisecond, "fixing a.tar (40 MB/82 MB)"},
		{60_000_000, 82_000_000, 2 * time.Second, "fixing a.tar (60 MB/82 MB, 30 MB/s, 1s left)"},
		{5_000_000, -1, 0, "fixing a.tar (5.0 MB)"},
		{950, 4_200_000_000, time.Second, "fixing a.tar (950 B/4.2 GB, 950 B/s, 1228h4m12s left)"},
		{0, 82_000_000, 0, "fixing a.tar (0 B/82 MB)"},
	}
	for _, c := range cases {
		if got := byteStatus("fixing a.tar", c.done, c.total, c.elapsed); got != c.want {
			t.Errorf("byteStatus(%d, %d, %v) = %q, want %q", c.done, c.total, c.elapsed, got, c.want)
		}
	}
}

// TestByteProgressFirstTick draws a bar on a terminal with a clock the test
// moves: the first tick, 277 µs after the start, shows the bytes and no
// rate; two seconds on, the mean rate.
func TestByteProgressFirstTick(t *testing.T) {
	var errOut bytes.Buffer
	app := NewApp(&IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &errOut, ErrTTY: true})
	now := time.Date(2026, 12, 4, 22, 0, 0, 0, time.UTC)
	app.clock = func() time.Time { return now }
	p := app.newByteProgress("fixing smartbackup.tar", 82_000_000)
	now = now.Add(277 * time.Microsecond)
	p.Set(40_000_000)
	first := errOut.String()
	if !strings.Contains(first, "40 MB/82 MB") || strings.Contains(first, "/s") || strings.Contains(first, "0s") {
		t.Fatalf("first tick shows %q; want the bytes and no rate or time left", first)
	}
	now = now.Add(2 * time.Second)
	p.Set(60_000_000)
	if later := errOut.String()[len(first):]; !strings.Contains(later, "60 MB/82 MB, 30 MB/s, 1s left") {
		t.Fatalf("after two seconds the bar shows %q; want the mean rate", later)
	}
	p.Done()
}
