package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
	"github.com/xdm-migrate/xdm/parsers/infotool"
	"github.com/xdm-migrate/xdm/position"
)

func newCmdInfotool(app *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "infotool",
		Short: "Check, summarise and export infotool files (full, journal and mask exports)",
		Long: `Work with the files the Xpressions "infotool" program writes:
the full export (infotool fullexport), the journal export
(infotool export rec=JOURNAL) and the mask export (infotool maskexport, .mdl).

The files are read as they are: cp1252, or UTF-8/UTF-16LE with a BOM, CRLF or
LF per line, lines of any length. The format is described in docs/infotool.md.`,
		Example: `  xdm infotool validate journal.txt maskexport.mdl
  xdm infotool stats --json fullexport.txt
  xdm infotool export journal.txt --to csv -o journal.csv`,
	}
	cmd.AddCommand(
		newCmdInfotoolValidate(app, nil),
		newCmdInfotoolStats(app, nil),
		newCmdInfotoolExport(app, nil),
	)
	return cmd
}

// collectLess makes the garbage collector run a quarter as often while a
// command parses records with the grammar. The ANTLR runtime allocates about
// ten bytes per input byte, all short-lived; with the small live heap of a
// record walk the default GOGC collected every few megabytes, which on two
// workers cost a quarter more CPU than "journal fix --validate" (whose
// buffers make its live heap larger) for the same parsing. GOGC 400 costs
// about 20 MB more heap. A GOGC set in the environment is left as it is.
func collectLess() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	prev := debug.SetGCPercent(400)
	return func() { debug.SetGCPercent(prev) }
}

// infotoolFile is an opened export file: buffered, with its kind.
type infotoolFile struct {
	f    *os.File
	r    *bufio.Reader
	size int64
	kind infotool.Kind
}

// openInfotoolFile opens path and decides its kind: kind if not empty
// ("full", "journal", "mask"), else from the content.
func openInfotoolFile(ctx context.Context, path, kind string) (*infotoolFile, error) {
	f, err := atomicfile.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	inf, err := newInfotoolFile(f, kind)
	if err != nil {
		f.Close()
		return nil, err
	}
	return inf, nil
}

// newInfotoolFile reads the open file f from where it stands.
func newInfotoolFile(f *os.File, kind string) (*infotoolFile, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, usageErrorf("%s is a folder; give the infotool export file", f.Name())
	}
	size := st.Size()
	if !st.Mode().IsRegular() {
		size = -1
	}
	br := bufio.NewReaderSize(f, 256<<10)
	k := infotool.Kind(kind)
	if kind == "" {
		// The whole buffer: comments before the first MASK may be long.
		head, err := br.Peek(br.Size())
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, err
		}
		k = infotool.DetectKind(head)
	}
	return &infotoolFile{f: f, r: br, size: size, kind: k}, nil
}

func (f *infotoolFile) Close() error { return f.f.Close() }

// checkKind validates a --kind value.
func checkKind(kind string) error {
	switch infotool.Kind(kind) {
	case "", infotool.KindFull, infotool.KindJournal, infotool.KindMask:
		return nil
	}
	return usageErrorf("invalid --kind %q: want full, journal or mask", kind)
}

// kindName words a kind for humans.
func kindName(k infotool.Kind) string {
	switch k {
	case infotool.KindJournal:
		return "journal export"
	case infotool.KindMask:
		return "mask export"
	}
	return "full export"
}

// notJournalError is a record of another type in a journal export.
func notJournalError(name string, rec *infotool.Record) *position.Error {
	return &position.Error{File: name, Line: int64(rec.Line), Column: 2, Offset: rec.Offset + 1,
		Err: fmt.Errorf("record type %s in a journal export, expected [JOURNAL] records only", rec.Type)}
}
