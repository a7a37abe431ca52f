package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// Dir is a temporary folder that becomes Path on Commit: for commands whose
// output is a whole folder (xphone convert).
type Dir struct {
	Temp string // write the content here
	Path string // the final name

	force bool
	done  bool
}

// CreateDir starts writing folder path. An existing path that is not an empty
// folder is refused unless force is set; with force it is replaced on Commit.
func CreateDir(path string, force bool) (*Dir, error) {
	if err := checkDirTarget(path, force); err != nil {
		return nil, err
	}
	parent, base := filepath.Split(filepath.Clean(path))
	if parent == "" {
		parent = "."
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".xdm-tmp-*")
	if err != nil {
		return nil, fmt.Errorf("creating temporary folder next to %s: %w", path, err)
	}
	return &Dir{Temp: tmp, Path: path, force: force}, nil
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
	if err := checkDirTarget(d.Path, d.force); err != nil {
		_ = os.RemoveAll(d.Temp)
		return err
	}
	old := ""
	if _, err := os.Lstat(d.Path); err == nil {
		old = d.Temp + ".old"
		if err := os.Rename(d.Path, old); err != nil {
			_ = os.RemoveAll(d.Temp)
			return err
		}
	}
	if err := os.Rename(d.Temp, d.Path); err != nil {
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
}
