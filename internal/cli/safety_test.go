package cli

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
)

// rewriter is a command that rewrites a file: in place, or to -o OUT.
type rewriter struct {
	name  string
	file  string // the input's name
	input string // content that needs the rewrite
	// args returns the command line that writes in's result to out ("" for
	// in place, where the command has such a form).
	args func(in, out string) []string
	// inPlaceFlagless: the command rewrites in place without -o.
	inPlaceFlagless bool
}

func journalSample(t *testing.T) string {
	b, err := os.ReadFile("../../testdata/infotool/journal.txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func rewriters(t *testing.T) []rewriter {
	withOut := func(args []string, out string) []string {
		if out != "" {
			args = append(args, "-o", out)
		}
		return args
	}
	return []rewriter{
		{"journal fix", "journal.txt", journalSample(t), func(in, out string) []string {
			return withOut([]string{"journal", "fix", "-q", in}, out)
		}, true},
		{"ucc lowercase --dump", "dump.sql", uccSmallDump, func(in, out string) []string {
			return withOut([]string{"ucc", "lowercase", "-q", "--dump", in}, out)
		}, true},
		{"sql downgrade", "script.sql", script2019, func(in, out string) []string {
			return []string{"sql", "downgrade", "-q", in, "--target", "2017", "-o", out}
		}, false},
		{"infotool export", "journal.txt", journalSample(t), func(in, out string) []string {
			return []string{"infotool", "export", "-q", in, "--to", "ndjson", "-o", out}
		}, false},
		{"reg wow64", "xpr.reg", readFile(t, "../../testdata/reg/xpr-v5.reg"), func(in, out string) []string {
			return withOut([]string{"reg", "wow64", "-q", in}, out)
		}, true},
		{"reg rename-host", "node.reg", readFile(t, "../../testdata/reg/cluster-node.reg"), func(in, out string) []string {
			return withOut([]string{"reg", "rename-host", "-q", in, "--from", "TLCLKN1", "--to", "XPRCLUSTER"}, out)
		}, true},
	}
}

// inPlaceArgs is the command line that rewrites path in place: without -o
// where the command has that form, else with -o naming the path itself.
func (r rewriter) inPlaceArgs(path string) []string {
	if r.inPlaceFlagless {
		return r.args(path, "")
	}
	return r.args(path, path)
}

func writeMode(t *testing.T, path, content string, mode fs.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func modeOf(t *testing.T, path string) fs.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

// TestInPlaceRewrites runs every command that can rewrite its input in
// place, in each way an administrator may ask for it, and checks the
// original is never lost: the file's own name, -o naming the input, a hard
// link or a symbolic link to it; mode kept; a --force re-run keeps the
// first original; Windows' rule for renames.
func TestInPlaceRewrites(t *testing.T) {
	for _, rw := range rewriters(t) {
		t.Run(rw.name, func(t *testing.T) {
			check := func(t *testing.T, code int, stderr, realFile, orig string) string {
				t.Helper()
				if code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				got := readFile(t, realFile)
				if got == rw.input {
					t.Fatalf("%s was not rewritten", realFile)
				}
				if readFile(t, orig) != rw.input {
					t.Fatalf("%s is not the original", orig)
				}
				return got
			}

			t.Run("same name, mode kept", func(t *testing.T) {
				dir := t.TempDir()
				f := filepath.Join(dir, rw.file)
				writeMode(t, f, rw.input, 0o640)
				code, _, stderr := runCLI(t, rw.inPlaceArgs(f)...)
				check(t, code, stderr, f, f+".orig")
				if m := modeOf(t, f); m != 0o640 {
					t.Errorf("mode %v after the rewrite, want the original's 0640", m)
				}
			})

			t.Run("-o naming the input", func(t *testing.T) {
				dir := t.TempDir()
				f := filepath.Join(dir, rw.file)
				writeMode(t, f, rw.input, 0o644)
				code, _, stderr := runCLI(t, rw.args(f, f)...)
				check(t, code, stderr, f, f+".orig")
			})

			t.Run("-o a hard link to the input", func(t *testing.T) {
				dir := t.TempDir()
				f, link := filepath.Join(dir, rw.file), filepath.Join(dir, "link-"+rw.file)
				writeMode(t, f, rw.input, 0o644)
				if err := os.Link(f, link); err != nil {
					t.Skip(err)
				}
				code, _, stderr := runCLI(t, append(rw.args(f, link), "--force")...)
				check(t, code, stderr, link, link+".orig")
			})

			t.Run("a symbolic link to the input", func(t *testing.T) {
				dir := t.TempDir()
				real := filepath.Join(dir, "real", rw.file)
				os.Mkdir(filepath.Dir(real), 0o755)
				writeMode(t, real, rw.input, 0o644)
				link := filepath.Join(dir, rw.file)
				if err := os.Symlink(filepath.Join("real", rw.file), link); err != nil {
					t.Skip(err)
				}
				code, _, stderr := runCLI(t, rw.inPlaceArgs(link)...)
				check(t, code, stderr, real, real+".orig")
				if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
					t.Error("the symbolic link was replaced")
				}
				// -o the link, the input by its real name: in place too.
				writeMode(t, real, rw.input, 0o644)
				os.Remove(real + ".orig")
				code, _, stderr = runCLI(t, rw.args(real, link)...)
				check(t, code, stderr, real, real+".orig")
			})

			t.Run("--force re-run keeps the first original", func(t *testing.T) {
				dir := t.TempDir()
				f := filepath.Join(dir, rw.file)
				writeMode(t, f, rw.input, 0o644)
				code, _, stderr := runCLI(t, rw.inPlaceArgs(f)...)
				first := check(t, code, stderr, f, f+".orig")
				// Without --force a second run may not write: .orig is the
				// only copy of the original.
				writeMode(t, f, rw.input, 0o644)
				code, _, stderr = runCLI(t, rw.inPlaceArgs(f)...)
				if code != ExitUsage || !strings.Contains(stderr, ".orig") {
					t.Errorf("second run without --force: exit %d, %s; want 2 naming the .orig", code, stderr)
				}
				// With --force it rewrites the file again; .orig stays the first original.
				code, _, stderr = runCLI(t, append(rw.inPlaceArgs(f), "--force")...)
				if got := check(t, code, stderr, f, f+".orig"); got != first {
					t.Errorf("the forced re-run wrote something else")
				}
				// And once more on its own output.
				runCLI(t, append(rw.inPlaceArgs(f), "--force")...)
				if readFile(t, f+".orig") != rw.input {
					t.Fatal("a --force re-run on the rewritten file replaced .orig")
				}
			})

			t.Run("Windows renames", func(t *testing.T) {
				atomicfile.EmulateWindowsRename(t)
				dir := t.TempDir()
				f := filepath.Join(dir, rw.file)
				writeMode(t, f, rw.input, 0o644)
				code, _, stderr := runCLI(t, rw.inPlaceArgs(f)...)
				check(t, code, stderr, f, f+".orig")
				if names := dirNames(t, dir); len(names) != 2 {
					t.Errorf("files left: %v", names)
				}
			})

			t.Run("new output follows the umask", func(t *testing.T) {
				if runtime.GOOS == "windows" {
					t.Skip("no umask")
				}
				dir := t.TempDir()
				f, out := filepath.Join(dir, rw.file), filepath.Join(dir, "out")
				writeMode(t, f, rw.input, 0o600)
				code, _, stderr := runCLI(t, rw.args(f, out)...)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				if m, want := modeOf(t, out), 0o666&^currentUmask(); m != want {
					t.Errorf("new output has mode %v, want %v (0666 less the umask)", m, want)
				}
				if _, err := os.Stat(f + ".orig"); err == nil {
					t.Error("a rewrite to another file kept a .orig")
				}
			})
		})
	}
}

// TestExistingOutputIsExit2Everywhere: an output that exists is a matter
// of the command line (exit 2, advice to use --force), checked before any
// work, and left as it was.
func TestExistingOutputIsExit2Everywhere(t *testing.T) {
	dir := t.TempDir()
	journal := filepath.Join(dir, "journal.txt")
	writeMode(t, journal, journalSample(t), 0o644)
	dump := filepath.Join(dir, "dump.sql")
	writeMode(t, dump, uccSmallDump, 0o644)
	script := filepath.Join(dir, "script.sql")
	writeMode(t, script, script2019, 0o644)
	out := filepath.Join(dir, "existing")
	outDir := filepath.Join(dir, "existing-dir")
	os.Mkdir(outDir, 0o755)
	writeMode(t, filepath.Join(outDir, "keep"), "keep", 0o644)
	for _, args := range [][]string{
		{"journal", "fix", journal, "-o", out},
		{"ucc", "lowercase", "--dump", dump, "-o", out},
		{"sql", "downgrade", script, "-o", out},
		{"infotool", "export", journal, "--to", "csv", "-o", out},
		{"sql", "script", "--from-snapshot", xphoneSnapshot, "--target", "2014", "-o", out},
		{"sql", "script", "--from-snapshot", xphoneSnapshot, "--target", "2014", "--split-dir", outDir},
		{"sql", "catalog", "-S", "127.0.0.1,1", "-d", "XPDATA", "-o", out},
		{"xphone", "convert", sampleExport, "-o", outDir},
		{"reg", "wow64", "../../testdata/reg/xpr-v5.reg", "-o", out},
		{"reg", "rename-host", "../../testdata/reg/cluster-node.reg", "--from", "TLCLKN1", "--to", "XPRCLUSTER", "-o", out},
		{"reg", "set", "disable-user-tos", "-o", out},
	} {
		writeMode(t, out, "keep", 0o644)
		code, _, stderr := runCLI(t, args...)
		if code != ExitUsage || !strings.Contains(stderr, "already exists") || !strings.Contains(stderr, "--force") {
			t.Errorf("xdm %s: exit %d, %q; want 2, the output named, --force advised", strings.Join(args, " "), code, stderr)
		}
		if readFile(t, out) != "keep" || readFile(t, filepath.Join(outDir, "keep")) != "keep" {
			t.Fatalf("xdm %s changed the existing output", strings.Join(args, " "))
		}
	}
}

// TestFolderOutputNeverReplacesItsInput: xphone convert with -o naming the
// export folder or a folder above it is refused, even with --force.
func TestFolderOutputNeverReplacesItsInput(t *testing.T) {
	dir := t.TempDir()
	export := filepath.Join(dir, "export")
	if err := os.CopyFS(export, os.DirFS(sampleExport)); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{export, dir} {
		code, _, stderr := runCLI(t, "xphone", "convert", export, "-o", out, "--force")
		if code != ExitUsage || !strings.Contains(stderr, "holds the input") {
			t.Errorf("-o %s: exit %d, %s", out, code, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(export, "users.csv")); err != nil {
		t.Fatal("the export was touched:", err)
	}
}
