// Package downgrade makes a T-SQL script written for a newer SQL Server run
// on an older one, by the version rules of docs/downgrade-rules.md.
//
// Each rule names a feature, the release that introduced it and what happens
// for an older target (see Rules): Rewrite (CREATE OR ALTER, DROP ... IF
// EXISTS), Omit with a warning (index options, temporal tables, database
// options), Warn (kept, edition-dependent) or Refuse (kept; the statement
// fails on the target, typically a module body calling STRING_AGG). Rules
// match on the tokens of the T-SQL lexer (package tsql), never on text inside
// strings, comments or [bracketed] names.
//
// The unit is one batch, the text between two GO lines: RewriteBatch for a
// batch, Check for the findings alone, Downgrade for a whole script streamed
// from an io.Reader to an io.Writer. Bytes outside the rewritten spans are
// copied unchanged; removed spans keep their line breaks, so every line
// after a removal keeps its number.
package downgrade

import (
	"fmt"
	"io"
	"strings"

	"github.com/xdm-migrate/xdm/position"
	"github.com/xdm-migrate/xdm/sql/version"
)

// Options configures a downgrade. The zero value targets SQL Server 2014.
type Options struct {
	// Target is the oldest release the script must run on; 0 means SQL Server 2014.
	Target version.Version
	// CollationMap replaces UTF-8 collations (their names end in _UTF8) on
	// targets older than 2019, instead of the mapping of package
	// sql/collation (the name without _UTF8, and without _SC before 2012).
	// Keys match case-insensitively; the key "*" maps every UTF-8
	// collation without a key of its own.
	CollationMap map[string]string
	// File names the script in findings (Downgrade and Check only; RewriteBatch
	// takes it from its Position).
	File string
	// Progress, when set, is called from Downgrade with the number of input
	// bytes read so far.
	Progress func(bytesRead int64)
	// OnFinding, when set, is called from Downgrade for each finding as soon
	// as it is known, in input order.
	OnFinding func(Finding)
	// Open, when set, makes Downgrade follow the :r lines of the script as
	// sqlcmd does, for the report only: the file Open returns for the name
	// given to :r is read with the same rules (and its own :r lines), its
	// findings and problems join the report under that name, and nothing
	// of it is written: the :r line is copied as it is. Checking a master
	// script that includes the others needs it; a rewrite leaves it nil,
	// since it does not change the included files. Names holding $(
	// (scripting variables) are not followed.
	Open func(name string) (io.ReadCloser, error)

	including []string // the files being read, for include cycles
}

func (o *Options) target() version.Version {
	if o.Target == 0 {
		return version.SQL2014
	}
	return o.Target
}

// mapCollation returns the replacement for a UTF-8 collation, if any.
func (o *Options) mapCollation(name string) (string, bool) {
	for k, v := range o.CollationMap {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	v, ok := o.CollationMap["*"]
	return v, ok
}

// Position is where a batch starts in its script, for the line numbers of
// findings. The zero value means line 1 of an unnamed script.
type Position struct {
	File string
	Line int // 1-based line of the batch's first byte
}

func (p Position) line() int {
	if p.Line < 1 {
		return 1
	}
	return p.Line
}

// Finding is one use of a feature newer than the target, and what the
// downgrade did about it.
type Finding struct {
	Rule       string          `json:"rule"`       // Rule.ID
	Feature    string          `json:"feature"`    // Rule.Feature
	Introduced version.Version `json:"introduced"` // release that introduced the feature
	Action     Action          `json:"action"`
	File       string          `json:"file,omitempty"`
	Line       int             `json:"line"`             // 1-based, in the input script
	Column     int             `json:"column"`           // 1-based, in characters
	Object     string          `json:"object,omitempty"` // "PROCEDURE dbo.GetUsers", or "" outside a module
	Message    string          `json:"message"`
}

// String formats the finding as
// file:line:col: action [rule]: feature (release) in object: message, the
// place written as package position writes it.
func (f Finding) String() string {
	var sb strings.Builder
	sb.WriteString((&position.Error{File: f.File, Line: int64(f.Line), Column: f.Column}).Place())
	fmt.Fprintf(&sb, ": %s [%s]: %s", f.Action, f.Rule, f.Feature)
	if f.Introduced != 0 {
		fmt.Fprintf(&sb, " (%s)", f.Introduced)
	}
	if f.Object != "" {
		fmt.Fprintf(&sb, " in %s", f.Object)
	}
	sb.WriteString(": ")
	sb.WriteString(f.Message)
	return sb.String()
}

// Blocking reports whether the original script fails on the target because
// of this finding: everything but Warn.
func (f Finding) Blocking() bool { return f.Action != Warn }

// RewriteBatch applies the rules to one batch (without its GO line) and
// returns the batch to write for the target with the findings, ordered by
// position. When nothing applies, out is src itself.
//
// The rewrite of CREATE OR ALTER needs a batch of its own before the ALTER
// (CREATE and ALTER of a module must start their batch), so out may hold
// several batches separated by a line "GO", using the batch's line ending
// (CRLF when src has one). Write out followed by your own GO line as usual;
// a program that executes batches itself must split out on those lines.
//
// RewriteBatch, Check and Downgrade are safe for concurrent use.
func RewriteBatch(src []byte, opts Options, pos Position) (out []byte, findings []Finding) {
	if !mayMatch(src, opts.target()) {
		return src, nil
	}
	b := newBatch(src, &opts, pos)
	b.run()
	if len(b.edits) == 0 && len(b.wraps) == 0 {
		return src, b.findings
	}
	return b.apply(make([]byte, 0, len(src)+256)), b.findings
}

// Check returns what RewriteBatch would report for the batch, without
// building the output. A script whose findings include a Blocking one does
// not run on the target as it is.
func Check(src []byte, opts Options, pos Position) []Finding {
	if !mayMatch(src, opts.target()) {
		return nil
	}
	b := newBatch(src, &opts, pos)
	b.run()
	return b.findings
}
