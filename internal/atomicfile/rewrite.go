package atomicfile

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Rewrite is the one way an xdm command writes a file: the input it reads,
// the output it writes and the rules that keep the original safe.
//
//   - The output is written to a temporary file in the target's folder,
//     synced, and renamed into place only by Commit.
//   - An output that is the input (the same path, a hard link or a symbolic
//     link to it) is an in-place rewrite. Symbolic links are followed: the
//     file they point to is rewritten, the link stays.
//   - In place, the original is kept as NAME.orig. An existing NAME.orig is
//     never replaced or deleted: it holds the original of an earlier run,
//     and NAME may be the result of that run. Without Force such a run is
//     refused; with Force NAME is rewritten and NAME.orig left as it is.
//   - A second xdm rewriting the same target at the same time is refused
//     (ErrBusy) for the whole run, through an operating-system lock that
//     dies with the process.
//   - The input is closed before the rename (Windows refuses to rename over
//     an open file); a rename refused because another program (a virus
//     scanner, the indexer) briefly holds the file is retried.
//   - In place, the new file gets the original's mode (and owner and group
//     where permitted); a new file gets 0666 less the umask.
type Rewrite struct {
	opts    RewriteOptions
	input   *os.File
	inPlace bool
	target  string // the real path the output takes
	lock    *lock
	out     *File
	mode    fs.FileMode
	owner   *owner
	refused error // why Output may not replace what is there, checked there
	done    bool
}

// RewriteOptions say what a command writes.
type RewriteOptions struct {
	// Input is the file the output is made from; empty when there is none
	// (a script written from a server's catalog).
	Input string
	// Output is the file to write; empty rewrites Input in place.
	Output string
	// Force allows replacing an existing Output, and rewriting in place when
	// NAME.orig exists (it is kept).
	Force bool
}

// ErrBusy is returned when another process is rewriting the same file.
var ErrBusy = errors.New("another xdm is writing this file now")

// ErrNoInput is returned for an in-place rewrite without an input.
var ErrNoInput = errors.New("nothing to rewrite in place: no input file")

// Begin opens the input, decides the target, takes the lock and checks that
// the run may replace what it will replace. Call Close when done (it aborts
// a rewrite that was not committed); defer it right away.
func Begin(opts RewriteOptions) (*Rewrite, error) {
	return BeginContext(context.Background(), opts)
}

// BeginContext is Begin with a context that ends an open of the input that
// waits (a named pipe without a writer, see Open).
func BeginContext(ctx context.Context, opts RewriteOptions) (*Rewrite, error) {
	r := &Rewrite{opts: opts}
	if err := r.begin(ctx); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

func (r *Rewrite) begin(ctx context.Context) error {
	if r.opts.Input == "" && r.opts.Output == "" {
		return ErrNoInput
	}
	var inInfo fs.FileInfo
	if r.opts.Input != "" {
		f, err := openFile(ctx, r.opts.Input)
		if err != nil {
			return err
		}
		r.input = f
		if inInfo, err = f.Stat(); err != nil {
			return err
		}
	}
	target, err := r.resolveTarget(inInfo)
	if err != nil {
		return err
	}
	r.target = target
	if r.lock, err = acquire(target); err != nil {
		return err
	}
	return r.checkReplace(inInfo)
}

// resolveTarget returns the real path the output takes and notes whether
// the rewrite is in place.
func (r *Rewrite) resolveTarget(inInfo fs.FileInfo) (string, error) {
	if r.opts.Output == "" {
		r.inPlace = true
		if !inInfo.Mode().IsRegular() {
			return "", fmt.Errorf("%s: %w", r.opts.Input, ErrNotRegular)
		}
		return realPath(r.opts.Input)
	}
	out, err := realPath(r.opts.Output)
	if err != nil {
		return "", err
	}
	if inInfo != nil {
		if outInfo, err := os.Stat(out); err == nil && os.SameFile(inInfo, outInfo) {
			r.inPlace = true
			// A hard link is the input under another name: rewrite the
			// name the user gave for the output.
		}
	}
	return out, nil
}

// ErrNotRegular is returned for an in-place rewrite of something that is
// not a regular file (a pipe, a device, a folder).
var ErrNotRegular = errors.New("not a regular file: give an output file")

// realPath follows path while it is a symbolic link and returns the name
// the link chain ends at, which need not exist yet. The folders on the way
// are left as they are: a file is the same entry in its folder whichever
// name leads to the folder, and filepath.EvalSymlinks fails on some Windows
// shares and mapped drives, where xdm must work.
func realPath(path string) (string, error) {
	for hops := 0; ; hops++ {
		st, err := os.Lstat(path)
		if err != nil || st.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		if hops == maxLinkHops {
			return "", &fs.PathError{Op: "resolve", Path: path, Err: errTooManyLinks}
		}
		dest, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(path), dest)
		}
		path = dest
	}
}

// maxLinkHops is how many symbolic links realPath follows (Linux's limit).
const maxLinkHops = 40

var errTooManyLinks = errors.New("too many levels of symbolic links")

// checkReplace notes what only Force may replace, which Output then refuses
// (a run that finds nothing to change writes nothing and is not refused),
// and the mode the output gets.
func (r *Rewrite) checkReplace(inInfo fs.FileInfo) error {
	r.mode = newFileMode()
	if r.inPlace {
		r.mode, r.owner = inInfo.Mode().Perm(), ownerOf(inInfo)
		err := mustNotExist(r.Backup())
		switch {
		case errors.Is(err, ErrExists):
			if !r.opts.Force {
				r.refused = fmt.Errorf("%s: %w", r.Backup(), ErrBackupExists)
			}
		case err != nil:
			// A name too long for NAME.orig, a folder that cannot be read:
			// better now than after the whole rewrite.
			return err
		}
		return nil
	}
	st, err := os.Stat(r.target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case st.IsDir():
		return fmt.Errorf("%s: %w", r.opts.Output, ErrIsDir)
	case !r.opts.Force:
		r.refused = fmt.Errorf("%s: %w", r.opts.Output, ErrExists)
	}
	r.mode = st.Mode().Perm()
	return nil
}

// Check returns the error Output would return because the target (or
// NAME.orig) exists: for a command that wants to refuse before it reads
// anything.
func (r *Rewrite) Check() error { return r.refused }

// ErrIsDir is returned when the output names a folder.
var ErrIsDir = errors.New("is a folder, not a file")

// Input returns the opened input file, or nil when there is none. Read it
// through this handle only: Commit closes it before the rename.
func (r *Rewrite) Input() *os.File { return r.input }

// InPlace reports whether the output replaces the input.
func (r *Rewrite) InPlace() bool { return r.inPlace }

// Target returns the path the output takes (symbolic links resolved).
func (r *Rewrite) Target() string { return r.target }

// Backup returns the name of the original kept by an in-place rewrite, or "".
func (r *Rewrite) Backup() string {
	if !r.inPlace {
		return ""
	}
	return r.target + BackupSuffix
}

// Output returns the temporary file to write, creating it on the first
// call: a command that finds nothing to change need not call it, and then
// writes nothing at all. It fails with ErrExists (fs.ErrExist) when the
// output exists, or NAME.orig in place, and Force is not set.
func (r *Rewrite) Output() (*File, error) {
	if r.out != nil {
		return r.out, nil
	}
	if r.done {
		return nil, errors.New("atomicfile: Output after Commit or Close")
	}
	if r.refused != nil {
		return nil, r.refused
	}
	f, err := create(r.target, "")
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(r.mode); err != nil {
		f.Abort()
		return nil, err
	}
	r.owner.apply(f.File)
	r.out = f
	return f, nil
}

// Commit closes the input, syncs the output, keeps the original (in place)
// and renames the output into place. Without a call to Output it only
// releases the input and the lock. After an error nothing was replaced.
func (r *Rewrite) Commit() error {
	if r.done {
		return errors.New("atomicfile: Commit after Commit or Close")
	}
	defer r.Close()
	// Windows cannot rename over a file that is open, and the input may be
	// the target.
	if err := r.closeInput(); err != nil {
		return err
	}
	if r.out == nil {
		return nil
	}
	if r.inPlace {
		r.out.backup = r.Backup()
	}
	err := r.out.Commit()
	r.done = true
	return err
}

// Close ends the run: the input is closed, an output that was not committed
// is removed, the lock is released. It is safe to call more than once and
// after Commit.
func (r *Rewrite) Close() {
	_ = r.closeInput()
	if r.out != nil {
		r.out.Abort()
	}
	r.done = true
	if r.lock != nil {
		r.lock.release()
		r.lock = nil
	}
}

func (r *Rewrite) closeInput() error {
	if r.input == nil {
		return nil
	}
	err := r.input.Close()
	r.input = nil
	return err
}

// openFile opens the input; a variable so that tests can watch handles.
var openFile = Open
