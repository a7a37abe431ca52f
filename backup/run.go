package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/xdm-migrate/xdm/backup/tarstream"
	"github.com/xdm-migrate/xdm/internal/plural"
	"github.com/xdm-migrate/xdm/journal"
	"github.com/xdm-migrate/xdm/parsers/reg"
	"github.com/xdm-migrate/xdm/position"
	"github.com/xdm-migrate/xdm/registry"
	"github.com/xdm-migrate/xdm/sql/pgdump"
)

type mode uint8

const (
	modeInspect mode = iota
	modeVerify
	modeFix
)

// copyStep is how often a member copy reports progress.
const copyStep = 8 << 20

// pass is one run over an archive.
type pass struct {
	opts Options
	mode mode
	rep  *Report
	seen map[Category]Part // the unique categories met so far
	tr   *tarstream.Reader
}

func newPass(opts Options, m mode) *pass {
	if opts.Name == "" {
		opts.Name = "backup.tar"
	}
	if opts.MaxProblems <= 0 {
		opts.MaxProblems = 1000
	}
	rep := &Report{Archive: opts.Name, Parts: []Part{}, Categories: []Category{}, Satellites: []SatelliteReport{},
		Problems: []*position.Error{}, Warnings: []string{}, Changed: []string{}}
	return &pass{opts: opts, mode: m, rep: rep, seen: map[Category]Part{}}
}

// run reads the archive from src and, when out is set, writes the new one.
func (p *pass) run(ctx context.Context, src io.Reader, out *output) (*Report, error) {
	p.tr = tarstream.NewReader(src)
	rep := p.rep
	for {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		e, err := p.tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return rep, p.archiveError(err)
		}
		rep.Members++
		if err := p.member(ctx, e, out); err != nil {
			return rep, err
		}
		p.progress(p.tr.Offset())
	}
	var tw io.Writer = io.Discard
	if out != nil {
		tw = out
	}
	t, err := p.tr.CopyTrailer(tw)
	rep.Trailer = t
	rep.Bytes = p.tr.Offset()
	if out != nil {
		rep.Written = out.n
	}
	if err != nil {
		return rep, err
	}
	p.checkTrailer(t)
	p.progress(rep.Bytes)
	if len(rep.Parts) == 0 {
		return rep, &position.Error{File: p.opts.Name, Offset: -1, Err: fmt.Errorf("%w: none of fullexp.exp, dump.sql, regexp_serverconf.reg, a satellite's .reg, NcoMainTree.xml, VariableProposals.xml among %s", ErrNotBackup, plural.Count(rep.Members, "member"))}
	}
	rep.Categories = p.categories()
	p.warnMissing()
	return rep, nil
}

// warnMissing notes a chosen fix that found no member to work on.
func (p *pass) warnMissing() {
	if p.mode != modeFix {
		return
	}
	f := p.opts.Fixes
	for _, c := range []struct {
		on   bool
		cat  Category
		what string
	}{{f.UCC, UCC, "no dump.sql: nothing for the UCC fix"}, {f.Journal, Infostor, "no fullexp.exp: nothing for the journal fix"}, {f.Wow64, Satellite, "no satellite .reg: nothing for the Wow6432Node fix"}} {
		if c.on && !slices.ContainsFunc(p.rep.Parts, func(pt Part) bool { return pt.Category == c.cat }) {
			p.warn("%s", c.what)
		}
	}
}

// member handles one member: copies, skips, examines or rewrites it.
func (p *pass) member(ctx context.Context, e *tarstream.Entry, out *output) error {
	cat := Other
	if e.IsRegular() || e.Sparse {
		cat = categorize(e.Name)
	}
	if cat == Other {
		p.rep.Other++
		p.rep.OtherBytes += e.Size
		return p.copyRaw(e, out)
	}
	part := Part{Name: e.Name, Category: cat, Size: e.Size, Offset: e.Offset}
	if cat.unique() {
		if first, ok := p.seen[cat]; ok {
			return &position.Error{File: p.opts.Name, Offset: e.Offset, Err: fmt.Errorf("%w: %s at byte offset %d and %s at byte offset %d", ErrDuplicate, first.Name, first.Offset, e.Name, e.Offset)}
		}
	}
	fix := p.mode == modeFix && p.fixes(cat)
	examine := p.mode != modeFix || fix
	if examine && e.Sparse {
		if fix {
			return &position.Error{File: e.Name, Offset: -1, Err: ErrSparse}
		}
		p.warn("%s is stored as a sparse file: not examined", e.Name)
		examine = false
	}
	var err error
	switch {
	case fix:
		err = p.rewrite(ctx, e, &part, out)
	case examine: // Inspect and Verify: there is no output
		part.Examined = true
		err = p.examine(ctx, e, &part, nil)
	default:
		err = p.copyRaw(e, out)
	}
	if err != nil {
		// The input may end inside the member while any engine reads it:
		// that is the archive's error, at its byte offset.
		return p.archiveError(err)
	}
	p.rep.Parts = append(p.rep.Parts, part)
	if cat.unique() {
		p.seen[cat] = part
	}
	return nil
}

// fixes reports whether a chosen fix concerns members of cat.
func (p *pass) fixes(cat Category) bool {
	f := p.opts.Fixes
	return (cat == UCC && f.UCC) || (cat == Infostor && f.Journal) || (cat == Satellite && f.Wow64)
}

// copyRaw copies member e as it is, or leaves it to Next to skip when there
// is no output.
func (p *pass) copyRaw(e *tarstream.Entry, out *output) error {
	if out == nil {
		return nil // Next skips the rest
	}
	if _, err := out.Write(e.Raw); err != nil {
		return err
	}
	if err := p.tr.CopyData(out, copyStep, p.progress); err != nil {
		return p.archiveError(err)
	}
	return nil
}

// rewrite writes member e through the engine of its fix.
func (p *pass) rewrite(ctx context.Context, e *tarstream.Entry, part *Part, out *output) error {
	part.Examined = true
	size, err := out.writeChanged(e, func(w io.Writer) error {
		return p.examine(ctx, e, part, w)
	})
	if err != nil {
		return err
	}
	if err := p.tr.SkipPadding(); err != nil {
		return p.archiveError(err)
	}
	if part.Changed {
		part.NewSize = size
		p.rep.Changed = append(p.rep.Changed, e.Name)
	}
	return nil
}

// examine reads the data of member e and, when w is set, writes its
// rewritten data there.
func (p *pass) examine(ctx context.Context, e *tarstream.Entry, part *Part, w io.Writer) error {
	data := &memberReader{r: p.tr, onRead: func(n int64) { p.progress(e.DataOffset + n) }}
	var err error
	switch part.Category {
	case Infostor:
		err = p.fullExport(ctx, e, part, data, w)
	case UCC:
		err = p.dump(ctx, e, part, data, w)
	case Satellite:
		err = p.satellite(ctx, e, part, data, w)
	case NCO, AppHost:
		err = p.xmlMember(e, part, data)
	case Registry:
		if p.mode == modeVerify {
			head := &headRecorder{r: data}
			err = p.validateReg(ctx, e.Name, head)
			part.Encoding = bomEncoding(head.head, "ansi")
		} else {
			part.Encoding, err = headEncoding(data, "ansi")
		}
	case Settings:
		part.Encoding, err = headEncoding(data, "cp1252")
	}
	if err != nil {
		return err
	}
	// An engine that stopped early leaves data unread: skip it so that the
	// archive stays in step (the data of a member that is rewritten is
	// always read to its end).
	_, err = io.Copy(io.Discard, data)
	return err
}

// fullExport runs the journal engine on fullexp.exp: the fix, or (w nil)
// the count of CONTENTTYPE values that need it; Verify also parses every
// record with the infotool grammar.
func (p *pass) fullExport(ctx context.Context, e *tarstream.Entry, part *Part, r io.Reader, w io.Writer) error {
	jo := journal.Options{Name: e.Name, Workers: p.opts.Workers, Lenient: w == nil}
	if w == nil {
		w = io.Discard
	}
	var rep journal.Report
	run := func(in io.Reader) error {
		var err error
		rep, err = journal.Fix(ctx, in, w, jo)
		return err
	}
	var err error
	if p.mode == modeVerify {
		err = tee(r, run, func(in io.Reader) error { return p.walkRecords(ctx, e.Name, in) })
	} else {
		err = run(r)
	}
	p.rep.Journal = &rep
	part.Encoding = rep.EncodingName
	part.Changed = p.mode == modeFix && rep.Fixes() > 0
	if err != nil {
		return p.placed(e.Name, err)
	}
	if p.mode == modeInspect && rep.Skipped > 0 {
		fit := "do not fit"
		if rep.Skipped == 1 {
			fit = "does not fit"
		}
		p.warn("%s: %s %s the infotool format (xdm backup verify lists them)", e.Name, plural.Count(rep.Skipped, "line"), fit)
	}
	return nil
}

// dump runs the pgdump engine on dump.sql; Verify also checks its COPY
// blocks.
func (p *pass) dump(ctx context.Context, e *tarstream.Entry, part *Part, r io.Reader, w io.Writer) error {
	if w == nil {
		w = io.Discard
	}
	var cc *copyChecker
	if p.mode == modeVerify {
		cc = newCopyChecker(e.Name, p.problem)
		r = io.TeeReader(r, cc)
	}
	rep, err := pgdump.Rewrite(ctx, r, w, pgdump.Options{ASCII: p.opts.ASCII, Workers: p.opts.Workers, SampleSize: -1})
	if cc != nil {
		// The engine stops at a row it cannot read; the check goes on.
		if _, derr := io.Copy(io.Discard, r); derr != nil && err == nil {
			err = derr
		}
		cc.finish()
	}
	p.rep.UCC = rep
	if rep != nil {
		part.Encoding = rep.Encoding
		part.Changed = p.mode == modeFix && rep.Changed > 0
	}
	switch {
	case errors.Is(err, pgdump.ErrCollisions) && p.mode != modeFix:
		// Inspect and Verify report the collisions; only Fix stops.
		return nil
	case errors.Is(err, pgdump.ErrCollisions):
		return &position.Error{File: e.Name, Offset: -1, Err: fmt.Errorf("%w (%d); nothing was written", err, len(rep.Collisions))}
	case err != nil && p.mode == modeVerify:
		// A row the engine cannot read is a problem like the others,
		// unless the COPY check reported its line already.
		var pe *position.Error
		if errors.As(p.placed(e.Name, err), &pe) {
			if !cc.reported(pe.Line) && !(errors.Is(err, pgdump.ErrTruncated) && cc.unterminated) {
				p.problem(pe)
			}
			return nil
		}
		return p.placed(e.Name, err)
	case err != nil:
		return p.placed(e.Name, err)
	}
	return nil
}

// satellite reads a satellite's .reg export with the registry engine of
// "xdm reg wow64": in Fix it moves the keys under Wow6432Node, otherwise it
// counts the keys on either path (writing nothing); Verify also checks the
// file against the registry grammar.
func (p *pass) satellite(ctx context.Context, e *tarstream.Entry, part *Part, r io.Reader, w io.Writer) error {
	sr := SatelliteReport{Member: e.Name, Satellite: SatelliteName(e.Name), Path: "unknown"}
	fix := w != nil
	if !fix {
		w = io.Discard
	}
	var rep registry.Wow64Report
	run := func(in io.Reader) error {
		var err error
		rep, err = registry.Wow64(ctx, in, w, registry.Wow64Options{Name: e.Name})
		return err
	}
	var err error
	if p.mode == modeVerify {
		err = tee(r, run, func(in io.Reader) error { return p.validateReg(ctx, e.Name, in) })
		var pe *position.Error
		if errors.As(err, &pe) {
			err = nil // Validate listed it
		}
	} else {
		err = run(r)
	}
	var pe *position.Error
	switch {
	case err != nil && !fix && errors.As(err, &pe):
		p.warn("%s: not read as a registry export: %v", e.Name, err)
	case err != nil:
		return p.placed(e.Name, err)
	default:
		sr.fill(rep, fix)
	}
	part.Encoding = rep.Encoding.String()
	part.Changed = fix && sr.Moved > 0
	p.rep.Satellites = append(p.rep.Satellites, sr)
	return nil
}

// fill sets the counts from the engine's report: in Fix what it moved, else
// what it would move.
func (s *SatelliteReport) fill(rep registry.Wow64Report, fix bool) {
	s.Format = "5.00"
	if rep.Version == reg.Version4 {
		s.Format = "4"
	}
	s.Native, s.Wow64 = int64(rep.Moved), int64(rep.AlreadyMoved)
	if fix {
		s.Moved = int64(rep.Moved)
	}
	switch {
	case s.Native > 0 && s.Wow64 > 0:
		s.Path = "mixed"
	case s.Native > 0:
		s.Path = "32-bit"
	case s.Wow64 > 0:
		s.Path = "Wow6432Node"
	default:
		s.Path = "none"
	}
}

// validateReg checks a .reg member against the registry grammar and lists
// its problems.
func (p *pass) validateReg(ctx context.Context, name string, r io.Reader) error {
	sum, err := reg.Validate(ctx, r, name)
	for _, pe := range sum.Problems {
		p.problem(pe)
	}
	p.rep.ProblemCount += int64(sum.ProblemCount - len(sum.Problems))
	return err
}

// xmlMember records an XML member's encoding and, in Verify, checks that
// it is well-formed.
func (p *pass) xmlMember(e *tarstream.Entry, part *Part, r io.Reader) error {
	head := &headRecorder{r: r}
	if p.mode == modeVerify {
		if perr := checkXML(e.Name, head); perr != nil {
			p.problem(perr)
		}
	} else if _, err := io.CopyN(io.Discard, head, 1024); err != nil && err != io.EOF {
		return err
	}
	part.Encoding = xmlEncoding(head.head)
	return nil
}

// archiveError places a TAR structure error in the archive.
func (p *pass) archiveError(err error) error {
	var te *tarstream.Error
	if errors.As(err, &te) {
		return &position.Error{File: p.opts.Name, Offset: te.Offset, Err: te}
	}
	return err
}

// problem records a Verify problem.
func (p *pass) problem(pe *position.Error) {
	p.rep.ProblemCount++
	if len(p.rep.Problems) < p.opts.MaxProblems {
		p.rep.Problems = append(p.rep.Problems, pe)
	}
}

func (p *pass) warn(format string, args ...any) {
	p.rep.Warnings = append(p.rep.Warnings, fmt.Sprintf(format, args...))
}

func (p *pass) progress(off int64) {
	if p.opts.Progress != nil {
		p.opts.Progress(off)
	}
}

// checkTrailer warns about an end of archive that POSIX would not write.
func (p *pass) checkTrailer(t tarstream.Trailer) {
	if t.ZeroBlocks < 2 {
		p.warn("the archive ends with a single zero block; POSIX writes two")
	}
	if t.Garbage >= 0 {
		p.warn("non-zero bytes after the end of the archive at byte offset %d (kept as they are)", t.Garbage)
	}
}

// categories lists the categories present, in the order of the constants.
func (p *pass) categories() []Category {
	order := []Category{Infostor, UCC, Registry, Satellite, NCO, AppHost, Keystore, Settings}
	var out []Category
	for _, c := range order {
		if slices.ContainsFunc(p.rep.Parts, func(pt Part) bool { return pt.Category == c }) {
			out = append(out, c)
		}
	}
	if p.rep.Other > 0 {
		out = append(out, Other)
	}
	return out
}

// memberReader reads a member's data and reports the bytes read.
type memberReader struct {
	r      io.Reader
	n      int64
	onRead func(n int64)
}

func (m *memberReader) Read(b []byte) (int, error) {
	n, err := m.r.Read(b)
	m.n += int64(n)
	if n > 0 && m.onRead != nil {
		m.onRead(m.n)
	}
	return n, err
}

// tee feeds r to main and, at the same time, to side through a pipe: two
// readers of one stream, memory bounded by the pipe (no buffer). side gets
// the rest drained when it stops early.
func tee(r io.Reader, main, side func(io.Reader) error) error {
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := side(pr)
		_, _ = io.Copy(io.Discard, pr)
		done <- err
	}()
	err := main(io.TeeReader(r, pw))
	var cerr error
	if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		// Whatever main left unread still goes to side, also when main
		// stopped at a problem of the member: side (the format check of
		// verify) lists every problem, not the first.
		_, cerr = io.Copy(pw, r)
	}
	if err == nil {
		err = cerr
	}
	if cerr == nil && err != nil && !isPlaced(err) {
		cerr = err // main's own failure ends side too
	}
	pw.CloseWithError(cerr)
	serr := <-done
	if err != nil {
		return err
	}
	return serr
}

// isPlaced reports whether err is a problem at a place in the member (a
// *position.Error that is not the archive's TAR error).
func isPlaced(err error) bool {
	var pe *position.Error
	var te *tarstream.Error
	return errors.As(err, &pe) && !errors.As(err, &te)
}
