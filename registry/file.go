package registry

import (
	"context"
	"io"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
)

// FileOptions say which file a *File function writes. The zero value
// rewrites the input in place and keeps the original as FILE.orig.
type FileOptions struct {
	// Output is the file to write; empty (or the input itself) rewrites the
	// input in place.
	Output string
	// Force replaces an existing Output; in place, it rewrites the file
	// even when FILE.orig exists (which is kept, never replaced).
	Force bool
	// DryRun reads the whole file and reports, but writes nothing.
	DryRun bool
}

// Written says where a *File function wrote: nothing (Output empty) when
// nothing changed, on a dry run or after an error.
type Written struct {
	Output string `json:"output,omitempty"`
	// Backup is the original kept by an in-place rewrite.
	Backup string `json:"backup,omitempty"`
}

// ErrBusy is returned when another xdm is rewriting the same file.
var ErrBusy = atomicfile.ErrBusy

// Wow64File runs Wow64 on the file at path (see FileOptions). The result is
// written to a temporary file in the target's folder and renamed into place
// only when the whole file was read without error and a key moved; when no
// key moves nothing is written. On any error or cancellation the file is
// left as it was. An existing output (or FILE.orig) without Force is refused
// with an error matching fs.ErrExist.
func Wow64File(ctx context.Context, path string, opts Wow64Options, fo FileOptions) (rep Wow64Report, _ Written, err error) {
	if opts.Name == "" {
		opts.Name = path
	}
	onMove := opts.OnMove
	written, err := rewriteFile(ctx, path, fo, func(r io.Reader, w *atomicfile.LazyOutput) error {
		opts.OnMove = func(m Move) {
			w.Change()
			if onMove != nil {
				onMove(m)
			}
		}
		rep, err = Wow64(ctx, r, w, opts)
		return err
	})
	return rep, written, err
}

// RenameHostFile runs RenameHost on the file at path, writing as Wow64File
// does: nothing when nothing changes.
func RenameHostFile(ctx context.Context, path string, opts RenameOptions, fo FileOptions) (rep RenameReport, _ Written, err error) {
	if opts.Name == "" {
		opts.Name = path
	}
	onChange := opts.OnChange
	written, err := rewriteFile(ctx, path, fo, func(r io.Reader, w *atomicfile.LazyOutput) error {
		opts.OnChange = func(c Change) {
			w.Change()
			if onChange != nil {
				onChange(c)
			}
		}
		rep, err = RenameHost(ctx, r, w, opts)
		return err
	})
	return rep, written, err
}

// rewriteFile runs a rewrite of the file at path through atomicfile: run
// reads the input and writes to the lazy output, which creates the output
// only once run announces a change.
func rewriteFile(ctx context.Context, path string, fo FileOptions, run func(io.Reader, *atomicfile.LazyOutput) error) (Written, error) {
	if fo.DryRun {
		in, err := atomicfile.Open(ctx, path)
		if err != nil {
			return Written{}, err
		}
		defer in.Close()
		return Written{}, run(in, &atomicfile.LazyOutput{})
	}
	rw, err := atomicfile.BeginContext(ctx, atomicfile.RewriteOptions{Input: path, Output: fo.Output, Force: fo.Force})
	if err != nil {
		return Written{}, err
	}
	defer rw.Close()
	lw := rw.LazyOutput()
	if err := run(rw.Input(), lw); err != nil || !lw.Changed() {
		return Written{}, err
	}
	if err := rw.Commit(); err != nil {
		return Written{}, err
	}
	return Written{Output: rw.Target(), Backup: rw.Backup()}, nil
}
