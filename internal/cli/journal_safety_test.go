//go:build linux

package cli

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// These tests run the real xdm binary and kill it, or let it run out of disk.

func buildXDM(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and kills the xdm binary; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "xdm")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/xdm-migrate/xdm/cmd/xdm").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// bigJournal returns a CRLF journal of about size bytes in which about
// two records in three need the fix, and the same journal fixed.
func bigJournal(size int) (in, fixed []byte) {
	var b, f bytes.Buffer
	body := strings.Repeat("52494646A0B1C2D3", 16)
	for i := 0; b.Len() < size; i++ {
		rec := fmt.Sprintf("[JOURNAL]\r\nMSGID=%08X-7C\r\nSENDER=+49 89 7007 %d\r\nSUBJECT=Voice message %d\r\nBODY=0x%s\r\n", i, i%1000, i, body)
		b.WriteString(rec)
		f.WriteString(rec)
		switch i % 3 {
		case 0:
			b.WriteString("CONTENTTYPE=4352\r\n")
			f.WriteString("CONTENTTYPE=1092\r\n")
		case 1:
			b.WriteString("CONTENTTYPE=0501\r\n")
			f.WriteString("CONTENTTYPE=1092\r\n")
		default:
			b.WriteString("CONTENTTYPE=1\r\n")
			f.WriteString("CONTENTTYPE=1\r\n")
		}
	}
	return b.Bytes(), f.Bytes()
}

func hashFile(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func tempFiles(t *testing.T, dir string) []string {
	var tmp []string
	for _, n := range dirNames(t, dir) {
		if strings.Contains(n, ".xdm-tmp-") {
			tmp = append(tmp, n)
		}
	}
	return tmp
}

// TestJournalFixSIGKILL kills xdm at random moments of a large fix, in
// place and with -o: the original is always intact and the final name holds
// either nothing (the original, in place) or the complete fixed journal.
func TestJournalFixSIGKILL(t *testing.T) {
	bin := buildXDM(t)
	dir := t.TempDir()
	in, fixed := bigJournal(48 << 20)
	origSum, fixedSum := sha256.Sum256(in), sha256.Sum256(fixed)
	pristine := filepath.Join(dir, "pristine.txt")
	if err := os.WriteFile(pristine, in, 0o644); err != nil {
		t.Fatal(err)
	}
	path, out := filepath.Join(dir, "journal.txt"), filepath.Join(dir, "fixed.txt")
	reset := func() {
		for _, n := range append(tempFiles(t, dir), "journal.txt.orig", "fixed.txt") {
			os.Remove(filepath.Join(dir, n))
		}
		if err := os.WriteFile(path, in, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	reset()
	start := time.Now()
	if b, err := exec.Command(bin, "journal", "fix", "-q", path, "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("full run: %v\n%s", err, b)
	}
	full := time.Since(start)
	if hashFile(t, out) != fixedSum {
		t.Fatal("full run: wrong output")
	}

	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	completed := 0
	for i := range 10 {
		reset()
		inPlace := i%2 == 0
		args := []string{"journal", "fix", "-q", path}
		if !inPlace {
			args = append(args, "-o", out)
		}
		cmd := exec.Command(bin, args...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(rng.Int63n(int64(full + full/5)))
		time.Sleep(delay)
		_ = cmd.Process.Kill()
		err := cmd.Wait()
		if err == nil {
			completed++
		}
		if hashFile(t, pristine) != origSum {
			t.Fatal("the test's own copy changed")
		}
		if inPlace {
			switch hashFile(t, path) {
			case origSum:
				if _, err := os.Stat(path + ".orig"); err == nil && hashFile(t, path+".orig") != origSum {
					t.Fatalf("kill after %v: journal.txt.orig is not the original", delay)
				}
			case fixedSum:
				if hashFile(t, path+".orig") != origSum {
					t.Fatalf("kill after %v: fixed in place but journal.txt.orig is not the original", delay)
				}
			default:
				t.Fatalf("kill after %v: journal.txt holds neither the original nor the fixed journal", delay)
			}
		} else {
			if hashFile(t, path) != origSum {
				t.Fatalf("kill after %v: the original changed", delay)
			}
			if _, err := os.Stat(out); err == nil && hashFile(t, out) != fixedSum {
				t.Fatalf("kill after %v: fixed.txt holds a partial file", delay)
			}
		}
		t.Logf("run %d (in place %v): killed after %v (full run %v): exit %v, temp files left %v", i, inPlace, delay, full, err, tempFiles(t, dir))
	}
	if completed == 10 {
		t.Errorf("no run was killed before it finished; the journal is too small to test anything")
	}
}

// TestJournalFixSIGTERM interrupts a fix: exit 130, original intact, the
// temporary file removed, nothing under the final name.
func TestJournalFixSIGTERM(t *testing.T) {
	bin := buildXDM(t)
	dir := t.TempDir()
	in, _ := bigJournal(64 << 20)
	path, out := filepath.Join(dir, "journal.txt"), filepath.Join(dir, "fixed.txt")
	if err := os.WriteFile(path, in, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(in)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		var stderr bytes.Buffer
		cmd := exec.Command(bin, "journal", "fix", path, "-o", out)
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for len(tempFiles(t, dir)) == 0 && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		_ = cmd.Process.Signal(sig)
		err := cmd.Wait()
		if code := cmd.ProcessState.ExitCode(); code != ExitInterrupted {
			t.Fatalf("%v: exit %d (%v), want 130; stderr %s", sig, code, err, stderr.String())
		}
		if !strings.Contains(stderr.String(), "interrupted") {
			t.Errorf("%v: stderr %q", sig, stderr.String())
		}
		if hashFile(t, path) != sum {
			t.Fatalf("%v: original changed", sig)
		}
		if names := dirNames(t, dir); len(names) != 1 {
			t.Fatalf("%v: files left: %v", sig, names)
		}
	}
}

// TestJournalFixDiskFull writes to a 1 MiB tmpfs: a clear error (exit 4),
// the original intact and nothing left on the full file system. It needs
// root (mount); elsewhere it is skipped.
func TestJournalFixDiskFull(t *testing.T) {
	bin := buildXDM(t)
	small := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a small tmpfs (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", small).Run() })

	dir := t.TempDir()
	in, _ := bigJournal(4 << 20)
	path := filepath.Join(dir, "journal.txt")
	if err := os.WriteFile(path, in, 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "journal", "fix", path, "-o", filepath.Join(small, "fixed.txt"))
	cmd.Stderr = &stderr
	_ = cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != ExitFailure || !strings.Contains(stderr.String(), "no space left on device") {
		t.Fatalf("-o on a full disk: exit %d, stderr %s", code, stderr.String())
	}
	if hashFile(t, path) != sha256.Sum256(in) {
		t.Fatal("original changed")
	}
	if names := dirNames(t, small); len(names) != 0 {
		t.Fatalf("left on the full file system: %v", names)
	}

	// In place on the full file system: the journal fits, its fixed copy does not.
	in2, _ := bigJournal(600 << 10)
	path2 := filepath.Join(small, "journal.txt")
	if err := os.WriteFile(path2, in2, 0o644); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	cmd = exec.Command(bin, "journal", "fix", path2)
	cmd.Stderr = &stderr
	_ = cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != ExitFailure || !strings.Contains(stderr.String(), "no space left on device") {
		t.Fatalf("in place on a full disk: exit %d, stderr %s", code, stderr.String())
	}
	if hashFile(t, path2) != sha256.Sum256(in2) {
		t.Fatal("original changed")
	}
	if names := dirNames(t, small); len(names) != 1 {
		t.Fatalf("left on the full file system: %v", names)
	}
}
