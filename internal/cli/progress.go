package cli

import (
	"io"
	"strconv"
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

// minRateInterval is how long a bar runs before it shows a rate. A rate
// over a shorter time is noise: the first tick may come after a whole
// buffer was read from the page cache in microseconds ("296 GB/s" on an
// 82 MB archive).
const minRateInterval = time.Second

// Progress draws a bar on stderr. The zero-cost variant returned for
// non-terminals and --quiet makes callers free of conditionals.
type Progress struct {
	bar    *progressbar.ProgressBar
	app    *App
	errOut io.Writer
	cur    int64
	drawn  time.Time

	// A byte bar writes its own figures after the description (the
	// library's rate starts at the first tick, however near to the start).
	bytes       bool
	description string
	total       int64
	start       time.Time
	now         func() time.Time
}

// newByteProgress returns a bar for total bytes, or an inactive one when
// stderr is not a terminal, --quiet is set, or the input is small.
// total < 0 means unknown size (a spinner).
func (a *App) newByteProgress(description string, total int64) *Progress {
	if !a.IO.ErrTTY || a.Quiet() || (total >= 0 && total < progressMinBytes) {
		return &Progress{}
	}
	p := a.startBar(total, progressbar.OptionSetDescription(byteStatus(description, 0, total, 0)),
		progressbar.OptionSetPredictTime(false))
	p.bytes, p.description, p.total = true, description, total
	return p
}

// byteStatus is a byte bar's description: what it does, the bytes done (of
// total, when known) and, once minRateInterval has passed, the mean rate
// since the start and the time left at that rate.
func byteStatus(description string, done, total int64, elapsed time.Duration) string {
	s := description + " (" + siBytes(float64(done))
	if total >= 0 {
		s += "/" + siBytes(float64(total))
	}
	if elapsed >= minRateInterval {
		rate := float64(done) / elapsed.Seconds()
		s += ", " + siBytes(rate) + "/s"
		if total > done && rate > 0 {
			left := time.Duration(float64(total-done) / rate * float64(time.Second))
			s += ", " + left.Round(time.Second).String() + " left"
		}
	}
	return s + ")"
}

// siBytes writes n bytes in decimal units, as the bar library does: 950 B,
// 4.2 MB, 82 MB.
func siBytes(n float64) string {
	units := []string{"B", "kB", "MB", "GB", "TB", "PB", "EB"}
	i := 0
	for n >= 999.5 && i < len(units)-1 {
		n /= 1000
		i++
	}
	if i > 0 && n < 9.95 {
		return strconv.FormatFloat(n, 'f', 1, 64) + " " + units[i]
	}
	return strconv.FormatFloat(n, 'f', 0, 64) + " " + units[i]
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
	now := a.clock
	if now == nil {
		now = time.Now
	}
	p := &Progress{bar: progressbar.NewOptions64(total, opts...), app: a, errOut: a.IO.ErrOut, now: now, start: now()}
	a.bar = p
	return p
}

// Add advances the bar by n; safe on an inactive bar.
func (p *Progress) Add(n int64) { p.Set(p.cur + n) }

// Set moves the bar to an absolute position (callbacks that report totals).
func (p *Progress) Set(n int64) {
	p.cur = n
	if p.bar == nil || (p.now().Sub(p.drawn) < progressEvery && n < p.bar.GetMax64()) {
		return
	}
	p.redraw()
}

func (p *Progress) redraw() {
	p.drawn = p.now()
	if p.bytes && !p.bar.IsFinished() {
		// Before Set64, so that no frame shows the new position with the
		// old figures.
		p.bar.Describe(byteStatus(p.description, p.cur, p.total, p.drawn.Sub(p.start)))
	}
	_ = p.bar.Set64(p.cur)
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
