package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
	"github.com/xdm-migrate/xdm/parsers/reg"
	"github.com/xdm-migrate/xdm/registry"
)

type regShowOptions struct {
	App  *App
	File string
	Keys []string
	JSON bool
}

func newCmdRegShow(app *App, runF func(context.Context, *regShowOptions) error) *cobra.Command {
	opts := &regShowOptions{App: app}
	cmd := &cobra.Command{
		Use:   "show FILE",
		Short: "List the keys and values of a .reg file, decoded",
		Long: `Print the keys and values of a registry file as a person reads them: strings
as text (REG_EXPAND_SZ and REG_MULTI_SZ too, which the file holds as hex
bytes), multi-strings as lists, DWORD and QWORD values as numbers, other data
as hex bytes. Keys are listed in file order, as often as the file has them;
key deletions [-KEY] and value deletions NAME=- are marked.

--key selects keys: a key path (HKLM, HKCU and the other abbreviations
allowed, no matter the case) whose components may hold * and ?, selecting the
key and every key below it. It may be given several times.

With --json the keys and values go to stdout as JSON, each value with its
type, form, line and decoded data.

Exit codes: 0 listed; 2 usage; 3 the file does not fit the .reg format
(file:line:column and what was expected); 4 other errors.`,
		Example: `  xdm reg show xpr.reg
  xdm reg show xpr.reg --key "HKLM\SOFTWARE\Wow6432Node\PP-COM\MRS\MRS Globals"
  xdm reg show xpr.reg --key "HKLM\SOFTWARE\*\PP-COM\MRS" --json`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runRegShow(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringArrayVar(&opts.Keys, "key", nil, "show only the keys at and below `PATTERN` (repeatable)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the keys and values as JSON")
	return cmd
}

// regShowKey is a key with its values, as --json prints it.
type regShowKey struct {
	Key     string         `json:"key"`
	Line    int64          `json:"line"`
	Deleted bool           `json:"deleted,omitempty"`
	Values  []regShowValue `json:"values"`
}

type regShowValue struct {
	Name string `json:"name"`
	Line int64  `json:"line"`
	registry.Data
}

func runRegShow(ctx context.Context, opts *regShowOptions) error {
	pats, err := registry.CompilePatterns(opts.Keys, false)
	if err != nil {
		return usageErrorf("--key: %v", err)
	}
	if _, err := regInput(opts.File); err != nil {
		return err
	}
	f, err := atomicfile.Open(ctx, opts.File)
	if err != nil {
		return exitWith(ExitFailure, err)
	}
	defer f.Close()
	out := opts.App.IO.Out
	var show regShower = &regShowText{out: out, file: opts.File}
	if opts.JSON {
		show = &regShowJSON{out: out, file: opts.File}
	}
	r := reg.NewReader(f, opts.File)
	var cur *regShowKey // the key being listed, with its values
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			_ = show.end(err)
			return regError(err, false)
		}
		switch {
		case rec.Kind == reg.KindHeader:
			if err := show.header(r); err != nil {
				return exitWith(ExitFailure, err)
			}
		case rec.Kind == reg.KindKey:
			if cur != nil {
				if err := show.key(cur); err != nil {
					return exitWith(ExitFailure, err)
				}
				cur = nil
			}
			if pats.Match(rec.Key) {
				cur = &regShowKey{Key: rec.Key, Line: rec.Line, Deleted: rec.Delete, Values: []regShowValue{}}
			}
		case rec.Kind == reg.KindValue && cur != nil:
			cur.Values = append(cur.Values, regShowValue{Name: rec.Value.Name, Line: rec.Line, Data: registry.Decode(rec.Value)})
		}
	}
	if cur != nil {
		if err := show.key(cur); err != nil {
			return exitWith(ExitFailure, err)
		}
	}
	if err := show.end(nil); err != nil {
		return exitWith(ExitFailure, err)
	}
	return nil
}

// regShower prints keys one at a time, so that memory holds one key's
// values whatever the size of the file. end ends the listing, after the
// error that stopped it if any.
type regShower interface {
	header(r *reg.Reader) error
	key(k *regShowKey) error
	end(failed error) error
}

type regShowText struct {
	out  io.Writer
	file string
	n    int
}

func (s *regShowText) header(r *reg.Reader) error {
	_, err := fmt.Fprintf(s.out, "%s: %s (%s)\n", s.file, r.Version().Header(), r.Encoding())
	return err
}

func (s *regShowText) key(k *regShowKey) error {
	s.n++
	if k.Deleted {
		_, err := fmt.Fprintf(s.out, "\n[-%s]  (deletes the key)\n", k.Key)
		return err
	}
	fmt.Fprintf(s.out, "\n[%s]\n", k.Key)
	tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
	for _, v := range k.Values {
		name := valueName(v.Name)
		if v.Deleted {
			fmt.Fprintf(tw, "  %s\t(deletes the value)\t\n", name)
			continue
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", name, v.Type, v.Data)
	}
	return tw.Flush()
}

func (s *regShowText) end(failed error) error {
	if s.n == 0 && failed == nil {
		_, err := fmt.Fprintln(s.out, "no key selected")
		return err
	}
	return nil
}

// regShowJSON streams {"file": ..., "keys": [...]}, and "error" when the
// file does not fit the format.
type regShowJSON struct {
	out     io.Writer
	file    string
	n       int
	started bool
}

func (s *regShowJSON) header(r *reg.Reader) error {
	s.started = true
	name, _ := marshalJSON(s.file, "", "")
	enc, _ := marshalJSON(r.Encoding().String(), "", "")
	_, err := fmt.Fprintf(s.out, "{\n  \"file\": %s,\n  \"encoding\": %s,\n  \"version\": %d,\n  \"keys\": [", name, enc, r.Version())
	return err
}

func (s *regShowJSON) key(k *regShowKey) error {
	b, err := marshalJSON(k, "    ", "  ")
	if err != nil {
		return err
	}
	sep := ","
	if s.n == 0 {
		sep = ""
	}
	s.n++
	_, err = fmt.Fprintf(s.out, "%s\n    %s", sep, b)
	return err
}

func (s *regShowJSON) end(failed error) error {
	if failed == nil {
		_, err := fmt.Fprint(s.out, "\n  ]\n}\n")
		return err
	}
	if !s.started {
		return nil // nothing printed yet: Run prints the failure
	}
	// Keys already went out: the document ends with the failure's members
	// (docs/exit-codes.md), its "file" being the one named at the top.
	f := newJSONFailure(nil, regError(failed, false))
	f.File = ""
	b, err := marshalJSON(f, "  ", "  ")
	if err != nil {
		return err
	}
	members := bytes.TrimSuffix(bytes.TrimPrefix(b, []byte("{\n")), []byte("\n  }"))
	_, err = fmt.Fprintf(s.out, "\n  ],\n%s\n}\n", members)
	return err
}
