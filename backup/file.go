package backup

import (
	"context"
	"io"
	"os"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
)

// FileOptions control FixFile. The zero value fixes the archive in place
// (keeping NAME.orig) with no fix chosen.
type FileOptions struct {
	Options
	// Output is the archive to write; empty fixes the input in place and
	// keeps the original as NAME.orig.
	Output string
	// Force replaces an existing Output (or, in place, rewrites although
	// NAME.orig exists; it is kept).
	Force bool
}

// ErrBusy is returned by FixFile when another process is rewriting the
// same file.
var ErrBusy = atomicfile.ErrBusy

// FixFile fixes the archive at path through atomicfile.Rewrite: the new
// archive is written to a temporary file next to the destination, its
// changed members' headers patched in place, synced and renamed into place
// only when the whole archive was written without error; on any error,
// collision or cancellation the destination is untouched. When no member
// changed, nothing is written (Report.Output is then empty). An existing
// output or NAME.orig without Force is an error matching fs.ErrExist,
// returned before the archive is copied, unless the chosen fixes would
// change nothing (a run repeated after it fixed the archive): Inspect, which
// seeks over the members no fix reads, decides that.
func FixFile(ctx context.Context, path string, opts FileOptions) (*Report, error) {
	if opts.Name == "" {
		opts.Name = path
	}
	rw, err := atomicfile.Begin(atomicfile.RewriteOptions{Input: path, Output: opts.Output, Force: opts.Force})
	if err != nil {
		return &Report{Archive: opts.Name}, err
	}
	defer rw.Close()
	if refused := rw.Check(); refused != nil {
		return unchangedOr(ctx, rw.Input(), opts.Options, refused)
	}
	out, err := rw.Output()
	if err != nil {
		return &Report{Archive: opts.Name}, err
	}
	if opts.TempDir == "" {
		opts.TempDir = dirOf(out.Name())
	}
	rep, err := Fix(ctx, rw.Input(), out, opts.Options)
	if err != nil {
		return rep, err
	}
	if len(rep.Changed) == 0 {
		rep.Written = 0
		return rep, nil // Close removes the temporary file
	}
	if err := rw.Commit(); err != nil {
		return rep, err
	}
	rep.Output, rep.Backup = rw.Target(), rw.Backup()
	return rep, nil
}

// unchangedOr returns the report of a run that changes nothing when the
// archive in needs none of the chosen fixes and reads without a warning
// (Inspect is lenient where Fix is strict), and refused otherwise.
func unchangedOr(ctx context.Context, in io.Reader, opts Options, refused error) (*Report, error) {
	rep, err := Inspect(ctx, in, opts)
	if err != nil {
		return rep, err
	}
	n, f := rep.Needs(), opts.Fixes
	if len(rep.Warnings) > 0 || (f.UCC && n.UCC > 0) || (f.Journal && n.Journal > 0) || (f.Wow64 && n.Satellites > 0) {
		return &Report{Archive: opts.Name}, refused
	}
	return rep, nil
}

func dirOf(name string) string {
	for i := len(name) - 1; i >= 0; i-- {
		if os.IsPathSeparator(name[i]) {
			return name[:i+1]
		}
	}
	return "."
}
