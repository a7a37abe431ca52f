package atlas

import (
	"context"
	"io"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
)

// ReadFile parses the atlas.xml at path. ctx ends an open that waits (a
// named pipe without a writer).
func ReadFile(ctx context.Context, path string) (*File, error) {
	in, err := atomicfile.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	data, err := io.ReadAll(io.LimitReader(in, MaxSize+1))
	if err != nil {
		return nil, err
	}
	return Parse(data, path)
}

// FileOptions control SetFile. The zero value edits in place and keeps
// atlas.xml.orig.
type FileOptions struct {
	// Output is the file to write; empty edits in place.
	Output string
	// Force replaces an existing Output, or edits in place although
	// atlas.xml.orig exists (it is kept).
	Force bool
	// DryRun reports the changes and writes nothing.
	DryRun bool
}

// SetReport is what SetFile changed and wrote.
type SetReport struct {
	File    string   `json:"file"`
	Changes []Change `json:"changes"`
	// Output and Backup are the files written and kept; empty when nothing
	// was written.
	Output string `json:"output,omitempty"`
	Backup string `json:"backup,omitempty"`
}

// SetFile applies the edit to the atlas.xml at path through
// atomicfile.Rewrite: a temporary file next to the target, synced and
// renamed into place, the original kept as atlas.xml.orig when editing in
// place. Nothing is written when nothing changes, on DryRun, or on any
// error (a file that is not well-formed is refused with its line and
// column).
func SetFile(ctx context.Context, path string, e Edit, opts FileOptions) (*SetReport, error) {
	rep := &SetReport{File: path, Changes: []Change{}}
	rw, err := atomicfile.BeginContext(ctx, atomicfile.RewriteOptions{Input: path, Output: opts.Output, Force: opts.Force})
	if err != nil {
		return rep, err
	}
	defer rw.Close()
	data, err := io.ReadAll(io.LimitReader(rw.Input(), MaxSize+1))
	if err != nil {
		return rep, err
	}
	f, err := Parse(data, path)
	if err != nil {
		return rep, err
	}
	changes, err := f.Apply(e)
	if err != nil {
		return rep, err
	}
	rep.Changes = append(rep.Changes, changes...)
	if len(changes) == 0 || opts.DryRun {
		return rep, nil
	}
	out, err := rw.Output()
	if err != nil {
		return rep, err
	}
	if _, err := out.Write(f.Bytes()); err != nil {
		return rep, err
	}
	if err := rw.Commit(); err != nil {
		return rep, err
	}
	rep.Output, rep.Backup = rw.Target(), rw.Backup()
	return rep, nil
}
