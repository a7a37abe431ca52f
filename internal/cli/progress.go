package cli

import (
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/schollz/progressbar/v3"
)

// progressMinBytes is the input size below which no bar is drawn: small files
// finish before a bar is worth reading.
const progressMinBytes = 4 << 20

// progressEvery is how often a bar is redrawn at most.
const progressEvery = 100 * time.Millisecond

// Progress draws a bar on stderr. The zero-cost variant returned for
// non-terminals and --quiet makes callers free of conditionals.
type Progress struct {
	bar    *progressbar.ProgressBar
	app    *App
	errOut io.Writer
	cur    int64
	drawn  time.Time
}

// newByteProgress returns a bar for total bytes, or an inactive one when
// stderr is not a terminal, --quiet is set, or the input is small.
// total < 0 means unknown size (a spinner).
func (a *App) newByteProgress(description string, total int64) *Progress {
	if !a.IO.ErrTTY || a.Quiet() || (total >= 0 && total < progressMinBytes) {
		return &Progress{}
	}
	return a.startBar(total, progressbar.OptionSetDescription(description), progressbar.OptionShowBytes(true))
}

// newCountProgress is newByteProgress for counted items (users, batches, rows).
func (a *App) newCountProgress(description string, total int64) *Progress {
	if !a.IO.ErrTTY || a.Quiet() {
		return &Progress{}
	}
	return a.startBar(total, progressbar.OptionSetDescription(description), progressbar.OptionShowCount())
}

// startBar draws bars itself at most every progressEvery (the library's
// throttle would make a redraw after other output wait), and makes the bar
// the one that output through App.tidy clears and redraws.
func (a *App) startBar(total int64, opts ...progressbar.Option) *Progress {
	opts = append(opts,
		progressbar.OptionSetWriter(a.IO.ErrOut),
		progressbar.OptionThrottle(0),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionFullWidth(),
	)
	p := &Progress{bar: progressbar.NewOptions64(total, opts...), app: a, errOut: a.IO.ErrOut}
	a.bar = p
	return p
}

// Add advances the bar by n; safe on an inactive bar.
func (p *Progress) Add(n int64) { p.Set(p.cur + n) }

// Set moves the bar to an absolute position (callbacks that report totals).
func (p *Progress) Set(n int64) {
	p.cur = n
	if p.bar == nil || (time.Since(p.drawn) < progressEvery && n < p.bar.GetMax64()) {
		return
	}
	p.redraw()
}

func (p *Progress) redraw() {
	_ = p.bar.Set64(p.cur)
	p.drawn = time.Now()
}

// clear removes the bar from its line, so that other output starts at the
// beginning of an empty line.
func (p *Progress) clear() {
	if p.bar == nil || p.bar.IsFinished() {
		return
	}
	shown := p.bar.String()
	if shown == "" {
		return
	}
	io.WriteString(p.errOut, "\r"+strings.Repeat(" ", utf8.RuneCountInString(shown))+"\r")
}

// Done clears the bar so the final report starts on a clean line.
func (p *Progress) Done() {
	if p.bar == nil {
		return
	}
	p.clear()
	_ = p.bar.Finish()
	_ = p.bar.Clear()
	if p.app != nil && p.app.bar == p {
		p.app.bar = nil
	}
	p.bar = nil
}

// tidy returns w wrapped so that what is written to it never shares a line
// with a progress bar: the bar is cleared before and drawn again after each
// write. Data and messages for a terminal go through it while a bar may be
// showing.
func (a *App) tidy(w io.Writer) io.Writer {
	if !a.IO.ErrTTY {
		return w
	}
	return tidyWriter{w: w, app: a}
}

type tidyWriter struct {
	w   io.Writer
	app *App
}

func (t tidyWriter) Write(b []byte) (int, error) {
	bar := t.app.bar
	if bar == nil {
		return t.w.Write(b)
	}
	bar.clear()
	n, err := t.w.Write(b)
	if len(b) > 0 && b[len(b)-1] == '\n' {
		bar.redraw()
	}
	return n, err
}
