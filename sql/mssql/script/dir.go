package script

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"

	"github.com/xdm-migrate/xdm/sql/batch"
	"github.com/xdm-migrate/xdm/sql/mssql/catalog"
)

// MasterFile is the script ScriptDir writes to run all the others in order.
const MasterFile = "master.sql"

// ScriptDir writes the script as one file per object into the existing
// folder dir, plus MasterFile, which includes them in order with sqlcmd's
// :r. Run it from inside dir ("cd dir && sqlcmd -b -i master.sql"): :r
// paths are relative to the current folder. Every file, MasterFile too, is
// written in opts.Encoding.
func ScriptDir(ctx context.Context, dir string, snap *catalog.Snapshot, opts Options) (*Report, error) {
	out := &dirOutput{dir: dir, enc: opts.Encoding}
	rep, err := run(ctx, out, snap, opts)
	if cerr := out.close(); err == nil {
		err = cerr
	}
	if rep != nil {
		rep.Files = append([]string{MasterFile}, out.files...)
	}
	return rep, encodingError(err, opts.Encoding)
}

type dirOutput struct {
	dir   string
	enc   batch.Encoding
	files []string
	f     *os.File
	ew    io.WriteCloser // converts to enc
	w     *bufio.Writer
}

func (o *dirOutput) object(kind, name string) (io.Writer, error) {
	if err := o.close(); err != nil {
		return nil, err
	}
	fn := fileName(len(o.files), kind, name)
	if err := o.open(fn); err != nil {
		return nil, err
	}
	o.files = append(o.files, fn)
	return o.w, nil
}

// open creates the file fn in the folder, written through the encoder.
func (o *dirOutput) open(fn string) error {
	f, err := os.Create(filepath.Join(o.dir, fn))
	if err != nil {
		return err
	}
	o.f, o.ew = f, o.enc.NewWriter(f)
	o.w = bufio.NewWriterSize(o.ew, 64<<10)
	return nil
}

func (o *dirOutput) close() error {
	if o.f == nil {
		return nil
	}
	err := o.w.Flush()
	if err == nil {
		err = o.ew.Close()
	}
	if err == nil {
		err = o.f.Sync()
	}
	if cerr := o.f.Close(); err == nil {
		err = cerr
	}
	o.f, o.ew, o.w = nil, nil, nil
	return err
}

func (o *dirOutput) finish() error {
	if err := o.close(); err != nil {
		return err
	}
	if err := o.open(MasterFile); err != nil {
		return err
	}
	o.w.WriteString("-- Master script written by xdm: run it from this folder." + nl + runHint(MasterFile))
	for _, fn := range o.files {
		o.w.WriteString(":r \"" + fn + "\"" + nl)
	}
	return o.close()
}
