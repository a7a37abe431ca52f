package backup

// This file holds what depends on the error types of the engines (journal,
// sql/pgdump through transform, parsers/infotool). They are being replaced
// by *position.Error (the i15 refactoring); when that lands, placed keeps
// only its *position.Error case and walkRecords's OnError takes a
// *position.Error as it is.

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/xdm-migrate/xdm/backup/tarstream"
	"github.com/xdm-migrate/xdm/journal"
	"github.com/xdm-migrate/xdm/parsers/infotool"
	"github.com/xdm-migrate/xdm/position"
	"github.com/xdm-migrate/xdm/transform"
)

// placed returns err with its place in member name: the engines' own error
// types become a *position.Error; a TAR error met while reading the
// member's data is the archive's.
func (p *pass) placed(name string, err error) error {
	var te *tarstream.Error
	if errors.As(err, &te) {
		return p.archiveError(err)
	}
	var pe *position.Error
	var se *journal.SyntaxError
	var le *transform.LineError
	switch {
	case errors.As(err, &pe):
		return position.In(name, err)
	case errors.As(err, &se):
		return &position.Error{File: name, Line: se.Line, Column: se.Column, Offset: se.Offset, Err: errors.New(se.Msg)}
	case errors.As(err, &le):
		return &position.Error{File: name, Line: le.Line, Column: le.Column, Offset: le.Offset, Err: le.Err}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return fmt.Errorf("%s: %w", name, err)
}

// walkRecords parses every record of a full export with the infotool
// grammar and records each record that does not fit as a problem.
func (p *pass) walkRecords(ctx context.Context, name string, r io.Reader) error {
	ir := infotool.NewReader(r, name)
	return ir.Walk(ctx, infotool.WalkOptions{
		Workers: p.opts.Workers,
		OnError: func(pe *infotool.ParseError) error {
			msg := pe.Err.Error()
			if pe.Expected != "" {
				msg += ", expected " + pe.Expected
			}
			p.problem(&position.Error{File: name, Line: int64(pe.Line), Column: pe.Column, Offset: -1, Err: errors.New(msg)})
			return nil
		},
	}, func(*infotool.Record) error { return nil })
}
