package cli

import (
	"time"

	"github.com/schollz/progressbar/v3"
)

// progressMinBytes is the input size below which no bar is drawn: small files
// finish before a bar is worth reading.
const progressMinBytes = 4 << 20

// Progress draws a byte-based bar on stderr. The zero-cost variant returned for
// non-terminals and --quiet makes callers free of conditionals.
type Progress struct {
	bar *progressbar.ProgressBar
}

// newByteProgress returns a bar for total bytes, or an inactive one when
// stderr is not a terminal, --quiet is set, or the input is small.
// total < 0 means unknown size (a spinner).
func (a *App) newByteProgress(description string, total int64) *Progress {
	if !a.IO.ErrTTY || a.Quiet() || (total >= 0 && total < progressMinBytes) {
		return &Progress{}
	}
	bar := progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(a.IO.ErrOut),
		progressbar.OptionSetDescription(description),
		progressbar.OptionShowBytes(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionFullWidth(),
	)
	return &Progress{bar: bar}
}

// newCountProgress is newByteProgress for counted items (users, batches, rows).
func (a *App) newCountProgress(description string, total int64) *Progress {
	if !a.IO.ErrTTY || a.Quiet() {
		return &Progress{}
	}
	bar := progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(a.IO.ErrOut),
		progressbar.OptionSetDescription(description),
		progressbar.OptionShowCount(),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionFullWidth(),
	)
	return &Progress{bar: bar}
}

// Add advances the bar by n; safe on an inactive bar.
func (p *Progress) Add(n int64) {
	if p.bar != nil {
		_ = p.bar.Add64(n)
	}
}

// Set moves the bar to an absolute position (callbacks that report totals).
func (p *Progress) Set(n int64) {
	if p.bar != nil {
		_ = p.bar.Set64(n)
	}
}

// Done clears the bar so the final report starts on a clean line.
func (p *Progress) Done() {
	if p.bar != nil {
		_ = p.bar.Finish()
		_ = p.bar.Clear()
	}
}
