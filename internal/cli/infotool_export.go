package cli

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
	"github.com/xdm-migrate/xdm/parsers/infotool"
)

type infotoolExportOptions struct {
	App     *App
	File    string
	To      string
	Type    string
	Output  string
	Force   bool
	Workers int
}

func newCmdInfotoolExport(app *App, runF func(*infotoolExportOptions) error) *cobra.Command {
	opts := &infotoolExportOptions{App: app}
	cmd := &cobra.Command{
		Use:   "export FILE --to ndjson|csv",
		Short: "Write the records of a data export as NDJSON or CSV, decoded to UTF-8",
		Long: `Write the records of a full or journal export in a form other tools read,
with values decoded to UTF-8 (escapes resolved, cp1252 and UTF-16 converted).
Binary values are written as they stand in the file (0x and hex digits).

--to ndjson writes one JSON object per line and record:
  {"type":"JOURNAL","key":"","line":5,"fields":[{"name":"MSGID","value":"..."}, ...]}
"key" is present only for [TYPE:KEY] headers, "binary":true marks binary
fields; repeated fields appear as often as in the file.

--to csv writes a header row TYPE,KEY,LINE and one column per field name (in
the order the names first appear; names compared case-insensitively), then
one row per record. A field that repeats in a record has its values joined by
a line feed in one cell. CSV reads the file twice (once for the columns).

--type keeps only records of that type (case-insensitive). The output goes to
stdout, or with -o to a file written atomically (--force to replace it); -o
naming FILE itself (or a link to it) replaces it and keeps FILE.orig. CSV
needs FILE to be a file, not a pipe: it is read twice.`,
		Example: `  xdm infotool export journal.txt --to ndjson | jq -r '.fields[] | select(.name=="SUBJECT") | .value'
  xdm infotool export fullexport.txt --to csv --type USER -o users.csv

  # Windows PowerShell, without jq (and with -o: PowerShell 5.1 would
  # re-encode a > redirection as UTF-16):
  xdm infotool export journal.txt --to ndjson -o journal.ndjson
  Get-Content -Encoding UTF8 journal.ndjson | ConvertFrom-Json | ForEach-Object { ($_.fields | Where-Object name -eq 'SUBJECT').value }`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			if opts.To != "ndjson" && opts.To != "csv" {
				return usageErrorf("--to must be ndjson or csv, not %q", opts.To)
			}
			if runF != nil {
				return runF(opts)
			}
			return runInfotoolExport(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.To, "to", "", "output format: ndjson or csv (required)")
	cmd.Flags().StringVar(&opts.Type, "type", "", "only records of this type, e.g. JOURNAL")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "output file (default: stdout)")
	markOutputDash(cmd, dashStdout)
	cmd.Flags().BoolVar(&opts.Force, "force", false, "replace an existing output file")
	addWorkersFlag(cmd, &opts.Workers, "records parsed in parallel")
	return cmd
}

func runInfotoolExport(ctx context.Context, opts *infotoolExportOptions) error {
	defer useCPUs(opts.Workers)()
	defer collectLess()()
	in, rw, err := openExportInput(ctx, opts)
	if err != nil {
		return err
	}
	defer closeInput(in, rw)
	var columns []string
	if opts.To == "csv" {
		if columns, err = exportColumns(ctx, opts, in); err != nil {
			return err
		}
		if _, err := in.Seek(0, io.SeekStart); err != nil {
			return usageErrorf("--to csv reads %s twice, and it cannot be read again (a pipe?): use --to ndjson, or give a file", opts.File)
		}
	}
	var out io.Writer = opts.App.IO.Out
	if rw != nil {
		f, err := rw.Output()
		if err != nil {
			return err
		}
		out = f
	}
	bw := bufio.NewWriterSize(out, 256<<10)
	var sink recordSink = newNDJSONSink(bw)
	if opts.To == "csv" {
		sink = newCSVSink(bw, columns)
	}
	if err := sink.header(); err != nil {
		return err
	}
	if err := walkExport(ctx, opts, in, "export "+opts.File, sink.write); err != nil {
		return err
	}
	if err := sink.flush(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if rw == nil {
		return nil
	}
	if err := rw.Commit(); err != nil {
		return err
	}
	if rw.InPlace() && !opts.App.Quiet() {
		fmt.Fprintln(opts.App.IO.ErrOut, "xdm: "+wroteLine("rewrote", rw.Target(), rw.Backup()))
	}
	return nil
}

// openExportInput opens the file to export: through a Rewrite with -o
// (which refuses an existing output before anything is read, and takes -o
// naming the input itself as an in-place rewrite), else for reading.
func openExportInput(ctx context.Context, opts *infotoolExportOptions) (*os.File, *atomicfile.Rewrite, error) {
	if opts.Output == "" {
		in, err := atomicfile.Open(ctx, opts.File)
		return in, nil, err
	}
	rw, err := beginOutput(ctx, opts.File, opts.Output, opts.Force)
	if err != nil {
		return nil, nil, err
	}
	return rw.Input(), rw, nil
}

// walkExport calls fn for every record of the selected type in the open
// file in, read from where it stands, with a progress bar.
func walkExport(ctx context.Context, opts *infotoolExportOptions, in *os.File, desc string, fn func(*infotool.Record, infotool.Encoding) error) error {
	f, err := newInfotoolFile(in, "full")
	if err != nil {
		return err
	}
	progress := opts.App.newByteProgress(desc, f.size)
	defer progress.Done()
	r := infotool.NewReader(f.r, opts.File)
	err = r.Walk(ctx, infotool.WalkOptions{Workers: opts.Workers, Progress: progress.Set},
		func(rec *infotool.Record) error {
			if opts.Type != "" && !strings.EqualFold(rec.Type, opts.Type) {
				return nil
			}
			return fn(rec, r.Encoding())
		})
	return err
}

// exportColumns collects the field names of the selected records in the
// order they first appear (the first spelling wins).
func exportColumns(ctx context.Context, opts *infotoolExportOptions, in *os.File) ([]string, error) {
	var columns []string
	seen := map[string]bool{}
	err := walkExport(ctx, opts, in, "columns "+opts.File, func(rec *infotool.Record, _ infotool.Encoding) error {
		for _, f := range rec.Fields {
			if u := strings.ToUpper(f.Name); !seen[u] {
				seen[u] = true
				columns = append(columns, f.Name)
			}
		}
		return nil
	})
	return columns, err
}

// exportValue is a field's value as exported: decoded text, or the hex
// digits as written for a binary field.
func exportValue(f *infotool.Field, enc infotool.Encoding) string {
	if f.Binary {
		return string(infotool.DecodeText(f.Raw, enc))
	}
	return string(f.Value)
}

type recordSink interface {
	header() error
	write(*infotool.Record, infotool.Encoding) error
	flush() error
}

type ndjsonSink struct{ enc *json.Encoder }

func newNDJSONSink(w io.Writer) *ndjsonSink {
	return &ndjsonSink{enc: newJSONLines(w)}
}

type ndjsonField struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Binary bool   `json:"binary,omitempty"`
}

type ndjsonRecord struct {
	Type   string        `json:"type"`
	Key    *string       `json:"key,omitempty"`
	Line   int           `json:"line"`
	Fields []ndjsonField `json:"fields"`
}

func (s *ndjsonSink) header() error { return nil }
func (s *ndjsonSink) flush() error  { return nil }

func (s *ndjsonSink) write(rec *infotool.Record, enc infotool.Encoding) error {
	out := ndjsonRecord{Type: rec.Type, Line: rec.Line, Fields: make([]ndjsonField, len(rec.Fields))}
	if rec.HasKey {
		out.Key = &rec.Key
	}
	for i := range rec.Fields {
		f := &rec.Fields[i]
		out.Fields[i] = ndjsonField{Name: f.Name, Value: exportValue(f, enc), Binary: f.Binary}
	}
	return s.enc.Encode(out)
}

type csvSink struct {
	cw      *csv.Writer
	columns []string
	index   map[string]int
	row     []string
}

func newCSVSink(w io.Writer, columns []string) *csvSink {
	s := &csvSink{cw: csv.NewWriter(w), columns: columns, index: map[string]int{}, row: make([]string, len(columns)+3)}
	for i, c := range columns {
		s.index[strings.ToUpper(c)] = i + 3
	}
	return s
}

func (s *csvSink) header() error {
	return s.cw.Write(append([]string{"TYPE", "KEY", "LINE"}, s.columns...))
}

func (s *csvSink) write(rec *infotool.Record, enc infotool.Encoding) error {
	clear(s.row)
	s.row[0], s.row[1], s.row[2] = rec.Type, rec.Key, strconv.Itoa(rec.Line)
	for i := range rec.Fields {
		f := &rec.Fields[i]
		c := s.index[strings.ToUpper(f.Name)]
		if s.row[c] != "" {
			s.row[c] += "\n"
		}
		s.row[c] += exportValue(f, enc)
	}
	return s.cw.Write(s.row)
}

func (s *csvSink) flush() error {
	s.cw.Flush()
	return s.cw.Error()
}
