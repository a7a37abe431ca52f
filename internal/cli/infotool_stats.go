package cli

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/internal/plural"
	"github.com/xdm-migrate/xdm/parsers/infotool"
	"github.com/xdm-migrate/xdm/parsers/mask"
)

type infotoolStatsOptions struct {
	App     *App
	File    string
	Kind    string
	JSON    bool
	Workers int
}

func newCmdInfotoolStats(app *App, runF func(*infotoolStatsOptions) error) *cobra.Command {
	opts := &infotoolStatsOptions{App: app}
	cmd := &cobra.Command{
		Use:   "stats FILE",
		Short: "Summarise an export: records and fields per type, CONTENTTYPE values, encoding, line ends",
		Long: `Read FILE and print what it holds: the number of records per type, how often
each field occurs per record type, a histogram of the CONTENTTYPE values of the
[JOURNAL] records (as written, blanks and leading zeros kept), the encoding,
the line terminators (CRLF, LF, final newline, longest line), the
"; DATABASE" groups and whether a DOS end-of-file byte ends the file.
For a mask export it prints the masks with their number of fields.

The file must be valid (see "xdm infotool validate"): the first error ends the
command with exit status 3.`,
		Example: `  xdm infotool stats testdata/infotool/journal.txt
  xdm infotool stats --json fullexport.txt | jq .records_by_type
  # Windows PowerShell, without jq:
  (xdm infotool stats --json fullexport.txt | ConvertFrom-Json).records_by_type`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			if err := checkKind(opts.Kind); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runInfotoolStats(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Kind, "kind", "", "file kind: full, journal or mask (default: detected)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the statistics as JSON")
	addWorkersFlag(cmd, &opts.Workers, "records parsed in parallel")
	return cmd
}

// infotoolStatsResult is what stats prints; JSON with --json.
type infotoolStatsResult struct {
	File string        `json:"file"`
	Kind infotool.Kind `json:"kind"`
	*infotool.Stats
	Masks []maskSummary `json:"masks,omitempty"`
}

type maskSummary struct {
	Name    string `json:"name"`
	Version int    `json:"version"`
	Fields  int    `json:"fields"`
	Custom  int    `json:"custom_fields"`
}

func runInfotoolStats(ctx context.Context, opts *infotoolStatsOptions) error {
	defer useCPUs(opts.Workers)()
	defer collectLess()()
	app := opts.App
	f, err := openInfotoolFile(ctx, opts.File, opts.Kind)
	if err != nil {
		return err
	}
	defer f.Close()
	res := infotoolStatsResult{File: opts.File, Kind: f.kind}
	if f.kind == infotool.KindMask {
		mf, err := mask.Parse(f.r, opts.File)
		if err != nil {
			return err
		}
		for _, m := range mf.Masks {
			s := maskSummary{Name: m.Name, Version: m.Version, Fields: len(m.Fields)}
			for _, fl := range m.Fields {
				if fl.Custom() {
					s.Custom++
				}
			}
			res.Masks = append(res.Masks, s)
		}
	} else {
		progress := app.newByteProgress("stats "+opts.File, f.size)
		defer progress.Done()
		r := infotool.NewReader(f.r, opts.File)
		st := infotool.NewStats()
		err := r.Walk(ctx, infotool.WalkOptions{Workers: opts.Workers, Progress: progress.Set},
			func(rec *infotool.Record) error {
				if st.Records == 0 {
					st.AddPreamble(r.Preamble(), r.Encoding())
				}
				if f.kind == infotool.KindJournal && !strings.EqualFold(rec.Type, "JOURNAL") {
					return notJournalError(opts.File, rec)
				}
				st.Add(rec, r.Encoding())
				return nil
			})
		progress.Done()
		if err != nil {
			return err
		}
		if st.Records == 0 {
			st.AddPreamble(r.Preamble(), r.Encoding())
		}
		st.Finish(r)
		res.Stats = st
		if opts.Kind == "" && st.Records > 0 && st.Records == st.RecordsByType["JOURNAL"] {
			res.Kind = infotool.KindJournal
		}
	}
	if opts.JSON {
		return writeJSON(app.IO.Out, res)
	}
	return printStats(app.IO.Out, res)
}

func printStats(out io.Writer, res infotoolStatsResult) error {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "file\t%s\n", res.File)
	fmt.Fprintf(tw, "kind\t%s\n", kindName(res.Kind))
	if res.Kind == infotool.KindMask {
		fmt.Fprintf(tw, "masks\t%d\n", len(res.Masks))
		for _, m := range res.Masks {
			fmt.Fprintf(tw, "  %s\tversion %d, %s, %d CUSTOM\n", m.Name, m.Version, plural.Count(m.Fields, "field"), m.Custom)
		}
		return tw.Flush()
	}
	s := res.Stats
	bom := "no BOM"
	if s.BOM {
		bom = "with BOM"
	}
	yes := map[bool]string{true: "yes", false: "no"}
	fmt.Fprintf(tw, "encoding\t%s (%s)\n", s.Encoding, bom)
	fmt.Fprintf(tw, "size\t%s\n", plural.Count(s.Bytes, "byte"))
	fmt.Fprintf(tw, "lines\t%d: %d CRLF, %d LF; final newline: %s; longest line: %s\n",
		s.Lines.Total, s.Lines.CRLF, s.Lines.LF, yes[s.Lines.FinalNewline], plural.Count(s.Lines.Longest, "byte"))
	fmt.Fprintf(tw, "eof marker (0x1A)\t%s\n", yes[s.EOFMarker])
	if len(s.Databases) > 0 {
		fmt.Fprintf(tw, "databases\t%s\n", strings.Join(s.Databases, ", "))
	}
	fmt.Fprintf(tw, "records\t%d\n", s.Records)
	for _, t := range sortedKeys(s.RecordsByType) {
		fmt.Fprintf(tw, "  %s\t%d\n", t, s.RecordsByType[t])
	}
	fmt.Fprintln(tw, "fields per record type")
	for _, t := range sortedKeys(s.FieldsByType) {
		var parts []string
		for _, name := range sortedKeys(s.FieldsByType[t]) {
			parts = append(parts, fmt.Sprintf("%s %d", name, s.FieldsByType[t][name]))
		}
		fmt.Fprintf(tw, "  %s\t%s\n", t, strings.Join(parts, ", "))
	}
	if len(s.ContentTypes) > 0 {
		fmt.Fprintln(tw, "CONTENTTYPE of JOURNAL records")
		for _, v := range sortedKeys(s.ContentTypes) {
			fmt.Fprintf(tw, "  %q\t%d\n", v, s.ContentTypes[v])
		}
	}
	return tw.Flush()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
