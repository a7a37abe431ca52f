package journal

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
)

// FileOptions control FixFile. The zero value fixes the file in place.
type FileOptions struct {
	Options
	// Output is the file to write; empty fixes the journal in place and
	// keeps the original as JOURNAL.orig.
	Output string
	// Force replaces an existing Output (or JOURNAL.orig when fixing in place).
	Force bool
	// DryRun reads the whole journal and reports, but writes nothing.
	DryRun bool
}

// ErrBusy is returned by FixFile when another process is writing the same
// file.
var ErrBusy = atomicfile.ErrBusy

// FixFile fixes the journal at path. The result is written to a temporary
// file in the destination folder, synced and renamed into place only when
// the whole journal was fixed without error; when no record needs the fix
// nothing is written at all (the report then has Fixes() == 0). On any error
// or cancellation the destination and the journal are left as they were.
//
// An Output that is the journal itself (the same path, a hard link or a
// symbolic link to it) fixes it in place. In place, the original is kept as
// JOURNAL.orig; an existing JOURNAL.orig is never replaced. A second run on
// the same file at the same time fails with an error matching ErrBusy; an
// existing output (or JOURNAL.orig) without Force, one matching fs.ErrExist.
func FixFile(ctx context.Context, path string, opts FileOptions) (Report, error) {
	if opts.Name == "" {
		opts.Name = path
	}
	if opts.DryRun {
		in, err := atomicfile.Open(ctx, path)
		if err != nil {
			return Report{Name: opts.Name}, err
		}
		defer in.Close()
		return Fix(ctx, in, io.Discard, opts.Options)
	}
	rw, err := atomicfile.BeginContext(ctx, atomicfile.RewriteOptions{Input: path, Output: opts.Output, Force: opts.Force})
	if err != nil {
		return Report{Name: opts.Name}, err
	}
	defer rw.Close()

	// Until the first fix the output equals the input: create and write
	// nothing until then, so a journal that needs no fix costs no disk space
	// and never touches the destination (or JOURNAL.orig).
	lw := rw.LazyOutput()
	o := opts.Options
	o.onChange = lw.ChangeAt
	rep, err := Fix(ctx, rw.Input(), lw, o)
	if out := lw.File(); out != nil {
		rep.Warnings = append(rep.Warnings, staleTempFiles(out)...)
	}
	if err != nil {
		return rep, err
	}
	if rep.Fixes() == 0 {
		rep.Written = 0
		return rep, nil
	}
	if err := rw.Commit(); err != nil {
		return rep, err
	}
	rep.Output, rep.Backup = rw.Target(), rw.Backup()
	return rep, nil
}

// staleTempFiles warns about temporary files that a killed run left next to
// the destination (they are never under the final name, but take space).
func staleTempFiles(out *atomicfile.File) []string {
	dir, base := filepath.Split(out.Path)
	if dir == "" {
		dir = "."
	}
	if strings.ContainsAny(base, `*?[\`) {
		return nil
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "."+base+".xdm-tmp-*"))
	var warns []string
	for _, m := range matches {
		if filepath.Clean(m) != filepath.Clean(out.Name()) { // "./.j.txt…" and ".j.txt…" name one file
			warns = append(warns, fmt.Sprintf("%s is left over from an interrupted run; delete it when no xdm is running", m))
		}
	}
	return warns
}
