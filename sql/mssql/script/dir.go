package script

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/xdm-migrate/xdm/sql/mssql/catalog"
)

// MasterFile is the script ScriptDir writes to run all the others in order.
const MasterFile = "master.sql"

// ScriptDir writes the script as one file per object into the existing
// folder dir, plus MasterFile, which includes them in order with sqlcmd's
// :r. Run it from inside dir ("cd dir && sqlcmd -i master.sql"): :r paths
// are relative to the current folder.
func ScriptDir(ctx context.Context, dir string, snap *catalog.Snapshot, opts Options) (*Report, error) {
	out := &dirOutput{dir: dir}
	rep, err := run(ctx, out, snap, opts)
	if cerr := out.close(); err == nil {
		err = cerr
	}
	if rep != nil {
		rep.Files = append([]string{MasterFile}, out.files...)
	}
	return rep, err
}

type dirOutput struct {
	dir   string
	files []string
	f     *os.File
	w     *bufio.Writer
}

func (o *dirOutput) object(kind, name string) (io.Writer, error) {
	if err := o.close(); err != nil {
		return nil, err
	}
	fn := fileName(len(o.files), kind, name)
	f, err := os.Create(filepath.Join(o.dir, fn))
	if err != nil {
		return nil, err
	}
	o.f, o.w = f, bufio.NewWriterSize(f, 64<<10)
	o.files = append(o.files, fn)
	return o.w, nil
}

func (o *dirOutput) close() error {
	if o.f == nil {
		return nil
	}
	err := o.w.Flush()
	if err == nil {
		err = o.f.Sync()
	}
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	o.f, o.w = nil, nil
	return err
}

func (o *dirOutput) finish() error {
	if err := o.close(); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("-- Master script written by xdm: run it from this folder, e.g. sqlcmd -b -f 65001 -i " + MasterFile + nl)
	for _, fn := range o.files {
		b.WriteString(":r \"" + fn + "\"" + nl)
	}
	return os.WriteFile(filepath.Join(o.dir, MasterFile), []byte(b.String()), 0o644)
}
