//go:build linux

package cli

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// These tests run the built xdm as separate processes, as an administrator
// (or a scheduled task started twice) would.

// bigDump returns a plain pg_dump of about size bytes whose UCC rows all
// need lowercasing, and the same dump lowercased.
func bigDump(size int) (in, lowered []byte) {
	var b, l bytes.Buffer
	head := "SET client_encoding = 'UTF8';\n\nCOPY symconferencing.invitees (id, conferenceid, invitationaddress) FROM stdin;\n"
	b.WriteString(head)
	l.WriteString(head)
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "%d\t%d\tUser.%d@Example.COM\n", i, i/50, i)
		fmt.Fprintf(&l, "%d\t%d\tuser.%d@example.com\n", i, i/50, i)
	}
	b.WriteString("\\.\n")
	l.WriteString("\\.\n")
	return b.Bytes(), l.Bytes()
}

// waitForTemp waits until dir holds a temporary file of a running xdm.
func waitForTemp(t *testing.T, dir string) bool {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if len(tempFiles(t, dir)) > 0 {
			return true
		}
		time.Sleep(200 * time.Microsecond)
	}
	return false
}

// TestBuiltBinary runs the safety tests that need xdm as a process of its
// own, on one build.
func TestBuiltBinary(t *testing.T) {
	bin := buildXDM(t)
	t.Run("two in-place runs at once", func(t *testing.T) { testTwoInPlaceRunsAtOnce(t, bin) })
	t.Run("journal fix from a pipe", func(t *testing.T) { testJournalFixFromPipe(t, bin) })
	t.Run("reg wow64 from a pipe", func(t *testing.T) { testRegWow64FromPipe(t, bin) })
	t.Run("signal while opening a FIFO", func(t *testing.T) { testSignalWhileOpeningFIFO(t, bin) })
	t.Run("signal while reading a stalled pipe", func(t *testing.T) { testSignalWhileReadingAStalledPipe(t, bin) })
}

// testTwoInPlaceRunsAtOnce starts a second in-place run while the first is
// writing (the first is stopped with SIGSTOP meanwhile, so the timing is
// certain): the second is refused, the first completes, and FILE.orig holds
// the original, never the fixed output.
func testTwoInPlaceRunsAtOnce(t *testing.T, bin string) {
	journalIn, journalFixed := bigJournal(16 << 20)
	dumpIn, dumpLowered := bigDump(8 << 20)
	for _, tc := range []struct {
		name      string
		file      string
		in, fixed []byte
		args      []string
	}{
		{"journal fix", "journal.txt", journalIn, journalFixed, []string{"journal", "fix", "-q"}},
		{"ucc lowercase --dump", "dump.sql", dumpIn, dumpLowered, []string{"ucc", "lowercase", "-q", "--dump"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, tc.file)
			if err := os.WriteFile(path, tc.in, 0o644); err != nil {
				t.Fatal(err)
			}
			first := exec.Command(bin, append(tc.args, path)...)
			var firstErr bytes.Buffer
			first.Stderr = &firstErr
			if err := first.Start(); err != nil {
				t.Fatal(err)
			}
			if !waitForTemp(t, dir) {
				first.Wait()
				t.Fatalf("the first run wrote no temporary file: %s", firstErr.String())
			}
			_ = first.Process.Signal(syscall.SIGSTOP)
			second := exec.Command(bin, append(tc.args, path)...)
			out, err := second.CombinedOutput()
			_ = first.Process.Signal(syscall.SIGCONT)
			if code := second.ProcessState.ExitCode(); err == nil || code != ExitFailure || !strings.Contains(string(out), "another xdm is writing") {
				t.Errorf("second run while the first writes: exit %d, %s; want exit 4, refused", code, out)
			}
			if err := first.Wait(); err != nil {
				t.Fatalf("first run: %v: %s", err, firstErr.String())
			}
			if hashFile(t, path) != sha256.Sum256(tc.fixed) {
				t.Error("the file is not the first run's output")
			}
			if hashFile(t, path+".orig") != sha256.Sum256(tc.in) {
				t.Error(".orig is not the original")
			}
			if names := dirNames(t, dir); len(names) != 2 {
				t.Errorf("files left: %v", names)
			}
		})
	}
}

// pipeRewrite is a rewrite whose input comes from a pipe: in, whose first
// change lies past the first MiB (the output is created only there, and
// the start must not be read again: a pipe cannot seek), must give want;
// unchanged, which needs no change, must write nothing and say so.
type pipeRewrite struct {
	args             []string // the command line before "/dev/stdin -o OUT"
	in, want         []byte
	unchanged, quiet string
}

func (c pipeRewrite) run(t *testing.T, bin string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command(bin, append(c.args, "/dev/stdin", "-o", out)...)
	cmd.Stdin = bytes.NewReader(c.in) // a pipe: exec copies it through one
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, msg)
	}
	if hashFile(t, out) != sha256.Sum256(c.want) {
		t.Fatal("the output differs")
	}
	none := filepath.Join(t.TempDir(), "none")
	cmd = exec.Command(bin, append(c.args, "/dev/stdin", "-o", none)...)
	cmd.Stdin = strings.NewReader(c.unchanged)
	if msg, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(msg), c.quiet) {
		t.Fatalf("%v: %s", err, msg)
	}
	if _, err := os.Stat(none); err == nil {
		t.Error("an output was written though nothing changed")
	}
}

// testJournalFixFromPipe: journal fix reads the journal from a pipe.
func testJournalFixFromPipe(t *testing.T, bin string) {
	var in, want bytes.Buffer
	for i := 0; in.Len() < 3<<20; i++ {
		rec := fmt.Sprintf("[JOURNAL]\r\nMSGID=%08X-7C\r\nSUBJECT=Voice message %d\r\nCONTENTTYPE=1\r\n", i, i)
		in.WriteString(rec)
		want.WriteString(rec)
	}
	in.WriteString("[JOURNAL]\r\nMSGID=LAST\r\nCONTENTTYPE=4352\r\n")
	want.WriteString("[JOURNAL]\r\nMSGID=LAST\r\nCONTENTTYPE=1092\r\n")
	pipeRewrite{args: []string{"journal", "fix"}, in: in.Bytes(), want: want.Bytes(),
		unchanged: "[JOURNAL]\r\nCONTENTTYPE=1\r\n", quiet: "nothing to fix"}.run(t, bin)
}

// testRegWow64FromPipe: reg wow64 reads a REGEDIT4 export from a pipe.
func testRegWow64FromPipe(t *testing.T, bin string) {
	var in, want bytes.Buffer
	in.WriteString("REGEDIT4\r\n\r\n")
	want.WriteString("REGEDIT4\r\n\r\n")
	for i := 0; in.Len() < 2<<20; i++ {
		key := fmt.Sprintf("[HKEY_LOCAL_MACHINE\\SOFTWARE\\Other\\K%d]\r\n\"Value\"=\"%d\"\r\n\r\n", i, i)
		in.WriteString(key)
		want.WriteString(key)
	}
	in.WriteString("[HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM\\MRS]\r\n\"Path\"=\"C:\\\\MRS\"\r\n")
	want.WriteString("[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\PP-COM\\MRS]\r\n\"Path\"=\"C:\\\\MRS\"\r\n")
	pipeRewrite{args: []string{"reg", "wow64"}, in: in.Bytes(), want: want.Bytes(),
		unchanged: "REGEDIT4\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Other]\r\n", quiet: "nothing to move"}.run(t, bin)
}

// testSignalWhileOpeningFIFO: an xdm that waits to open a named pipe no
// one writes to ends at SIGTERM or SIGINT with exit 130, at once.
func testSignalWhileOpeningFIFO(t *testing.T, bin string) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "input")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	commands := [][]string{
		{"journal", "fix", fifo, "-o", filepath.Join(dir, "out.txt")},
		{"journal", "fix", "--dry-run", fifo},
		{"ucc", "lowercase", "--dump", fifo, "-o", filepath.Join(dir, "out.sql")},
		{"infotool", "validate", fifo},
		{"infotool", "stats", fifo},
		{"infotool", "export", fifo, "--to", "ndjson"},
		{"mask", "diff", fifo, fifo},
		{"sql", "check", fifo},
		{"sql", "downgrade", fifo, "-o", filepath.Join(dir, "out2.sql")},
		{"reg", "show", fifo},
		{"reg", "diff", fifo, fifo},
		{"reg", "wow64", fifo, "-o", filepath.Join(dir, "out.reg")},
		{"reg", "wow64", "--dry-run", fifo},
		{"reg", "rename-host", fifo, "--from", "A", "--to", "B", "-o", filepath.Join(dir, "out2.reg")},
		{"backup", "inspect", fifo},
		{"backup", "fix", fifo, "--ucc", "-o", filepath.Join(dir, "out.tar")},
		{"xphone", "atlas", "show", fifo},
		{"xphone", "atlas", "set", fifo, "--server", "S", "-o", filepath.Join(dir, "atlas.xml")},
	}
	type run struct {
		args   []string
		sig    syscall.Signal
		cmd    *exec.Cmd
		stderr bytes.Buffer
	}
	var runs []*run
	for _, args := range commands {
		for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
			r := &run{args: args, sig: sig, cmd: exec.Command(bin, args...)}
			r.cmd.Stderr = &r.stderr
			if err := r.cmd.Start(); err != nil {
				t.Fatal(err)
			}
			runs = append(runs, r)
		}
	}
	time.Sleep(500 * time.Millisecond) // let them reach the open
	start := time.Now()
	for _, r := range runs {
		_ = r.cmd.Process.Signal(r.sig)
	}
	for _, r := range runs {
		waitOrKill(r.cmd, start.Add(10*time.Second))
		took := time.Since(start)
		if code := r.cmd.ProcessState.ExitCode(); code != ExitInterrupted || took > 2*time.Second {
			t.Errorf("xdm %s, %v: exit %d after %v, want 130 at once; stderr %s", strings.Join(r.args, " "), r.sig, code, took, r.stderr.String())
		}
	}
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("files left: %v", names)
	}
}

// testSignalWhileReadingAStalledPipe: a read that waits on a pipe sits in a
// system call no context reaches; xdm still ends within its grace time
// after SIGTERM, with exit 130.
func testSignalWhileReadingAStalledPipe(t *testing.T, bin string) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	cmd := exec.Command(bin, "sql", "check", "-")
	cmd.Stdin = r
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r.Close()
	w.Write([]byte("SELECT 1\n")) // and then nothing, and no end
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(interruptGrace + 5*time.Second):
		cmd.Process.Kill()
		t.Fatal("xdm did not end after SIGTERM")
	}
	if code := cmd.ProcessState.ExitCode(); code != ExitInterrupted {
		t.Errorf("exit %d after %v, want 130; stderr %s", code, time.Since(start), stderr.String())
	}
}

// waitOrKill waits for cmd until deadline, then kills it: a test of how
// xdm ends must not hang when it does not.
func waitOrKill(cmd *exec.Cmd, deadline time.Time) {
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Until(deadline)):
		_ = cmd.Process.Kill()
		<-done
	}
}
