// Package atomicfile writes files so that their final name never holds a
// partial result: output goes to a temporary file in the target's folder, is
// synced, and only then renamed into place. A file rewritten in place keeps
// its original as NAME.orig.
package atomicfile

import (
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// BackupSuffix is appended to a file's name for the original kept by an in-place rewrite.
const BackupSuffix = ".orig"

// ErrExists is returned when a destination (or the backup of an in-place
// rewrite) exists and replacing it was not allowed. It matches fs.ErrExist.
var ErrExists error = existsError{}

type existsError struct{}

func (existsError) Error() string        { return "already exists" }
func (existsError) Is(target error) bool { return target == fs.ErrExist }

// ErrBackupExists is returned when an in-place rewrite finds NAME.orig and
// Force was not given: it holds the original of an earlier run, and NAME may
// be that run's result. It matches ErrExists and fs.ErrExist too. With Force
// the rewrite goes ahead and NAME.orig is kept as it is.
var ErrBackupExists error = backupExistsError{}

type backupExistsError struct{}

func (backupExistsError) Error() string {
	return "already exists: the original of an earlier rewrite"
}
func (backupExistsError) Is(target error) bool { return target == fs.ErrExist || target == ErrExists }

// File is a temporary file that becomes Path on Commit.
type File struct {
	*os.File
	Path string // the final name

	backup string // non-empty: link the current Path here before the rename
	done   bool

	// written counts the bytes written; the disk write of those before
	// started has been asked for (see Write).
	written, started int64
	syncer           backgroundSync
	// writeErr is the first error of Write or ReadFrom: a file that was not
	// written in full must not be committed, even if its writer ignored the
	// error.
	writeErr error
}

// writebackStep is how much written data makes Write ask the kernel to
// start writing it to disk.
const writebackStep = 8 << 20

// Write writes p to the temporary file. Every writebackStep bytes it gets
// the new data on its way to the disk while the caller produces the rest, so
// that Commit's sync waits only for the tail: on its own, the sync of a 1 GB
// output took 0.55 to 0.65 s, three to four times a plain copy of the file,
// and the disk is the slowest part of a run. On Linux it starts the write of
// the new range (sync_file_range) and, unless one is still running, a sync
// of the file in the background: a virtual disk caches what it is given and
// writes it to the host's disk only on a sync, so starting the write alone
// leaves most of the work to Commit. Elsewhere it does nothing.
func (f *File) Write(p []byte) (int, error) {
	n, err := f.File.Write(p)
	f.wrote(int64(n), err)
	return n, err
}

// WriteString is Write for a string (the one of *os.File would bypass it).
func (f *File) WriteString(s string) (int, error) {
	return f.Write([]byte(s))
}

// ReadFrom copies r to the temporary file (with copy_file_range where the
// system has it, as io.Copy would) and starts writeback like Write.
func (f *File) ReadFrom(r io.Reader) (int64, error) {
	n, err := f.File.ReadFrom(r)
	f.wrote(n, err)
	return n, err
}

func (f *File) wrote(n int64, err error) {
	if err != nil && f.writeErr == nil {
		f.writeErr = err
	}
	f.written += n
	if f.written-f.started >= writebackStep {
		startWriteback(f.File, f.started, f.written-f.started)
		f.started = f.written
		if backgroundSyncs {
			f.syncer.start(f.File)
		}
	}
}

// Create starts writing path. With force false an existing path is refused.
func Create(path string, force bool) (*File, error) {
	if !force {
		if err := mustNotExist(path); err != nil {
			return nil, err
		}
	}
	return create(path, "")
}

// CreateInPlace starts rewriting the existing file path. On Commit the
// original is kept as path+".orig" and the new content takes its name. An
// existing path+".orig" is refused unless force is set, and then kept as it
// is. Rewrite does this with a lock and symbolic links resolved: prefer it.
func CreateInPlace(path string, force bool) (*File, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	backup := path + BackupSuffix
	if !force {
		if err := mustNotExist(backup); err != nil {
			return nil, err
		}
	}
	return create(path, backup)
}

func mustNotExist(path string) error {
	_, err := os.Lstat(path)
	switch {
	case err == nil:
		return fmt.Errorf("%s: %w", path, ErrExists)
	case errors.Is(err, os.ErrNotExist):
		return nil
	default:
		return err
	}
}

func create(path, backup string) (*File, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+shortName(base)+".xdm-tmp-*")
	if err != nil {
		return nil, fmt.Errorf("creating temporary file next to %s: %w", path, err)
	}
	return &File{File: f, Path: path, backup: backup}, nil
}

// Commit syncs the data, keeps the original if asked to, and renames the
// temporary file to Path. It fails, without touching Path, if a Write or
// ReadFrom failed before. After an error the temporary file is removed and
// Path is as it was.
func (f *File) Commit() error {
	if f.done {
		return errors.New("atomicfile: commit after commit or abort")
	}
	err := f.writeErr
	if serr := f.syncer.wait(); err == nil {
		err = serr
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && f.backup != "" {
		err = keepOriginal(f.Path, f.backup)
	}
	if err == nil {
		err = renameRetrying(f.Name(), f.Path)
	}
	if err != nil {
		f.done = true
		_ = os.Remove(f.Name())
		return fmt.Errorf("writing %s: %w", f.Path, err)
	}
	f.done = true
	syncDir(filepath.Dir(f.Path))
	return nil
}

// Abort removes the temporary file. It is safe to call after Commit (then it
// does nothing), so callers can defer it.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	_ = f.syncer.wait()
	_ = f.Close()
	_ = os.Remove(f.Name())
}

// backgroundSync runs at most one sync of a file at a time in the
// background and keeps the first error: Linux reports a write-back error to
// one sync of a file descriptor only, so Commit's own sync would not see it
// again.
type backgroundSync struct {
	running atomic.Bool
	wg      sync.WaitGroup
	mu      sync.Mutex
	err     error
}

// start syncs f in the background unless a sync is still running.
func (b *backgroundSync) start(f *os.File) {
	if !b.running.CompareAndSwap(false, true) {
		return
	}
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		defer b.running.Store(false)
		if err := backgroundSyncFile(f); err != nil {
			b.mu.Lock()
			if b.err == nil {
				b.err = err
			}
			b.mu.Unlock()
		}
	}()
}

// backgroundSyncFile is the sync of the background (a variable for tests).
var backgroundSyncFile = (*os.File).Sync

// wait waits for a background sync to end and returns the first error of
// the background syncs.
func (b *backgroundSync) wait() error {
	b.wg.Wait()
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// keepOriginal makes backup a second name of path (a hard link, so no data is
// copied), or a copy where the file system has no hard links. An existing
// backup is never replaced: it is the original of an earlier run, and path
// may be that run's result (the caller refused this unless forced).
func keepOriginal(path, backup string) error {
	err := os.Link(path, backup)
	switch {
	case err == nil, errors.Is(err, fs.ErrExist):
		return nil
	}
	if _, serr := os.Lstat(backup); serr == nil {
		return nil
	}
	return copyFile(path, backup)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := Create(dst, false)
	if err != nil {
		return err
	}
	defer out.Abort()
	if _, err := io.Copy(out, in); err != nil {
		return err
	}
	return out.Commit()
}

// maxNameBytes is the longest file name that xdm derives a temporary or
// lock file's name from: with the dot, the suffix and the random digits it
// stays below the 255 bytes (Linux) or UTF-16 units (Windows) that a name
// may have.
const maxNameBytes = 200

// shortName returns base, or, for a name too long to take a prefix and a
// suffix, its start and a hash of the whole name: distinct names keep
// distinct temporary and lock files.
func shortName(base string) string {
	if len(base) <= maxNameBytes {
		return base
	}
	cut := maxNameBytes - 17
	for cut > 0 && !utf8.RuneStart(base[cut]) {
		cut--
	}
	h := fnv.New64a()
	h.Write([]byte(base))
	return fmt.Sprintf("%s-%016x", base[:cut], h.Sum64())
}

// syncDir makes a rename durable on file systems that need the folder synced;
// where folders cannot be opened or synced (Windows) it does nothing.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
