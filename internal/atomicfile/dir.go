package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Dir is a temporary folder that becomes Path on Commit: for commands whose
// output is a whole folder (xphone convert, sql script --split-dir). It
// follows the rules of Rewrite that apply to folders:
//
//   - The content is written to a temporary folder next to Path and renamed
//     into place only by Commit.
//   - An existing Path that is not an empty folder is refused without Force;
//     with Force it is replaced on Commit.
//   - A Path that is the input folder, or holds the input or the working
//     folder, is refused even with Force: replacing it would delete what the
//     run reads, or the folder the user works in.
//   - A second xdm writing the same Path at the same time is refused
//     (ErrBusy) for the whole run.
type Dir struct {
	Temp string // write the content here
	Path string // the final name

	force bool
	lock  *lock
	done  bool
}

// DirOptions say what a command writes as a folder.
type DirOptions struct {
	// Input is the file or folder the output is made from; empty when there
	// is none.
	Input string
	// Output is the folder to write.
	Output string
	// Force allows replacing an existing, non-empty Output.
	Force bool
}

// ErrHoldsInput is returned when an output folder is, or holds, the input or
// the working folder: replacing it would delete them.
var ErrHoldsInput = errors.New("would replace a folder that holds the input or the working folder")

// CreateDir starts writing folder path without an input: BeginDir with
// only Output and Force.
func CreateDir(path string, force bool) (*Dir, error) {
	return BeginDir(DirOptions{Output: path, Force: force})
}

// BeginDir checks the target, takes its lock and creates the temporary
// folder. Call Abort when done (it does nothing after Commit); defer it
// right away.
func BeginDir(opts DirOptions) (*Dir, error) {
	path, err := realPath(opts.Output)
	if err != nil {
		return nil, err
	}
	if err := checkHolds(path, opts.Input); err != nil {
		return nil, err
	}
	if err := checkDirTarget(path, opts.Force); err != nil {
		return nil, err
	}
	parent, base := filepath.Split(filepath.Clean(path))
	if parent == "" {
		parent = "."
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	l, err := acquire(filepath.Clean(path))
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+shortName(base)+".xdm-tmp-*")
	if err != nil {
		l.release()
		return nil, fmt.Errorf("creating temporary folder next to %s: %w", path, err)
	}
	return &Dir{Temp: tmp, Path: path, force: opts.Force, lock: l}, nil
}

// checkHolds refuses an output folder that is, or holds, the input or the
// working folder.
func checkHolds(out, input string) error {
	outInfo, err := os.Stat(out)
	if err != nil || !outInfo.IsDir() {
		return nil // nothing there yet (or a file): it holds nothing
	}
	wd, _ := os.Getwd()
	for _, p := range []string{input, wd} {
		if p != "" && within(p, outInfo) {
			return fmt.Errorf("%s: %w", out, ErrHoldsInput)
		}
	}
	return nil
}

// within reports whether path is the folder dir or lies inside it. It
// compares the folders on the way up by identity, not by name, so that case
// (Windows), links and relative names do not matter.
func within(path string, dir os.FileInfo) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	for p := abs; ; {
		if st, err := os.Stat(p); err == nil && os.SameFile(st, dir) {
			return true
		}
		parent := filepath.Dir(p)
		if parent == p {
			return false
		}
		p = parent
	}
}

func checkDirTarget(path string, force bool) error {
	entries, err := os.ReadDir(path)
	switch {
	case os.IsNotExist(err):
		return nil
	case err != nil:
		if force {
			return nil
		}
		return fmt.Errorf("%s: %w", path, ErrExists)
	case len(entries) > 0 && !force:
		return fmt.Errorf("%s is not empty: %w", path, ErrExists)
	}
	return nil
}

// Commit moves the finished folder to Path, replacing what was there (only
// possible when the target was empty or force was given).
func (d *Dir) Commit() error {
	if d.done {
		return fmt.Errorf("atomicfile: commit after commit or abort")
	}
	d.done = true
	defer d.unlock()
	if err := checkDirTarget(d.Path, d.force); err != nil {
		_ = os.RemoveAll(d.Temp)
		return err
	}
	// The temporary folder is private (0700) while it is written; the
	// result gets the mode of any new folder.
	_ = os.Chmod(d.Temp, newDirMode())
	old := ""
	if _, err := os.Lstat(d.Path); err == nil {
		old = d.Temp + ".old"
		if err := renameRetrying(d.Path, old); err != nil {
			_ = os.RemoveAll(d.Temp)
			return err
		}
	}
	if err := renameRetrying(d.Temp, d.Path); err != nil {
		if old != "" {
			_ = os.Rename(old, d.Path)
		}
		_ = os.RemoveAll(d.Temp)
		return fmt.Errorf("writing %s: %w", d.Path, err)
	}
	if old != "" {
		_ = os.RemoveAll(old)
	}
	syncDir(filepath.Dir(d.Path))
	return nil
}

// Abort removes the temporary folder; safe after Commit.
func (d *Dir) Abort() {
	if d.done {
		return
	}
	d.done = true
	_ = os.RemoveAll(d.Temp)
	d.unlock()
}

func (d *Dir) unlock() {
	if d.lock != nil {
		d.lock.release()
		d.lock = nil
	}
}
