package xphone

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/xdm-migrate/xdm/internal/atomicfile"
	"github.com/xdm-migrate/xdm/internal/plural"
	"github.com/xdm-migrate/xdm/position"
	"github.com/xdm-migrate/xdm/transform"
)

// Prompt kinds in the manifest.
const (
	KindGreeting      = "greeting"
	KindRecordedName  = "recorded_name"
	KindAutoAttendant = "autoattendant"
)

// Options controls Convert and Check. The zero value uses the default
// mapping, leaves phone numbers as they are, writes UTF-8 TAB-separated
// users and converts prompts on all CPUs.
type Options struct {
	// Mapping of V4 columns to V9 attributes; nil means DefaultMapping().
	Mapping *Mapping
	// Users are the options for users.csv.
	Users UsersOptions
	// DryRun converts everything but writes nothing.
	DryRun bool
	// Force replaces a non-empty output folder.
	Force bool
	// Workers converting prompts in parallel; 0 means GOMAXPROCS.
	Workers int
	// Progress is called as users are read and prompts converted.
	Progress func(Progress)
}

// Progress is a snapshot for a progress display.
type Progress struct {
	Stage string // "users" or "prompts"
	Done  int
	Total int // 0 when unknown (users)
}

// Prompt is one converted audio file: a row of manifest.csv.
type Prompt struct {
	Kind       string `json:"kind"`
	ID         string `json:"id,omitempty"`
	Account    string `json:"account,omitempty"`
	AAName     string `json:"aa_name,omitempty"`
	Prompt     string `json:"prompt,omitempty"`
	Source     string `json:"source"` // relative to the export folder, "/" separated
	Target     string `json:"target"` // relative to the output folder, "/" separated
	DurationMS int64  `json:"duration_ms"`
	SHA256     string `json:"sha256"`
	Format     string `json:"source_format"`
}

// FileProblem is an export file that was not converted, and why.
type FileProblem struct {
	Path    string `json:"path"` // relative to the export folder, "/" separated
	Message string `json:"message"`
}

func (p FileProblem) String() string { return p.Path + ": " + p.Message }

// Report is the outcome of Convert and Check.
type Report struct {
	Export  string        `json:"export"`
	Out     string        `json:"out,omitempty"`
	DryRun  bool          `json:"dry_run,omitempty"`
	Users   UsersReport   `json:"users"`
	Prompts []Prompt      `json:"prompts"`
	Skipped []FileProblem `json:"skipped_files"`
	Ignored []string      `json:"ignored,omitempty"` // files outside the export layout
}

// Problems is the number of rows and files that were not converted.
func (r *Report) Problems() int { return len(r.Users.Skipped) + len(r.Skipped) }

// Output layout.
const (
	UsersFile    = "users.csv"
	ManifestFile = "prompts/manifest.csv"
	ReportFile   = "report.txt"
)

// Check validates an export folder: users.csv (encoding, header, mandatory
// fields, duplicates, values the V9 connector would misread) and every audio
// file, without writing anything. Report.Problems() counts what Convert
// would skip.
func Check(ctx context.Context, exportDir string, opts Options) (Report, error) {
	opts.DryRun = true
	return Convert(ctx, exportDir, "", opts)
}

// Convert turns the V4 export in exportDir into a V9 import folder outDir:
// users.csv, prompts/… with prompts/manifest.csv, and report.txt. The folder
// is written under a temporary name and renamed when complete; an existing
// non-empty outDir is refused unless opts.Force, and an outDir that is or
// holds exportDir (or the working folder) always. Rows and files that cannot
// be converted are skipped and listed in the report; the error is for what
// stops the whole run (no users.csv, an unusable header, I/O).
func Convert(ctx context.Context, exportDir, outDir string, opts Options) (Report, error) {
	rep := Report{Export: exportDir, Out: outDir, DryRun: opts.DryRun}
	m := DefaultMapping()
	if opts.Mapping != nil {
		m = *opts.Mapping
	}
	progress := opts.Progress
	if progress == nil {
		progress = func(Progress) {}
	}
	usersPath, err := findFile(exportDir, UsersFile)
	if err != nil {
		return rep, err
	}

	var dir *atomicfile.Dir
	tmp := ""
	if !opts.DryRun {
		if outDir == "" {
			return rep, errors.New("no output folder given")
		}
		dir, err = atomicfile.BeginDir(atomicfile.DirOptions{Input: exportDir, Output: outDir, Force: opts.Force})
		if err != nil {
			return rep, err
		}
		defer dir.Abort()
		tmp = dir.Temp
	}

	// Users.
	in, err := os.Open(usersPath)
	if err != nil {
		return rep, err
	}
	defer in.Close()
	uopts := opts.Users
	uopts.Progress = func(n int) { progress(Progress{Stage: "users", Done: n}) }
	var usersOut bytes.Buffer
	rep.Users, err = ConvertUsers(ctx, in, &usersOut, m, uopts)
	if err != nil {
		var pe *position.Error
		if errors.As(err, &pe) {
			return rep, position.In(usersPath, err)
		}
		return rep, fmt.Errorf("%s: %w", usersPath, err)
	}
	if tmp != "" {
		if err := writeFile(filepath.Join(tmp, UsersFile), usersOut.Bytes()); err != nil {
			return rep, err
		}
	}

	// Prompts.
	jobs := rep.scan(exportDir, m)
	if err := convertPrompts(ctx, tmp, jobs, opts.Workers, progress, &rep); err != nil {
		return rep, err
	}
	if tmp == "" {
		return rep, nil
	}
	if err := writeFile(filepath.Join(tmp, filepath.FromSlash(ManifestFile)), []byte(rep.manifest())); err != nil {
		return rep, err
	}
	if err := writeFile(filepath.Join(tmp, ReportFile), []byte(rep.Text())); err != nil {
		return rep, err
	}
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	return rep, dir.Commit()
}

// writeFile writes b to name in the temporary output folder and syncs it,
// so that the folder's rename on Commit publishes complete files.
func writeFile(name string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// findFile returns dir/name, matching name case-insensitively as Windows does.
func findFile(dir, name string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if e.Name() == name && !e.IsDir() {
			return filepath.Join(dir, e.Name()), nil
		}
	}
	for _, e := range entries {
		if strings.EqualFold(e.Name(), name) && !e.IsDir() {
			return filepath.Join(dir, e.Name()), nil
		}
	}
	return "", fmt.Errorf("%s: %w: no %s", dir, ErrInvalid, name)
}

// job is one audio file to convert.
type job struct {
	Prompt
	src string // OS path
}

var greetingName = regexp.MustCompile(`(?i)^greeting([1-9])\.wav$`)

// scan lists the audio files of the export in manifest order (users in
// users.csv order, then Auto Attendants by name) and records in rep what it
// cannot place.
func (rep *Report) scan(exportDir string, m Mapping) []job {
	var jobs []job
	entries, _ := os.ReadDir(exportDir)
	var vmDir, aaDir string
	for _, e := range entries {
		switch {
		case e.IsDir() && strings.EqualFold(e.Name(), "voicemail") && vmDir == "":
			vmDir = e.Name()
		case e.IsDir() && strings.EqualFold(e.Name(), "autoattendant") && aaDir == "":
			aaDir = e.Name()
		case !e.IsDir() && strings.EqualFold(e.Name(), UsersFile):
		case strings.HasPrefix(e.Name(), "."):
			// hidden, or our own temporary output folder
		default:
			rep.Ignored = append(rep.Ignored, e.Name())
		}
	}
	if vmDir != "" {
		jobs = append(jobs, rep.scanVoicemail(exportDir, vmDir, m)...)
	}
	if aaDir != "" {
		jobs = append(jobs, rep.scanAutoAttendant(exportDir, aaDir)...)
	}
	return jobs
}

// isJunk reports whether name is a file Windows or macOS leaves in folders
// (thumbnail caches, folder settings): ignored, not a problem.
func isJunk(name string) bool {
	switch strings.ToLower(name) {
	case "thumbs.db", "desktop.ini", ".ds_store", "ehthumbs.db":
		return true
	}
	return strings.HasPrefix(name, "._")
}

// list reads the folder rel of the export; junk files go to rep.Ignored.
func (rep *Report) list(exportDir, rel string) ([]os.DirEntry, error) {
	entries, err := os.ReadDir(filepath.Join(exportDir, filepath.FromSlash(rel)))
	out := entries[:0]
	for _, e := range entries {
		if isJunk(e.Name()) {
			rep.Ignored = append(rep.Ignored, path.Join(rel, e.Name()))
			continue
		}
		out = append(out, e)
	}
	return out, err
}

func (rep *Report) skip(p, format string, args ...any) {
	rep.Skipped = append(rep.Skipped, FileProblem{Path: p, Message: fmt.Sprintf(format, args...)})
}

func (rep *Report) scanVoicemail(exportDir, vmDir string, m Mapping) []job {
	entries, err := rep.list(exportDir, vmDir)
	if err != nil {
		rep.skip(vmDir, "%v", err)
		return nil
	}
	byKey := map[string]int{}
	byFoldedKey := map[string]int{}
	for i, u := range rep.Users.Users {
		byKey[u.Key] = i
		if _, ok := byFoldedKey[strings.ToLower(u.Key)]; !ok {
			byFoldedKey[strings.ToLower(u.Key)] = i
		}
	}
	perUser := map[int][]job{}
	idDirs := map[string]string{} // sanitised ID -> ID
	for _, e := range entries {
		rel := path.Join(vmDir, e.Name())
		if !e.IsDir() {
			rep.skip(rel, "not in a user folder (voicemail/<UserKey>/)")
			continue
		}
		ui, ok := byKey[e.Name()]
		if !ok {
			ui, ok = byFoldedKey[strings.ToLower(e.Name())]
		}
		files, err := rep.list(exportDir, rel)
		if err != nil {
			rep.skip(rel, "%v", err)
			continue
		}
		if !ok {
			for _, f := range files {
				rep.skip(path.Join(rel, f.Name()), "no user with %s %q was written to users.csv", m.KeyColumn, e.Name())
			}
			continue
		}
		u := rep.Users.Users[ui]
		idDir := SafeName(u.ID)
		if other, taken := idDirs[strings.ToLower(idDir)]; taken && other != u.ID {
			for _, f := range files {
				rep.skip(path.Join(rel, f.Name()), "ID %q gives the same folder name %q as ID %q", u.ID, idDir, other)
			}
			continue
		}
		idDirs[strings.ToLower(idDir)] = u.ID
		var js []job
		seen := map[string]string{}
		for _, f := range files {
			frel := path.Join(rel, f.Name())
			var target, kind string
			if g := greetingName.FindStringSubmatch(f.Name()); g != nil && !f.IsDir() {
				target, kind = "greeting"+g[1]+".wav", KindGreeting
			} else if strings.EqualFold(f.Name(), "name.wav") && !f.IsDir() {
				target, kind = "recorded_name.wav", KindRecordedName
			} else {
				rep.skip(frel, "not a personal greeting (greeting1.wav to greeting9.wav) or recorded name (name.wav)")
				continue
			}
			if prev, dup := seen[target]; dup {
				rep.skip(frel, "same target as %s", prev)
				continue
			}
			seen[target] = frel
			js = append(js, job{
				Prompt: Prompt{Kind: kind, ID: u.ID, Account: u.Account, Source: frel,
					Target: path.Join("prompts/users", idDir, target)},
				src: filepath.Join(exportDir, vmDir, e.Name(), f.Name()),
			})
		}
		sort.Slice(js, func(i, j int) bool { return js[i].Target < js[j].Target })
		perUser[ui] = append(perUser[ui], js...)
	}
	var jobs []job
	for i := range rep.Users.Users {
		jobs = append(jobs, perUser[i]...)
	}
	return jobs
}

func (rep *Report) scanAutoAttendant(exportDir, aaDir string) []job {
	entries, err := rep.list(exportDir, aaDir)
	if err != nil {
		rep.skip(aaDir, "%v", err)
		return nil
	}
	var jobs []job
	aaNames := map[string]string{}
	for _, e := range entries {
		rel := path.Join(aaDir, e.Name())
		if !e.IsDir() {
			rep.skip(rel, "not in an Auto Attendant folder (autoattendant/<AAName>/)")
			continue
		}
		aa := SafeName(e.Name())
		if other, dup := aaNames[strings.ToLower(aa)]; dup {
			rep.skip(rel, "Auto Attendant name gives the same folder name %q as %q", aa, other)
			continue
		}
		aaNames[strings.ToLower(aa)] = e.Name()
		files, err := rep.list(exportDir, rel)
		if err != nil {
			rep.skip(rel, "%v", err)
			continue
		}
		prompts := map[string]string{}
		for _, f := range files {
			frel := path.Join(rel, f.Name())
			ext := path.Ext(f.Name())
			if f.IsDir() || !strings.EqualFold(ext, ".wav") {
				rep.skip(frel, "not a .wav file")
				continue
			}
			name := SafeName(strings.TrimSuffix(f.Name(), ext))
			if other, dup := prompts[strings.ToLower(name)]; dup {
				rep.skip(frel, "prompt name gives the same file name %q as %s", name+".wav", other)
				continue
			}
			prompts[strings.ToLower(name)] = frel
			jobs = append(jobs, job{
				Prompt: Prompt{Kind: KindAutoAttendant, AAName: e.Name(), Prompt: strings.TrimSuffix(f.Name(), ext),
					Source: frel, Target: path.Join("prompts/autoattendant", aa, name+".wav")},
				src: filepath.Join(exportDir, aaDir, e.Name(), f.Name()),
			})
		}
	}
	return jobs
}

// convertPrompts converts jobs on the ordered pipeline of package
// transform: results keep the order of jobs. tmp == "" converts without
// writing.
func convertPrompts(ctx context.Context, tmp string, jobs []job, workers int, progress func(Progress), rep *Report) error {
	var bufs sync.Pool // *bytes.Buffer: a converted prompt, before it is hashed and written
	done := 0
	err := transform.Pipeline[job, converted]{
		Workers: workers,
		Produce: func(_ context.Context, send func(job) error) error {
			for _, j := range jobs {
				if err := send(j); err != nil {
					return err
				}
			}
			return nil
		},
		Work: func(_ context.Context, j job) (converted, error) {
			buf, _ := bufs.Get().(*bytes.Buffer)
			if buf == nil {
				buf = new(bytes.Buffer)
			}
			defer bufs.Put(buf)
			return convertOne(j, tmp, buf)
		},
		Consume: func(j job, c converted) error {
			done++
			progress(Progress{Stage: "prompts", Done: done, Total: len(jobs)})
			if c.skip != "" {
				rep.skip(j.Source, "%s", c.skip)
				return nil
			}
			rep.Prompts = append(rep.Prompts, c.prompt)
			return nil
		},
	}.Run(ctx)
	if err != nil {
		return err
	}
	slices.SortStableFunc(rep.Skipped, func(a, b FileProblem) int { return strings.Compare(a.Path, b.Path) })
	return nil
}

// converted is a converted prompt, or why its file was skipped.
type converted struct {
	prompt Prompt
	skip   string
}

// convertOne converts one job, writing the file when tmp is set. A problem
// with the input is returned as skip, anything else as the error.
func convertOne(j job, tmp string, buf *bytes.Buffer) (converted, error) {
	f, err := os.Open(j.src)
	if err != nil {
		return converted{skip: err.Error()}, nil
	}
	defer f.Close()
	buf.Reset()
	info, err := ConvertPrompt(f, buf)
	if err != nil {
		if isInputError(err) {
			return converted{skip: err.Error()}, nil
		}
		return converted{}, fmt.Errorf("%s: %w", j.src, err)
	}
	sum := sha256.Sum256(buf.Bytes())
	p := j.Prompt
	p.SHA256 = hex.EncodeToString(sum[:])
	p.DurationMS = info.DurationMillis
	p.Format = info.SourceFormat
	if tmp != "" {
		if err := writeFile(filepath.Join(tmp, filepath.FromSlash(p.Target)), buf.Bytes()); err != nil {
			return converted{}, err
		}
	}
	return converted{prompt: p}, nil
}

// ManifestHeader is the header of prompts/manifest.csv.
var ManifestHeader = []string{"kind", "id", "account", "aa_name", "prompt", "source", "target", "duration_ms", "sha256"}

// manifest renders prompts/manifest.csv: TAB-separated, CRLF, UTF-8 without BOM.
func (r *Report) manifest() string {
	var b strings.Builder
	clean := strings.NewReplacer("\t", " ", "\r", " ", "\n", " ")
	b.WriteString(strings.Join(ManifestHeader, "\t") + "\r\n")
	for _, p := range r.Prompts {
		row := []string{p.Kind, p.ID, p.Account, p.AAName, p.Prompt, p.Source, p.Target, fmt.Sprint(p.DurationMS), p.SHA256}
		for i := range row {
			row[i] = clean.Replace(row[i])
		}
		b.WriteString(strings.Join(row, "\t") + "\r\n")
	}
	return b.String()
}

// Text renders the report as report.txt: what was converted, skipped and
// why, with CRLF line ends.
func (r *Report) Text() string {
	var b strings.Builder
	line := func(format string, args ...any) {
		fmt.Fprintf(&b, format, args...)
		b.WriteString("\r\n")
	}
	u := r.Users
	if r.DryRun {
		line("xdm xphone report (check or dry run: nothing written)")
	} else {
		line("xdm xphone convert report")
	}
	line("")
	kept := "they were"
	if len(u.Warnings) == 1 {
		kept = "it was"
	}
	line("users.csv: %s, separator %s; %s: %d written, %d skipped; %s kept as %s",
		u.Encoding, separatorName([]rune(u.Separator + ";")[0]), plural.Count(u.Rows, "row"), len(u.Users), len(u.Skipped),
		plural.Count(len(u.Warnings), "phone number"), kept)
	line("prompts: %d converted, %s skipped", len(r.Prompts), plural.Count(len(r.Skipped), "file"))
	if len(u.Skipped) > 0 {
		line("")
		line("Rows of users.csv not written:")
		for _, p := range u.Skipped {
			line("  users.csv:%s", strings.TrimPrefix(p.String(), "line "))
		}
	}
	if len(u.Warnings) > 0 {
		line("")
		line("Phone numbers written as they were:")
		for _, p := range u.Warnings {
			line("  users.csv:%s", strings.TrimPrefix(p.String(), "line "))
		}
	}
	if len(r.Skipped) > 0 {
		line("")
		line("Files skipped:")
		for _, p := range r.Skipped {
			line("  %s", p)
		}
	}
	if len(r.Prompts) > 0 {
		line("")
		line("Prompts converted (G.711 A-law 8000 Hz mono):")
		for _, p := range r.Prompts {
			line("  %s -> %s (%s, %d ms)", p.Source, p.Target, p.Format, p.DurationMS)
		}
	}
	if len(r.Ignored) > 0 {
		line("")
		line("Ignored (not part of an export): %s", strings.Join(r.Ignored, ", "))
	}
	return b.String()
}
