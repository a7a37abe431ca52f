package journal

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/xdm-migrate/xdm/internal/testgen/infotoolgen"
)

// BenchmarkFileCopy compares, on a generated 256 MiB journal in the page
// cache, the fix of file to file without the final sync (Fix into an
// *os.File) with a plain copy of the same file (io.Copy between files, which
// like GNU cp copies inside the kernel with copy_file_range), and the same
// two with the sync: the copy followed by fsync, and FixFile as the command
// runs it (temporary file, early write-back, sync, rename):
//
//	go test -run XXX -bench FileCopy -benchtime 5x ./journal
func BenchmarkFileCopy(b *testing.B) {
	dir := b.TempDir()
	in := filepath.Join(dir, "journal.txt")
	f, err := os.Create(in)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := infotoolgen.WriteJournal(f, infotoolgen.Options{Size: 256 << 20}); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(in)
	out := filepath.Join(dir, "out.txt")
	run := func(name string, fn func() error) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(st.Size())
			for b.Loop() {
				b.StopTimer()
				_ = os.Remove(out)
				b.StartTimer()
				if err := fn(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	streams := func(copy func(w *os.File, r *os.File) error) func() error {
		return func() error {
			r, err := os.Open(in)
			if err != nil {
				return err
			}
			defer r.Close()
			w, err := os.Create(out)
			if err != nil {
				return err
			}
			if err := copy(w, r); err != nil {
				w.Close()
				return err
			}
			return w.Close()
		}
	}
	run("copy", streams(func(w, r *os.File) error { _, err := io.Copy(w, r); return err }))
	run("copy+sync", streams(func(w, r *os.File) error {
		if _, err := io.Copy(w, r); err != nil {
			return err
		}
		return w.Sync()
	}))
	run("fix-nosync", streams(func(w, r *os.File) error {
		_, err := Fix(context.Background(), r, w, Options{})
		return err
	}))
	run("FixFile", func() error {
		_, err := FixFile(context.Background(), in, FileOptions{Output: out, Force: true})
		return err
	})
}
