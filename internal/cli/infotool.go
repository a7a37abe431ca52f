package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
	"github.com/xdm-migrate/xdm/parsers/infotool"
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
	size := st.Size()
	if !st.Mode().IsRegular() {
		size = -1
	}
	br := bufio.NewReaderSize(f, 256<<10)
	k := infotool.Kind(kind)
	if kind == "" {
		head, err := br.Peek(4096)
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
func notJournalError(name string, rec *infotool.Record) *infotool.ParseError {
	return &infotool.ParseError{File: name, Line: rec.Line, Column: 2,
		Err:      fmt.Errorf("record type %s in a journal export", rec.Type),
		Expected: "[JOURNAL] records only"}
}
