//go:build linux

package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
	"golang.org/x/term"
)

// openPTY returns a pseudo-terminal pair: what a program writes to the
// slave, the test reads from the master, as a terminal would show it.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		m.Close()
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		m.Close()
		t.Fatal(err)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Fatal(err)
	}
	if !term.IsTerminal(int(s.Fd())) {
		t.Fatal("the slave is not a terminal")
	}
	// A wide terminal, so that the bar's width does not depend on the
	// machine.
	_ = unix.IoctlSetWinsize(int(s.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 40, Col: 120})
	t.Cleanup(func() { m.Close(); s.Close() })
	return m, s
}

// screen is what a terminal shows for the bytes written to it: lines
// ended by a line feed, each the result of carriage returns and
// overwriting, and the line the cursor is on.
type screen struct {
	mu    sync.Mutex
	raw   bytes.Buffer
	lines []string
	cur   []rune
	col   int
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.raw.Write(p)
	text := string(p)
	for i := 0; i < len(text); {
		if strings.HasPrefix(text[i:], "\x1b[2K") || strings.HasPrefix(text[i:], "\x1b[K") {
			s.cur, s.col = s.cur[:0], 0
			i += strings.Index(text[i:], "K") + 1
			continue
		}
		r := []rune(text[i:])[0]
		i += len(string(r))
		switch r {
		case '\r':
			s.col = 0
		case '\n':
			s.lines = append(s.lines, strings.TrimRight(string(s.cur), " "))
			s.cur, s.col = s.cur[:0], 0
		default:
			if s.col < len(s.cur) {
				s.cur[s.col] = r
			} else {
				s.cur = append(s.cur, r)
			}
			s.col++
		}
	}
	return len(p), nil
}

func (s *screen) text() (lines []string, raw string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.lines...), s.raw.String()
}

// readAll copies the master to w until the slave is closed.
func readAll(master *os.File, w io.Writer) chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		io.Copy(w, master) // ends with EIO when the slave closes
	}()
	return done
}

// TestTerminalProgressNeverSharesALine: on a terminal the progress bar is
// cleared before each line of results or messages and drawn again after:
// no line on the screen holds both.
func TestTerminalProgressNeverSharesALine(t *testing.T) {
	srv := fakeServer(t, nil)
	var script strings.Builder
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&script, "PRINT 'line %d'\nGO\n", i)
	}
	path := writeFile(t, t.TempDir(), "s.sql", script.String())
	master, slave := openPTY(t)
	var scr screen
	done := readAll(master, &scr)
	code := Run(context.Background(), &IOStreams{In: strings.NewReader(""), Out: slave, ErrOut: slave, ErrTTY: true},
		[]string{"sql", "run", "--dsn", srv.DSN(), "-i", path})
	time.Sleep(100 * time.Millisecond) // let the master catch up
	slave.Close()
	<-done
	lines, raw := scr.text()
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, raw)
	}
	if !strings.Contains(raw, "batches") {
		t.Fatalf("no progress bar was drawn:\n%q", raw)
	}
	want := 1
	for _, l := range lines {
		switch {
		case l == "line "+strconv.Itoa(want):
			want++
		case strings.HasPrefix(l, "xdm: 40 of 40 batches run"):
		default:
			t.Errorf("a line on the screen mixes output and the bar: %q", l)
		}
	}
	if want != 41 {
		t.Errorf("%d of 40 lines on the screen:\n%s", want-1, strings.Join(lines, "\n"))
	}
}

// TestTerminalPasswordPrompt: without a password a SQL login is asked for
// one on the terminal, which does not echo it.
func TestTerminalPasswordPrompt(t *testing.T) {
	srv := fakeServer(t, nil)
	path := writeFile(t, t.TempDir(), "s.sql", "PRINT 'logged in'\n")
	t.Setenv("XDM_MSSQL_PASSWORD", "")
	t.Setenv("SQLCMDPASSWORD", "")
	master, slave := openPTY(t)
	var scr screen
	done := readAll(master, &scr)
	go func() {
		for i := 0; i < 100; i++ {
			if _, raw := scr.text(); strings.Contains(raw, "Password for sa: ") {
				master.Write([]byte("Typed-Secret\n"))
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	var out bytes.Buffer
	code := Run(context.Background(), &IOStreams{In: slave, Out: &out, ErrOut: slave, ErrTTY: true, InTTY: true},
		[]string{"sql", "run", "-S", "127.0.0.1," + strconv.Itoa(srv.Port()), "-U", "sa", "-N", "disable", "-i", path})
	time.Sleep(100 * time.Millisecond)
	slave.Close()
	<-done
	_, raw := scr.text()
	if code != 0 || out.String() != "logged in\n" || srv.Logins() != 1 {
		t.Fatalf("exit %d, stdout %q, %d logins; terminal:\n%q", code, out.String(), srv.Logins(), raw)
	}
	if strings.Contains(raw, "Typed-Secret") {
		t.Errorf("the password was echoed: %q", raw)
	}
}
