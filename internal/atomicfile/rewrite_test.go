package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// rewriteUpper rewrites r's input to upper case and commits.
func rewriteUpper(t *testing.T, r *Rewrite) {
	t.Helper()
	data, err := io.ReadAll(r.Input())
	if err != nil {
		t.Fatal(err)
	}
	out, err := r.Output()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := out.Write([]byte(strings.ToUpper(string(data)))); err != nil {
		t.Fatal(err)
	}
	if err := r.Commit(); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, path, content string, mode fs.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRewriteInPlaceKeepsOriginalAndMode(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "journal.txt")
	writeFile(t, f, "abc", 0o640)
	r, err := Begin(RewriteOptions{Input: f})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if !r.InPlace() || r.Backup() != f+".orig" {
		t.Fatalf("in place %v, backup %q", r.InPlace(), r.Backup())
	}
	rewriteUpper(t, r)
	if readFile(t, f) != "ABC" || readFile(t, f+".orig") != "abc" {
		t.Fatalf("file %q, original %q", readFile(t, f), readFile(t, f+".orig"))
	}
	st, _ := os.Stat(f)
	if st.Mode().Perm() != 0o640 {
		t.Fatalf("mode %v, want the original's 0640", st.Mode().Perm())
	}
	assertNoLeftovers(t, dir, "journal.txt", "journal.txt.orig")
}

func TestRewriteNewFileFollowsUmask(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	writeFile(t, in, "x", 0o600)
	r, err := Begin(RewriteOptions{Input: in, Output: out})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rewriteUpper(t, r)
	st, _ := os.Stat(out)
	if want := fs.FileMode(0o666 &^ umask()); st.Mode().Perm() != want {
		t.Fatalf("mode %v, want %v (0666 less the umask)", st.Mode().Perm(), want)
	}
	if _, err := os.Stat(in + ".orig"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("a rewrite to another file must not keep a .orig")
	}
}

// An existing .orig is the only copy of an earlier run's original: refused
// without Force, kept as it is with Force.
func TestRewriteNeverReplacesOrig(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "dump.sql")
	writeFile(t, f, "fixed", 0o644)
	writeFile(t, f+".orig", "original", 0o644)

	r, err := Begin(RewriteOptions{Input: f})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Output(); !errors.Is(err, fs.ErrExist) || !errors.Is(r.Check(), fs.ErrExist) {
		t.Fatalf("without Force: %v, want fs.ErrExist", err)
	}
	r.Close()
	if readFile(t, f+".orig") != "original" || readFile(t, f) != "fixed" {
		t.Fatal("a refused run changed something")
	}
	r, err = Begin(RewriteOptions{Input: f, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rewriteUpper(t, r)
	if readFile(t, f+".orig") != "original" {
		t.Fatalf(".orig was replaced: %q", readFile(t, f+".orig"))
	}
	if readFile(t, f) != "FIXED" {
		t.Fatal(readFile(t, f))
	}
}

func TestRewriteOutputRefusedWithoutForce(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	writeFile(t, in, "x", 0o644)
	writeFile(t, out, "keep", 0o640)
	r, err := Begin(RewriteOptions{Input: in, Output: out})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Output(); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("got %v, want fs.ErrExist", err)
	}
	r.Close()
	r, err = Begin(RewriteOptions{Input: in, Output: out, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rewriteUpper(t, r)
	if st, _ := os.Stat(out); readFile(t, out) != "X" || st.Mode().Perm() != 0o640 {
		t.Fatalf("replaced output %q mode %v: want X with the replaced file's mode 0640", readFile(t, out), st.Mode().Perm())
	}
	if _, err := Begin(RewriteOptions{Input: in, Output: dir, Force: true}); !errors.Is(err, ErrIsDir) {
		t.Fatalf("an output that is a folder: %v", err)
	}
}

// An output that is the input under any name is an in-place rewrite: it
// keeps .orig, and never overwrites the input without a backup.
func TestRewriteOutputThatIsTheInput(t *testing.T) {
	for _, how := range []string{"same path", "hard link", "symbolic link"} {
		t.Run(how, func(t *testing.T) {
			dir := t.TempDir()
			f := filepath.Join(dir, "data.txt")
			writeFile(t, f, "abc", 0o644)
			out := f
			switch how {
			case "hard link":
				out = filepath.Join(dir, "other.txt")
				if err := os.Link(f, out); err != nil {
					t.Fatal(err)
				}
			case "symbolic link":
				out = filepath.Join(dir, "link.txt")
				if err := os.Symlink("data.txt", out); err != nil {
					t.Fatal(err)
				}
			}
			r, err := Begin(RewriteOptions{Input: f, Output: out, Force: true})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if !r.InPlace() {
				t.Fatal("not recognised as in place")
			}
			rewriteUpper(t, r)
			if readFile(t, r.Backup()) != "abc" || readFile(t, r.Target()) != "ABC" {
				t.Fatalf("backup %q target %q", readFile(t, r.Backup()), readFile(t, r.Target()))
			}
		})
	}
}

// In place through a symbolic link rewrites the file it points to and keeps
// the link.
func TestRewriteThroughSymlinkKeepsLink(t *testing.T) {
	dir := t.TempDir()
	realDir := filepath.Join(dir, "real")
	if err := os.Mkdir(realDir, 0o755); err != nil {
		t.Fatal(err)
	}
	real := filepath.Join(realDir, "journal.txt")
	writeFile(t, real, "abc", 0o644)
	link := filepath.Join(dir, "journal.txt")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	r, err := Begin(RewriteOptions{Input: link})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rewriteUpper(t, r)
	if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
		t.Fatal("the link was replaced")
	}
	if readFile(t, real) != "ABC" || readFile(t, real+".orig") != "abc" {
		t.Fatalf("real %q, orig %q", readFile(t, real), readFile(t, real+".orig"))
	}
}

func TestRewriteSecondRunIsBusy(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "journal.txt")
	writeFile(t, f, "abc", 0o644)
	first, err := Begin(RewriteOptions{Input: f})
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range []RewriteOptions{{Input: f}, {Input: f, Force: true}, {Input: filepath.Join(dir, "other"), Output: f, Force: true}} {
		if opts.Output != "" {
			writeFile(t, opts.Input, "x", 0o644)
		}
		if _, err := Begin(opts); !errors.Is(err, ErrBusy) {
			t.Fatalf("%+v while another run holds the file: %v, want ErrBusy", opts, err)
		}
	}
	first.Close()
	second, err := Begin(RewriteOptions{Input: f})
	if err != nil {
		t.Fatalf("after the first run ended: %v", err)
	}
	second.Close()
	assertNoLeftovers(t, dir, "journal.txt", "other")
}

// A killed run's lock dies with it.
func TestRewriteLockEndsWithProcess(t *testing.T) {
	if os.Getenv("XDM_LOCK_HOLDER") != "" {
		r, err := Begin(RewriteOptions{Input: os.Getenv("XDM_LOCK_HOLDER")})
		if err != nil {
			os.Exit(3)
		}
		_ = r
		os.Stdout.WriteString("locked\n")
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	dir := t.TempDir()
	f := filepath.Join(dir, "journal.txt")
	writeFile(t, f, "abc", 0o644)
	cmd := exec.Command(os.Args[0], "-test.run=^TestRewriteLockEndsWithProcess$")
	cmd.Env = append(os.Environ(), "XDM_LOCK_HOLDER="+f)
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 7)
	if _, err := io.ReadFull(stdout, buf); err != nil || string(buf) != "locked\n" {
		t.Fatalf("holder did not lock: %q %v", buf, err)
	}
	if _, err := Begin(RewriteOptions{Input: f}); !errors.Is(err, ErrBusy) {
		t.Fatalf("while the holder runs: %v", err)
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	r, err := Begin(RewriteOptions{Input: f})
	if err != nil {
		t.Fatalf("after the holder was killed: %v", err)
	}
	r.Close()
}

// Windows refuses to rename over an open file: Commit must close the input
// first.
func TestRewriteClosesInputBeforeRename(t *testing.T) {
	EmulateWindowsRename(t)
	dir := t.TempDir()
	f := filepath.Join(dir, "journal.txt")
	writeFile(t, f, "abc", 0o644)
	r, err := Begin(RewriteOptions{Input: f})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rewriteUpper(t, r)
	if readFile(t, f) != "ABC" {
		t.Fatal(readFile(t, f))
	}

	// The double must refuse while a handle is open, or it proves nothing.
	writeFile(t, f, "abc", 0o644)
	held, err := os.Open(f)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	af, err := Create(f, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := af.Commit(); err == nil {
		t.Fatal("the Windows double renamed over an open file")
	}
}

func TestRewriteRetriesTransientRenameRefusal(t *testing.T) {
	refusals := 2
	old := rename
	rename = func(from, to string) error {
		if refusals > 0 {
			refusals--
			return &os.LinkError{Op: "rename", Old: from, New: to, Err: syscall.EBUSY}
		}
		return old(from, to)
	}
	defer func() { rename = old }()
	dir := t.TempDir()
	f := filepath.Join(dir, "a")
	writeFile(t, f, "abc", 0o644)
	r, err := Begin(RewriteOptions{Input: f})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rewriteUpper(t, r)
	if refusals != 0 || readFile(t, f) != "ABC" {
		t.Fatalf("refusals left %d, file %q", refusals, readFile(t, f))
	}
}

func TestRewriteCloseWithoutCommitChangesNothing(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "a")
	writeFile(t, f, "abc", 0o644)
	r, err := Begin(RewriteOptions{Input: f})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := r.Output()
	out.Write([]byte("partial"))
	r.Close()
	if readFile(t, f) != "abc" {
		t.Fatal("the input changed")
	}
	assertNoLeftovers(t, dir, "a")

	// Nothing written: Commit leaves the file and makes no .orig.
	r, err = Begin(RewriteOptions{Input: f})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Commit(); err != nil {
		t.Fatal(err)
	}
	assertNoLeftovers(t, dir, "a")
}

func TestRewriteInPlaceNeedsRegularFile(t *testing.T) {
	if _, err := Begin(RewriteOptions{Input: os.DevNull}); !errors.Is(err, ErrNotRegular) {
		t.Fatalf("in place of %s: %v", os.DevNull, err)
	}
	if _, err := Begin(RewriteOptions{}); !errors.Is(err, ErrNoInput) {
		t.Fatalf("no input and no output: %v", err)
	}
}

// assertNoLeftovers checks that dir holds exactly names: no temporary file,
// no lock file.
func assertNoLeftovers(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Fatalf("folder holds %v, want %v", got, names)
	}
}

// Links are followed to the file a chain of relative links ends at; a
// loop is an error, not a hang.
func TestRewriteFollowsRelativeLinkChain(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(sub, "data.txt"), "abc", 0o644)
	if err := os.Symlink("sub/data.txt", filepath.Join(dir, "a")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a", filepath.Join(dir, "b")); err != nil {
		t.Fatal(err)
	}
	r, err := Begin(RewriteOptions{Input: filepath.Join(dir, "b")})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Target() != filepath.Join(sub, "data.txt") {
		t.Fatalf("target %q", r.Target())
	}
	rewriteUpper(t, r)
	if readFile(t, filepath.Join(sub, "data.txt")) != "ABC" || readFile(t, filepath.Join(sub, "data.txt.orig")) != "abc" {
		t.Fatal("the file the links lead to was not rewritten")
	}
	os.Symlink("loop2", filepath.Join(dir, "loop1"))
	os.Symlink("loop1", filepath.Join(dir, "loop2"))
	if _, err := Begin(RewriteOptions{Input: filepath.Join(sub, "data.txt"), Output: filepath.Join(dir, "loop1")}); err == nil {
		t.Fatal("a loop of links was accepted")
	}
}

// A file name near the system's limit still gets its temporary and lock
// files (their names are shortened); two long names that share their start
// do not share a lock.
func TestRewriteLongFileName(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("ä", 118) // 236 bytes: room for .orig, none for a prefix and suffix
	a, b := filepath.Join(dir, long+"a.txt"), filepath.Join(dir, long+"b.txt")
	writeFile(t, a, "abc", 0o644)
	writeFile(t, b, "def", 0o644)
	ra, err := Begin(RewriteOptions{Input: a})
	if err != nil {
		t.Fatal(err)
	}
	defer ra.Close()
	rb, err := Begin(RewriteOptions{Input: b})
	if err != nil {
		t.Fatalf("a second long name that shares the first's start: %v", err)
	}
	defer rb.Close()
	rewriteUpper(t, ra)
	rewriteUpper(t, rb)
	if readFile(t, a) != "ABC" || readFile(t, a+".orig") != "abc" || readFile(t, b) != "DEF" {
		t.Fatal("long names not rewritten")
	}
	assertNoLeftovers(t, dir, long+"a.txt", long+"a.txt.orig", long+"b.txt", long+"b.txt.orig")

	// A name with no room for .orig fails before anything is written.
	tooLong := filepath.Join(dir, strings.Repeat("x", 252))
	writeFile(t, tooLong, "abc", 0o644)
	if _, err := Begin(RewriteOptions{Input: tooLong}); err == nil {
		t.Fatal("no room for NAME.orig, but Begin went ahead")
	}
	if readFile(t, tooLong) != "abc" {
		t.Fatal("changed")
	}
}

func TestRewriteBackupExistsIsItsOwnError(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "a")
	writeFile(t, f, "abc", 0o644)
	writeFile(t, f+".orig", "first", 0o644)
	r, err := Begin(RewriteOptions{Input: f})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	err = r.Check()
	if !errors.Is(err, ErrBackupExists) || !errors.Is(err, ErrExists) || !errors.Is(err, fs.ErrExist) {
		t.Fatalf("Check = %v", err)
	}
	out := filepath.Join(dir, "out")
	writeFile(t, out, "x", 0o644)
	r2, err := Begin(RewriteOptions{Input: f, Output: out})
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	if err := r2.Check(); errors.Is(err, ErrBackupExists) || !errors.Is(err, ErrExists) {
		t.Fatalf("an existing output is not a backup: %v", err)
	}
}
