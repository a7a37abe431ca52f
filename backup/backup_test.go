package backup_test

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xdm-migrate/xdm/backup"
	"github.com/xdm-migrate/xdm/backup/tarstream"
	"github.com/xdm-migrate/xdm/internal/testtool"
	"github.com/xdm-migrate/xdm/journal"
	"github.com/xdm-migrate/xdm/position"
	"github.com/xdm-migrate/xdm/registry"
	"github.com/xdm-migrate/xdm/sql/pgdump"
)

var allFixes = backup.Fixes{UCC: true, Journal: true, Wow64: true}

// archives builds the Smart Backup with every writer the issue names.
func archives(t *testing.T) map[string][]byte {
	files := smartBackup(t)
	return map[string][]byte{
		"go-ustar-pax":        goTar(t, files, tar.FormatPAX),
		"go-gnu":              goTar(t, files, tar.FormatGNU),
		"gnutar-gnu":          toolTar(t, "tar", files, "--format=gnu"),
		"gnutar-posix":        toolTar(t, "tar", files, "--format=posix"),
		"gnutar-ustar":        toolTar(t, "tar", files[:len(files)-3], "--format=ustar"), // ustar has no room for the long name
		"bsdtar":              toolTar(t, "bsdtar", files),
		"gnutar-sparse-gnu":   toolTar(t, "tar", withSparse(files), "--format=gnu", "--sparse"),
		"gnutar-sparse-posix": toolTar(t, "tar", withSparse(files), "--format=posix", "--sparse"),
		"bsdtar-pax":          toolTar(t, "bsdtar", files, "--format", "pax"),
	}
}

// withSparse adds a sparse message-store file: passed through untouched.
func withSparse(files []file) []file {
	return append(append([]file{}, files...), file{name: "SmartBackup/FOLDERS/sparse.bin", typ: sparseFile, data: bytes.Repeat([]byte("data"), 2048)})
}

func writeFile(t *testing.T, dir, name string, b []byte) string {
	p := filepath.Join(dir, name)
	must(t, os.WriteFile(p, b, 0o644))
	return p
}

func TestFixFileEveryWriter(t *testing.T) {
	for name, arch := range archives(t) {
		t.Run(name, func(t *testing.T) {
			// The archives use the extension each writer is known for.
			switch {
			case strings.HasSuffix(name, "gnu") && !bytes.Contains(arch, []byte("././@LongLink")):
				t.Fatal("no GNU long name in a GNU-format archive")
			case strings.Contains(name, "sparse") && !sparseIn(arch):
				t.Fatal("no sparse member")
			case (strings.Contains(name, "pax") || strings.Contains(name, "posix") || name == "bsdtar") && !bytes.Contains(arch, []byte(" path=")):
				t.Fatal("no PAX path record in a PAX archive")
			}
			dir := t.TempDir()
			in := writeFile(t, dir, "BACKUP.tar", arch)
			out := filepath.Join(dir, "FIXED.tar")
			rep, err := backup.FixFile(context.Background(), in, backup.FileOptions{
				Options: backup.Options{Fixes: allFixes}, Output: out})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Changed) != 3 {
				t.Fatalf("changed %v, want fullexp.exp, dump.sql and SAT01.reg", rep.Changed)
			}
			fixed, err := os.ReadFile(out)
			must(t, err)
			compareMembers(t, arch, fixed)
			checkWithTar(t, dir, in, out)

			// The same pass to a writer that cannot seek spools the
			// changed members and must give the same bytes.
			var buf bytes.Buffer
			if _, err := backup.Fix(context.Background(), bytes.NewReader(arch), struct{ io.Writer }{&buf},
				backup.Options{Fixes: allFixes, TempDir: dir}); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), fixed) {
				t.Fatal("Fix to a plain writer differs from FixFile")
			}
		})
	}
}

func sparseIn(arch []byte) bool {
	r := tarstream.NewReader(bytes.NewReader(arch))
	for {
		e, err := r.Next()
		if err != nil {
			return false
		}
		if e.Sparse {
			return true
		}
	}
}

// compareMembers checks, member by member, that unchanged members are
// byte-identical (headers and data) and that a changed member's header
// differs only in the size and checksum fields.
func compareMembers(t *testing.T, in, out []byte) {
	t.Helper()
	ri, ro := tarstream.NewReader(bytes.NewReader(in)), tarstream.NewReader(bytes.NewReader(out))
	n := 0
	for {
		ei, err := ri.Next()
		eo, err2 := ro.Next()
		if err == io.EOF && err2 == io.EOF {
			break
		}
		if err != nil || err2 != nil {
			t.Fatalf("member %d: %v / %v", n, err, err2)
		}
		n++
		di, _ := io.ReadAll(ri)
		do, _ := io.ReadAll(ro)
		if ei.Name != eo.Name {
			t.Fatalf("member %d: %s became %s", n, ei.Name, eo.Name)
		}
		if bytes.Equal(di, do) {
			if !bytes.Equal(ei.Raw, eo.Raw) {
				t.Errorf("%s: unchanged data but a different header", ei.Name)
			}
			continue
		}
		if len(ei.Raw) != len(eo.Raw) {
			t.Errorf("%s: header blocks %d -> %d bytes", ei.Name, len(ei.Raw), len(eo.Raw))
			continue
		}
		main := len(ei.Raw) - tarstream.BlockSize
		for i := range ei.Raw {
			off := i - main
			inSize := off >= 124 && off < 136
			inSum := off >= 148 && off < 156
			if ei.Raw[i] != eo.Raw[i] && !inSize && !inSum && i < main {
				// a PAX header before the main header: only its size
				// record may change, which moves its checksum too
				continue
			}
			if ei.Raw[i] != eo.Raw[i] && !inSize && !inSum {
				t.Errorf("%s: header byte %d changed", ei.Name, off)
			}
		}
	}
	if n < 10 {
		t.Fatalf("only %d members compared", n)
	}
	ti, _ := ri.CopyTrailer(io.Discard)
	to, _ := ro.CopyTrailer(io.Discard)
	if ti != to {
		t.Fatalf("trailer %+v became %+v", ti, to)
	}
}

// checkWithTar lists and extracts input and output with GNU tar and checks
// the files: unchanged ones identical, changed ones what the engines write
// for the extracted originals.
func checkWithTar(t *testing.T, dir, in, out string) {
	t.Helper()
	bin := testtool.LookPath(t, "tar", "GNU tar")
	if b, err := exec.Command(bin, "-tvf", out).CombinedOutput(); err != nil {
		t.Fatalf("tar -tvf: %v\n%s", err, b)
	}
	x1, x2 := filepath.Join(dir, "x-in"), filepath.Join(dir, "x-out")
	for _, x := range [][2]string{{in, x1}, {out, x2}} {
		must(t, os.MkdirAll(x[1], 0o755))
		if b, err := exec.Command(bin, "-xf", x[0], "-C", x[1]).CombinedOutput(); err != nil {
			t.Fatalf("tar -xf %s: %v\n%s", x[0], err, b)
		}
	}
	files := 0
	err := filepath.WalkDir(x1, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		files++
		rel, _ := filepath.Rel(x1, p)
		orig, _ := os.ReadFile(p)
		got, err := os.ReadFile(filepath.Join(x2, rel))
		if err != nil {
			return err
		}
		want := orig
		switch filepath.Base(rel) {
		case "fullexp.exp":
			want = engineOutput(t, orig, func(r io.Reader, w io.Writer) error {
				_, err := journal.Fix(context.Background(), r, w, journal.Options{})
				return err
			})
		case "dump.sql":
			want = engineOutput(t, orig, func(r io.Reader, w io.Writer) error {
				_, err := pgdump.Rewrite(context.Background(), r, w, pgdump.Options{})
				return err
			})
		case "SAT01.reg":
			want = engineOutput(t, orig, func(r io.Reader, w io.Writer) error {
				_, err := registry.Wow64(context.Background(), r, w, registry.Wow64Options{})
				return err
			})
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: extracted output differs from what was expected", rel)
		}
		if bytes.Equal(want, orig) != !strings.Contains("fullexp.exp dump.sql SAT01.reg", filepath.Base(rel)) {
			t.Errorf("%s: the fix did not change what it should (or changed what it should not)", rel)
		}
		return nil
	})
	must(t, err)
	if files < 10 {
		t.Fatalf("only %d files compared", files)
	}
}

func engineOutput(t *testing.T, in []byte, run func(io.Reader, io.Writer) error) []byte {
	var buf bytes.Buffer
	must(t, run(bytes.NewReader(in), &buf))
	return buf.Bytes()
}

func TestInspect(t *testing.T) {
	arch := goTar(t, smartBackup(t), tar.FormatPAX)
	rep, err := backup.Inspect(context.Background(), bytes.NewReader(arch), backup.Options{Name: "BACKUP.tar"})
	if err != nil {
		t.Fatal(err)
	}
	want := []backup.Category{backup.Infostor, backup.UCC, backup.Registry, backup.Satellite, backup.NCO, backup.AppHost, backup.Keystore, backup.Settings, backup.Other}
	if strings.Join(cats(rep.Categories), ",") != strings.Join(cats(want), ",") {
		t.Fatalf("categories %v, want %v", rep.Categories, want)
	}
	dump, _ := pgdump.Rewrite(context.Background(), bytes.NewReader(readTestdata(t, "sql/pgdump/testdata/utf8.in")), io.Discard, pgdump.Options{})
	n := rep.Needs()
	if n.UCC != dump.Changed || n.UCC == 0 || n.Journal != 1 || n.Satellites != 1 || !n.Any() {
		t.Fatalf("needs %+v", n)
	}
	if rep.Journal.Changed[4352] != 1 {
		t.Fatalf("journal changes by old value: %v", rep.Journal.Changed)
	}
	sat := rep.Satellites[0]
	if sat.Satellite != "SAT01" || sat.Path != "32-bit" || sat.Native != 3 || sat.Format != "5.00" {
		t.Fatalf("satellite %+v", sat)
	}
	enc := map[string]string{}
	for _, p := range rep.Parts {
		enc[filepath.Base(p.Name)] = p.Encoding
	}
	for name, e := range map[string]string{"fullexp.exp": "cp1252", "dump.sql": "UTF8", "SAT01.reg": "utf-16le", "regexp_serverconf.reg": "utf-16le",
		"NcoMainTree.xml": "utf-8", "VariableProposals.xml": "windows-1252", "settings.ini": "cp1252"} {
		if enc[name] != e {
			t.Errorf("%s: encoding %q, want %q", name, enc[name], e)
		}
	}
}

func cats(cs []backup.Category) []string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return s
}

func TestVerifyProblems(t *testing.T) {
	files := smartBackup(t)
	bobLine := 0 // the row that loses a field, counted in the dump as it is
	for i := range files {
		switch filepath.Base(files[i].name) {
		case "dump.sql":
			row := []byte("2\tBob\tbob@example.com\n")
			at := bytes.Index(files[i].data, row)
			if at < 0 {
				t.Fatalf("the sample dump lacks the row %q", row)
			}
			bobLine = bytes.Count(files[i].data[:at], []byte("\n")) + 1
			files[i].data = bytes.Replace(files[i].data, row, []byte("2\tBob\n"), 1)
		case "NcoMainTree.xml":
			files[i].data = []byte(strings.Replace(ncoXML, "</Node>\r\n</NcoMainTree>", "</NcoMainTree>", 1))
		case "fullexp.exp":
			files[i].data = bytes.Replace(files[i].data, []byte("[SYSTEM]"), []byte("[SYSTEM"), 1)
		case "regexp_serverconf.reg":
			files[i].data = utf16File(strings.Replace(serverReg, `"ServerName"="XPR01"`, `"ServerName"=XPR01`, 1))
		}
	}
	arch := goTar(t, files, tar.FormatPAX)
	rep, err := backup.Verify(context.Background(), bytes.NewReader(arch), backup.Options{})
	if !errors.Is(err, backup.ErrInvalid) {
		t.Fatalf("err %v, want ErrInvalid", err)
	}
	got := map[string]*position.Error{}
	for _, p := range rep.Problems {
		got[filepath.Base(p.File)] = p
	}
	if p := got["dump.sql"]; p == nil || p.Line != int64(bobLine) || !errors.Is(p, backup.ErrCopyBlock) {
		t.Errorf("dump.sql problem: %v", p)
	}
	if p := got["NcoMainTree.xml"]; p == nil || p.Line != 6 || !errors.Is(p, backup.ErrXML) {
		t.Errorf("NcoMainTree.xml problem: %v", p)
	}
	if p := got["fullexp.exp"]; p == nil || p.Line != 26 || p.Column == 0 {
		t.Errorf("fullexp.exp problem: %v", p)
	}
	if p := got["regexp_serverconf.reg"]; p == nil || p.Line != 4 || p.Column == 0 {
		t.Errorf("regexp_serverconf.reg problem: %v", p)
	}
	if rep.ProblemCount != 4 {
		t.Errorf("%d problems: %v", rep.ProblemCount, rep.Problems)
	}

	// A dump cut off inside a COPY block is one problem, at the block.
	for i := range files {
		if filepath.Base(files[i].name) == "dump.sql" {
			files[i].data = files[i].data[:bytes.Index(files[i].data, []byte("2\tBob"))]
		}
	}
	rep, _ = backup.Verify(context.Background(), bytes.NewReader(goTar(t, files, tar.FormatPAX)), backup.Options{})
	var dumpProblems []*position.Error
	for _, p := range rep.Problems {
		if filepath.Base(p.File) == "dump.sql" {
			dumpProblems = append(dumpProblems, p)
		}
	}
	if len(dumpProblems) != 1 || !errors.Is(dumpProblems[0], backup.ErrCopyBlock) || rep.ProblemCount != 4 {
		t.Errorf("truncated dump.sql: %d problems in all, %v", rep.ProblemCount, dumpProblems)
	}

	// The untouched backup verifies.
	if _, err := backup.Verify(context.Background(), bytes.NewReader(goTar(t, smartBackup(t), tar.FormatGNU)), backup.Options{}); err != nil {
		t.Fatalf("a valid backup: %v", err)
	}
}

// TestFixRefuses checks the inputs that must stop the run with nothing
// written: the destination does not appear and no temporary file is left.
func TestFixRefuses(t *testing.T) {
	good := goTar(t, smartBackup(t), tar.FormatPAX)
	firstData := int64(0)
	{
		r := tarstream.NewReader(bytes.NewReader(good))
		for {
			e, err := r.Next()
			must(t, err)
			if strings.HasSuffix(e.Name, "fullexp.exp") {
				firstData = e.DataOffset
				break
			}
		}
	}
	corrupt := bytes.Clone(good)
	corrupt[firstData-512+10] ^= 0x20 // a byte of the main header's name
	dup := smartBackup(t)
	dup = append(dup, file{name: "SmartBackup/copy/dump.sql", data: []byte("-- empty\n")})
	collide := smartBackup(t)
	for i := range collide {
		if strings.HasSuffix(collide[i].name, "dump.sql") {
			collide[i].data = []byte("CREATE TABLE symconferencing.invitees (id integer, invitationaddress text);\n" +
				"COPY symconferencing.invitees (id, invitationaddress) FROM stdin;\n1\tA@x.de\n2\ta@x.de\n\\.\n\n" +
				"CREATE UNIQUE INDEX inv_addr ON symconferencing.invitees USING btree (invitationaddress);\n")
		}
	}
	cases := []struct {
		name string
		arch []byte
		want error
	}{
		{"truncated-in-data", good[:firstData+100], backup.ErrTruncated},
		{"truncated-at-block", good[:len(good)-1024], backup.ErrTruncated},
		{"header-checksum", corrupt, backup.ErrChecksum},
		// fullexp.exp loses a block of its data, the archive goes on: the
		// next "header" is a block of the following member's data.
		{"member-cut-short", append(bytes.Clone(good[:firstData+512]), good[firstData+1024:]...), backup.ErrChecksum},
		{"duplicate-dump", goTar(t, dup, tar.FormatPAX), backup.ErrDuplicate},
		{"no-xpr-members", goTar(t, []file{{name: "a.txt", data: []byte("x")}, {name: "b/", typ: tar.TypeDir}}, tar.FormatPAX), backup.ErrNotBackup},
		{"ucc-collision", goTar(t, collide, tar.FormatPAX), backup.ErrCollisions},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			in := writeFile(t, dir, "BACKUP.tar", c.arch)
			_, err := backup.FixFile(context.Background(), in, backup.FileOptions{Options: backup.Options{Fixes: allFixes}})
			if !errors.Is(err, c.want) {
				t.Fatalf("err %v, want %v", err, c.want)
			}
			var pe *position.Error
			if !errors.As(err, &pe) {
				t.Fatalf("%v is not a *position.Error", err)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Fatalf("left in the folder: %v", entries)
			}
			b, _ := os.ReadFile(in)
			if !bytes.Equal(b, c.arch) {
				t.Fatal("the input changed")
			}
		})
	}
}

func TestFixFileCancelled(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, dir, "BACKUP.tar", goTar(t, smartBackup(t), tar.FormatPAX))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := backup.FixFile(ctx, in, backup.FileOptions{Options: backup.Options{Fixes: allFixes}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("left in the folder: %v", entries)
	}
}

func TestFixFileInPlaceKeepsOrig(t *testing.T) {
	dir := t.TempDir()
	arch := goTar(t, smartBackup(t), tar.FormatGNU)
	in := writeFile(t, dir, "BACKUP.tar", arch)
	rep, err := backup.FixFile(context.Background(), in, backup.FileOptions{Options: backup.Options{Fixes: backup.Fixes{UCC: true}}})
	must(t, err)
	if rep.Backup != in+".orig" || len(rep.Changed) != 1 {
		t.Fatalf("report %+v", rep)
	}
	orig, _ := os.ReadFile(in + ".orig")
	if !bytes.Equal(orig, arch) {
		t.Fatal(".orig is not the original")
	}
	// A second run has nothing left to fix and writes nothing.
	rep, err = backup.FixFile(context.Background(), in, backup.FileOptions{Options: backup.Options{Fixes: backup.Fixes{UCC: true}}, Force: true})
	must(t, err)
	if len(rep.Changed) != 0 || rep.Output != "" {
		t.Fatalf("second run changed %v", rep.Changed)
	}
}

// TestFixFileRepeated: the same fix run again without --force finds nothing
// to change and succeeds, as journal fix and ucc lowercase --dump do; a run
// that would change the archive is refused while NAME.orig exists, and
// leaves both files as they are.
func TestFixFileRepeated(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, dir, "BACKUP.tar", goTar(t, smartBackup(t), tar.FormatPAX))
	ucc := backup.FileOptions{Options: backup.Options{Fixes: backup.Fixes{UCC: true}}}
	_, err := backup.FixFile(context.Background(), in, ucc)
	must(t, err)
	fixed, _ := os.ReadFile(in)
	orig, _ := os.ReadFile(in + ".orig")

	rep, err := backup.FixFile(context.Background(), in, ucc)
	if err != nil || len(rep.Changed) != 0 || rep.Output != "" || rep.UCC == nil || rep.UCC.Changed != 0 {
		t.Fatalf("repeated run: %v, report %+v", err, rep)
	}
	_, err = backup.FixFile(context.Background(), in, backup.FileOptions{Options: backup.Options{Fixes: backup.Fixes{Journal: true}}})
	if !errors.Is(err, fs.ErrExist) {
		t.Fatalf("a run that would change the archive: %v", err)
	}
	now, _ := os.ReadFile(in)
	nowOrig, _ := os.ReadFile(in + ".orig")
	if !bytes.Equal(now, fixed) || !bytes.Equal(nowOrig, orig) {
		t.Fatal("a refused run changed the files")
	}
}

// A member to fix that is stored sparse cannot be rewritten: its stored
// bytes are not its content.
func TestFixSparseTarget(t *testing.T) {
	files := []file{{name: "SmartBackup/UCC/dump.sql", typ: sparseFile, data: []byte("COPY x (a) FROM stdin;\n\\.\n")}}
	arch := toolTar(t, "tar", files, "--format=gnu", "--sparse")
	dir := t.TempDir()
	in := writeFile(t, dir, "BACKUP.tar", arch)
	_, err := backup.FixFile(context.Background(), in, backup.FileOptions{Options: backup.Options{Fixes: backup.Fixes{UCC: true}}})
	if !errors.Is(err, backup.ErrSparse) {
		t.Fatalf("err %v", err)
	}
	rep, err := backup.Inspect(context.Background(), bytes.NewReader(arch), backup.Options{})
	if err != nil || len(rep.Warnings) == 0 || !strings.Contains(rep.Warnings[0], "sparse") {
		t.Fatalf("inspect: %v %v", err, rep.Warnings)
	}
}

// TestTruncatedInEveryPart cuts the archive inside the data of each member
// (those inspect and verify read, and those they seek over): every pass returns the TAR structure error
// placed in the archive (a *position.Error naming it), which the CLI maps
// to exit 3, whichever engine was reading when the input ended.
func TestTruncatedInEveryPart(t *testing.T) {
	good := goTar(t, smartBackup(t), tar.FormatPAX)
	cut := map[string][]byte{}
	r := tarstream.NewReader(bytes.NewReader(good))
	for {
		e, err := r.Next()
		if err == io.EOF {
			break
		}
		must(t, err)
		if e.IsRegular() && e.Size > 20 {
			cut[e.Name] = good[:e.DataOffset+20]
		}
	}
	if len(cut) < 8 {
		t.Fatalf("only %d members to cut inside: %v", len(cut), cut)
	}
	passes := map[string]func(context.Context, io.Reader, backup.Options) (*backup.Report, error){
		"inspect": backup.Inspect, "verify": backup.Verify}
	for member, arch := range cut {
		for name, pass := range passes {
			_, err := pass(context.Background(), bytes.NewReader(arch), backup.Options{Name: "BACKUP.tar"})
			var pe *position.Error
			if !errors.Is(err, backup.ErrTruncated) || !errors.As(err, &pe) || pe.File != "BACKUP.tar" {
				t.Errorf("%s cut inside %s: %T %v, want a *position.Error in BACKUP.tar around ErrTruncated", name, member, err, err)
			}
		}
	}
}

// TestVerifySatelliteProblems: a satellite's .reg is read by the Wow6432Node
// engine and, beside it, by the registry grammar check. A line that stops
// the engine must not stop the check: Verify lists every problem of the
// file (two here, 100 KiB apart) and ends. It used to spin for ever.
func TestVerifySatelliteProblems(t *testing.T) {
	var pad strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&pad, "\"Value%04d\"=\"some text to fill the file\"\r\n", i)
	}
	bad := strings.Replace(satelliteReg, "\"Satellite\"=dword:00000001", "\"Satellite\"=dword:xyz", 1) +
		"[HKEY_LOCAL_MACHINE\\SOFTWARE\\PP-COM\\MRS\\Padding]\r\n" + pad.String() + "\"Last\"=hex:0g\r\n"
	files := smartBackup(t)
	for i := range files {
		if filepath.Base(files[i].name) == "SAT01.reg" {
			files[i].data = utf16File(bad)
		}
	}
	arch := goTar(t, files, tar.FormatPAX)
	type result struct {
		rep *backup.Report
		err error
	}
	done := make(chan result, 1)
	go func() {
		rep, err := backup.Verify(context.Background(), bytes.NewReader(arch), backup.Options{})
		done <- result{rep, err}
	}()
	var res result
	select {
	case res = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Verify did not end within 30 s")
	}
	if !errors.Is(res.err, backup.ErrInvalid) {
		t.Fatalf("err %v, want ErrInvalid", res.err)
	}
	var lines []int64
	for _, p := range res.rep.Problems {
		if filepath.Base(p.File) == "SAT01.reg" {
			lines = append(lines, p.Line)
		}
	}
	if want := []int64{7, 2014}; !slices.Equal(lines, want) {
		t.Errorf("SAT01.reg problems at lines %v, want %v: %v", lines, want, res.rep.Problems)
	}
}

// TestVerifyXMLEncodings: XML members in the encodings XML 1.0 readers must
// or commonly read (UTF-16 with either byte order, the ASCII and Latin
// labels) are well-formed, whatever writer saved them.
func TestVerifyXMLEncodings(t *testing.T) {
	doc := func(enc string) string {
		return "<?xml version=\"1.0\" encoding=\"" + enc + "\"?>\r\n<NcoMainTree version=\"7\">\r\n  <Node name=\"Voicemail\" id=\"1\"/>\r\n</NcoMainTree>\r\n"
	}
	utf16BE := func(s string) []byte {
		le := utf16File(s)
		for i := 0; i+1 < len(le); i += 2 {
			le[i], le[i+1] = le[i+1], le[i]
		}
		return le
	}
	members := map[string][]byte{
		"UTF-16BE with BOM": utf16BE(doc("UTF-16")),
		"UTF-16LE with BOM": utf16File(doc("utf-16")),
		"US-ASCII":          []byte(doc("US-ASCII")),
		"ISO-8859-15":       []byte(strings.Replace(doc("ISO-8859-15"), "Voicemail", "Gr\xfc\xdfe \xa4", 1)),
	}
	for name, data := range members {
		t.Run(name, func(t *testing.T) {
			files := smartBackup(t)
			for i := range files {
				if filepath.Base(files[i].name) == "NcoMainTree.xml" {
					files[i].data = data
				}
			}
			rep, err := backup.Verify(context.Background(), bytes.NewReader(goTar(t, files, tar.FormatPAX)), backup.Options{})
			if err != nil {
				t.Fatalf("%v: %v", err, rep.Problems)
			}
		})
	}
}
