package backup

// This file holds what depends on the errors of the engines (journal,
// sql/pgdump through transform, parsers/infotool): each returns a
// *position.Error for a place in its input, which only needs the member's
// name.

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/xdm-migrate/xdm/backup/tarstream"
	"github.com/xdm-migrate/xdm/parsers/infotool"
	"github.com/xdm-migrate/xdm/position"
)

// placed returns err with its place in member name; a TAR error met while
// reading the member's data is the archive's.
func (p *pass) placed(name string, err error) error {
	var te *tarstream.Error
	if errors.As(err, &te) {
		return p.archiveError(err)
	}
	var pe *position.Error
	switch {
	case errors.As(err, &pe):
		return position.In(name, err)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return fmt.Errorf("%s: %w", name, err)
}

// walkRecords checks every record of a full export against the infotool
// grammar (without decoding fields, as xdm infotool validate does) and
// records each record that does not fit as a problem.
func (p *pass) walkRecords(ctx context.Context, name string, r io.Reader) error {
	ir := infotool.NewReader(r, name)
	return ir.Walk(ctx, infotool.WalkOptions{
		Workers:    p.opts.Workers,
		SkipFields: true,
		OnError: func(pe *position.Error) error {
			p.problem(pe)
			return nil
		},
	}, func(*infotool.Record) error { return nil })
}
