// Package backup reads, checks and fixes an XPR Smart Backup: the one TAR
// file that the backup with the TOV7 option writes and that carries an XPR
// server's data to the new server. It is the call a backup tool makes on the
// TAR stream it reads or writes:
//
//	rep, err := backup.Fix(ctx, tarIn, tarOut, backup.Options{Fixes: backup.Fixes{UCC: true}})
//
// Inspect reports which parts of a Smart Backup are present (by member name,
// wherever a member sits in the archive) and what the upgrade still needs:
// UCC invitation addresses with upper case in dump.sql, JOURNAL records of
// fullexp.exp whose CONTENTTYPE needs the voice-code fix, satellites whose
// .reg export uses the 32-bit registry path. Verify also parses fullexp.exp
// with the infotool grammar, the COPY blocks of dump.sql and the XML members,
// and lists every problem at member:line:col. Fix writes a new TAR in one
// pass with the chosen fixes applied.
//
// Everything is one streaming pass over the archive. Members that are not
// changed are copied byte for byte, their header blocks included; a changed
// member's header differs only in its size and checksum (and a PAX size
// record when the size needs one). Memory is bounded by the engines' chunks
// (packages journal and sql/pgdump), whatever the size of a member or of the
// archive. A changed member's size is known only after it was rewritten: on
// an output that can seek (a file) its header is written first and patched
// afterwards; on any other writer the changed member alone is spooled to a
// temporary file (Options.TempDir) and written after its header.
//
// Library code never prints: progress comes through Options.Progress, the
// outcome as a Report, problems as *position.Error values and the sentinel
// errors below.
package backup

import (
	"context"
	"errors"
	"io"

	"github.com/xdm-migrate/xdm/backup/tarstream"
	"github.com/xdm-migrate/xdm/journal"
	"github.com/xdm-migrate/xdm/position"
	"github.com/xdm-migrate/xdm/sql/pgdump"
)

// Fixes choose what Fix changes. The zero value changes nothing (Fix then
// copies the archive and reports).
type Fixes struct {
	// UCC lowercases the conference invitation addresses in dump.sql
	// (package sql/pgdump, with its collision check).
	UCC bool
	// Journal applies the CONTENTTYPE fix to the JOURNAL records in
	// fullexp.exp (package journal). The upgrade manual applies it after
	// the restore, to a journal export; applying it inside the backup is
	// xdm's inference that the restore imports the same records.
	Journal bool
	// Wow64 moves the satellites' keys under HKLM\SOFTWARE\PP-COM to
	// HKLM\SOFTWARE\Wow6432Node\PP-COM with the engine of "xdm reg wow64"
	// (package registry).
	Wow64 bool
}

// Any reports whether a fix is chosen.
func (f Fixes) Any() bool { return f.UCC || f.Journal || f.Wow64 }

// Options control Inspect, Verify and Fix. The zero value works: nothing is
// fixed, one worker per CPU, no progress, spooling in os.TempDir.
type Options struct {
	// Name is the archive's name in errors and the report (default
	// "backup.tar").
	Name string
	// Fixes are the changes Fix makes.
	Fixes Fixes
	// ASCII lowercases only A-Z in dump.sql (a database with the C locale).
	ASCII bool
	// Workers is the number of chunks the engines work on in parallel
	// (0: GOMAXPROCS).
	Workers int
	// TempDir is where Fix spools a changed member when its output cannot
	// seek (default os.TempDir()).
	TempDir string
	// Progress, if set, is called from time to time with the number of
	// archive bytes read so far.
	Progress func(bytesRead int64)
	// MaxProblems bounds Report.Problems in Verify (0: 1000); all are
	// counted.
	MaxProblems int
}

// Sentinel errors; each comes wrapped with the member or offset it is about.
var (
	// ErrNotBackup: the archive holds none of the members of an XPR Smart
	// Backup (fullexp.exp, dump.sql, regexp_serverconf.reg, a satellite's
	// .reg, the NCO files).
	ErrNotBackup = errors.New("no XPR Smart Backup member in the archive")
	// ErrDuplicate: a member that a backup holds once (fullexp.exp,
	// dump.sql, regexp_serverconf.reg) occurs twice, so which one a
	// restore would use is open.
	ErrDuplicate = errors.New("a member that a Smart Backup holds once occurs twice")
	// ErrCollisions: lowercasing dump.sql would break a unique constraint;
	// see Report.UCC.Collisions. Nothing of the changed dump.sql was
	// written to the destination.
	ErrCollisions = pgdump.ErrCollisions
	// ErrSparse: a member to fix is stored as a GNU sparse file, whose
	// stored bytes are not its content.
	ErrSparse = errors.New("the member is stored as a sparse file and cannot be rewritten")
	// ErrInvalid is returned by Verify when it found problems (listed in
	// Report.Problems).
	ErrInvalid = errors.New("the backup has problems")
	// ErrTruncated and ErrChecksum are the TAR structure errors, inside a
	// *position.Error naming the byte offset.
	ErrTruncated = tarstream.ErrTruncated
	ErrChecksum  = tarstream.ErrChecksum
	// ErrNotTar: the file is not a TAR archive at all.
	ErrNotTar = tarstream.ErrNotTar
)

// Report is what Inspect, Verify or Fix found and did.
type Report struct {
	Archive string `json:"archive"`
	// Bytes is the archive's size as read, Written the output's (Fix).
	Bytes   int64 `json:"bytes"`
	Written int64 `json:"bytes_written,omitempty"`
	// Members counts every member, Other those of no Smart Backup
	// category (message store, greetings, ...) and OtherBytes their data.
	Members    int64 `json:"members"`
	Other      int64 `json:"other_members"`
	OtherBytes int64 `json:"other_bytes"`
	// Parts are the members of the Smart Backup categories, in archive order.
	Parts []Part `json:"parts"`
	// Categories lists the categories present, in the order of Category's
	// constants.
	Categories []Category `json:"categories"`
	// Journal and UCC are the engines' reports on fullexp.exp and
	// dump.sql, when they ran.
	Journal *journal.Report `json:"journal,omitempty"`
	UCC     *pgdump.Report  `json:"ucc,omitempty"`
	// Satellites are the satellites' .reg exports.
	Satellites []SatelliteReport `json:"satellites"`
	// Trailer describes the end of the archive.
	Trailer tarstream.Trailer `json:"trailer"`
	// Problems are what Verify found, at member:line:col or at a byte
	// offset of the archive; ProblemCount counts them all.
	Problems     []*position.Error `json:"problems"`
	ProblemCount int64             `json:"problem_count"`
	Warnings     []string          `json:"warnings"`
	// Changed lists the members Fix rewrote.
	Changed []string `json:"changed"`
	// Output and Backup are the files FixFile wrote and kept.
	Output string `json:"output,omitempty"`
	Backup string `json:"backup,omitempty"`
}

// Part is one member of a Smart Backup category.
type Part struct {
	Name     string   `json:"name"`
	Category Category `json:"category"`
	Size     int64    `json:"size"`
	// Offset is the archive offset of the member's first header block.
	Offset int64 `json:"offset"`
	// Encoding is the text encoding, where it was read: "utf-16le",
	// "utf-8" (with a BOM or declared), "cp1252" (single-byte, no BOM), or
	// the client_encoding of dump.sql.
	Encoding string `json:"encoding,omitempty"`
	// NewSize is the size after Fix changed the member.
	NewSize int64 `json:"new_size,omitempty"`
	Changed bool  `json:"changed,omitempty"`
	// Examined is false for a member that was only copied (Fix without
	// the fix that concerns it).
	Examined bool `json:"examined"`
}

// SatelliteReport is one satellite's .reg export.
type SatelliteReport struct {
	Member    string `json:"member"`
	Satellite string `json:"satellite"`
	// Format is "5.00" (Windows Registry Editor Version 5.00) or "4"
	// (REGEDIT4); empty when the file could not be read.
	Format string `json:"format"`
	// Native counts the key lines under HKLM\SOFTWARE\PP-COM (the path of
	// a 32-bit Windows, which a 64-bit one reads from Wow6432Node), Wow64
	// those under HKLM\SOFTWARE\Wow6432Node\PP-COM.
	Native int64 `json:"native_keys"`
	Wow64  int64 `json:"wow6432node_keys"`
	// Path is "32-bit", "Wow6432Node", "mixed", "none", or "unknown" when
	// the file is not a readable registry export (see Report.Warnings).
	Path string `json:"path"`
	// Moved counts the keys Fix moved under Wow6432Node.
	Moved int64 `json:"moved,omitempty"`
}

// NeedsWow64 reports whether the satellite has keys on the 32-bit path.
func (s SatelliteReport) NeedsWow64() bool { return s.Native > 0 }

// Needs says what the upgrade still needs, by fix.
type Needs struct {
	UCC        int64 `json:"ucc_addresses"`
	Journal    int64 `json:"journal_contenttypes"`
	Satellites int   `json:"satellites_32bit"`
}

// Any reports whether anything needs a fix.
func (n Needs) Any() bool { return n.UCC > 0 || n.Journal > 0 || n.Satellites > 0 }

// Needs returns what the examined members still need. After Fix it counts
// what the chosen fixes changed, as the counts are taken on the input.
func (r *Report) Needs() Needs {
	var n Needs
	if r.UCC != nil {
		n.UCC = r.UCC.Changed
	}
	if r.Journal != nil {
		n.Journal = r.Journal.Fixes()
	}
	for _, s := range r.Satellites {
		if s.NeedsWow64() {
			n.Satellites++
		}
	}
	return n
}

// Inspect reads the archive r and reports what it holds and what the
// upgrade still needs. Members of no Smart Backup category are skipped
// (seeked over when r is a file).
func Inspect(ctx context.Context, r io.Reader, opts Options) (*Report, error) {
	p := newPass(opts, modeInspect)
	return p.run(ctx, r, nil)
}

// Verify is Inspect plus the grammars: fullexp.exp record by record with
// the infotool grammar, the COPY blocks of dump.sql, and the XML members
// for well-formedness. Problems go to Report.Problems; Verify then returns
// ErrInvalid. TAR structure errors (a truncated archive, a bad checksum)
// end the pass and are returned as a *position.Error with the byte offset.
func Verify(ctx context.Context, r io.Reader, opts Options) (*Report, error) {
	p := newPass(opts, modeVerify)
	rep, err := p.run(ctx, r, nil)
	if err == nil && rep.ProblemCount > 0 {
		err = ErrInvalid
	}
	return rep, err
}

// Fix copies the archive r to w with the chosen fixes applied, in one pass.
// On an error part of the output may have been written and must be
// discarded (FixFile never lets it reach the destination name).
func Fix(ctx context.Context, r io.Reader, w io.Writer, opts Options) (*Report, error) {
	p := newPass(opts, modeFix)
	return p.run(ctx, r, newOutput(w, opts.TempDir))
}
